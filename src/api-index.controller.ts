import { Controller, Inject } from '@nestjs/common';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from './config/config';
import { Public } from './modules/access/access.decorators';
import { ApiTag } from './platform/http/api-contract/api-tags';
import { Operation } from './platform/http/api-contract/operation.decorator';
import packageJson from '../package.json';

const ApiIndexSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    version: z.string(),
    apiVersion: z.literal('v1'),
    docs: z.object({ ui: z.string(), openapi: z.string() }).optional().describe('Only while API docs are served (API_DOCS)'),
  })
  .meta({ id: 'ApiIndex' });

/**
 * `GET /api/v1`: what this is and where its description lives, so a client (or a person with curl)
 * can start from the root of the API. Public: it names no tenant and no data.
 */
@ApiTag('index', { ja: 'API の入口（認証不要）', en: 'The root of the API (no sign-in)' })
@Controller()
export class ApiIndexController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Operation({
    route: 'GET ',
    id: 'getApiIndex',
    summary: { ja: 'API の名前と版、API 文書の場所（公開時のみ）', en: 'The API index: name, version and, when API docs are served, where they are' },
    response: { schema: ApiIndexSchema },
    public: true,
  })
  @Public()
  index() {
    return {
      name: packageJson.name,
      description: 'つなぎ — multi-department welfare case work',
      version: packageJson.version,
      apiVersion: 'v1' as const,
      // Only when the docs are served (API_DOCS): production does not advertise what it does not serve.
      ...(this.config.apiDocs && { docs: { ui: '/docs', openapi: '/docs-json' } }),
    };
  }
}

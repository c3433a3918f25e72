import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from './config/config';
import { Public } from './modules/access/access.decorators';
import packageJson from '../package.json';

/**
 * `GET /api/v1`: what this is and where its description lives, so a client (or a person with curl)
 * can start from the root of the API. Public: it names no tenant and no data.
 */
@ApiTags('index')
@Controller()
export class ApiIndexController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'The API index: name, version and, when API docs are served, where they are' })
  index() {
    return {
      name: packageJson.name,
      description: 'つなぎ — multi-department welfare case work',
      version: packageJson.version,
      apiVersion: 'v1',
      // Only when the docs are served (API_DOCS): production does not advertise what it does not serve.
      ...(this.config.apiDocs && { docs: { ui: '/docs', openapi: '/docs-json' } }),
    };
  }
}

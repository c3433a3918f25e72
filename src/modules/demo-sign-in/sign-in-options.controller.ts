import { Controller, Inject } from '@nestjs/common';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ApiTag } from '../../platform/http/api-contract/api-tags';
import { Operation } from '../../platform/http/api-contract/operation.decorator';
import { Public } from '../access/access.decorators';

const SignInOptionsSchema = z
  .object({
    method: z.enum(['demo', 'oidc', 'none']).describe('demo: the demo logins (GET /demo/logins); oidc: authorization code with PKCE at the issuer; none: bring a token'),
    oidc: z
      .object({
        issuer: z.string().describe('Discovery at <issuer>/.well-known/openid-configuration'),
        clientId: z.string(),
        scope: z.string(),
      })
      .optional(),
  })
  .meta({ id: 'SignInOptions' });

/**
 * How the console signs people in (サインイン方法): the demo logins while the demo runs, or the external
 * identity provider's authorization-code flow with PKCE when AUTH_CONSOLE_CLIENT_ID is set. Public, and
 * nothing in it is secret: a public client's id and the issuer are in every authorization request.
 */
@ApiTag('sign-in', { ja: 'コンソールのサインイン方法', en: 'How the console signs in' })
@Controller('sign-in')
export class SignInOptionsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Operation({
    route: 'GET options',
    id: 'getSignInOptions',
    summary: { ja: 'コンソールのサインイン方法（デモ、外部の認証基盤、またはなし）', en: 'How the console signs in: demo, the external identity provider, or neither' },
    response: { schema: SignInOptionsSchema },
    public: true,
  })
  @Public()
  options(): z.infer<typeof SignInOptionsSchema> {
    const { auth, seedDemo } = this.config;
    if (auth.mode === 'external') return auth.console ? { method: 'oidc', oidc: { issuer: auth.issuer, ...auth.console } } : { method: 'none' };
    return { method: seedDemo ? 'demo' : 'none' };
  }
}

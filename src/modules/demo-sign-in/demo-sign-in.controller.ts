import { Controller, Inject } from '@nestjs/common';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ensureIssuerKeys, signToken } from '../../platform/auth/issuer-keys';
import { ApiTag } from '../../platform/http/api-contract/api-tags';
import { Input, Operation } from '../../platform/http/api-contract/operation.decorator';
import { AppError, fieldError } from '../../platform/http/app-error';
import { DEMO_ACCOUNTS, DEMO_TENANTS, tenantId } from '../../../seeds/demo-data';
import { Public } from '../access/access.decorators';

/** How long a console session lasts: a working day is too long for a demo left open on a shared screen. */
const DEMO_TOKEN_SECONDS = 2 * 3600;

const DemoLoginSchema = z
  .object({
    login: z.string(),
    displayName: z.string(),
    kind: z.enum(['staff', 'supporter']),
    roles: z.array(z.object({ role: z.string(), department: z.string().optional().describe('The department’s name') })),
  })
  .meta({ id: 'DemoLogin' });

const DemoSessionSchema = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().describe('Seconds'),
    login: z.string(),
  })
  .meta({ id: 'DemoSession' });

const demoSignInBody = z.strictObject({ login: z.string().min(1).max(64) });

/**
 * デモ用サインイン (demo sign-in): the console's sign-in page while the service runs its demo (the
 * built-in issuer and the demo logins loaded). Anywhere else — an external identity provider, or a
 * database without the demo data — both routes answer 404, as if they did not exist.
 */
@ApiTag('demo', { ja: 'デモ用サインイン（デモ環境のみ）', en: 'Demo sign-in (only while the demo runs)' })
@Controller('demo')
export class DemoSignInController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Operation({
    route: 'GET logins',
    id: 'listDemoLogins',
    summary: { ja: 'デモ用のログイン一覧（デモ環境のみ）', en: 'The demo logins (only while the demo runs)' },
    response: { schema: z.object({ items: z.array(DemoLoginSchema) }).meta({ id: 'DemoLogins' }) },
    errors: [404],
    public: true,
  })
  @Public()
  logins() {
    this.demoOnly();
    return {
      items: DEMO_ACCOUNTS.map((account) => ({
        login: account.login,
        displayName: account.displayName,
        kind: account.kind,
        roles: account.kind === 'staff' ? account.roles.map(({ role, department }) => ({ role, ...(department && { department: departmentName(account.tenant, department) }) })) : [{ role: account.organizationType }],
      })),
    };
  }

  @Operation({
    route: 'POST sign-in',
    id: 'demoSignIn',
    summary: { ja: 'デモ用ログインでサインインし、トークンを受け取る（デモ環境のみ）', en: 'Sign in as a demo login and get a bearer token (only while the demo runs)' },
    body: demoSignInBody,
    response: { status: 201, schema: DemoSessionSchema },
    errors: [404],
    public: true,
  })
  @Public()
  async signIn(@Input.body() body: z.infer<typeof demoSignInBody>) {
    const auth = this.demoOnly();
    const account = DEMO_ACCOUNTS.find((a) => a.login === body.login);
    if (!account) throw fieldError('body.login', 'unknown_login', { ja: 'デモ用のログインではありません。', en: 'Not a demo login.' });
    const keys = await ensureIssuerKeys(auth.keyDir);
    const accessToken = await signToken(keys, { issuer: auth.issuer, audience: auth.audience, subject: account.login, tenantId: tenantId(account.tenant), ttl: DEMO_TOKEN_SECONDS });
    return { accessToken, tokenType: 'Bearer' as const, expiresIn: DEMO_TOKEN_SECONDS, login: account.login };
  }

  private demoOnly() {
    const { auth } = this.config;
    if (auth.mode !== 'built-in' || !this.config.seedDemo) throw new AppError('route_not_found');
    return auth;
  }
}

const departmentName = (tenant: string, code: string) => DEMO_TENANTS.find((t) => t.code === tenant)?.departments.find((d) => d.code === code)?.name ?? code;

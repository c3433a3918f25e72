import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/api';
import { buildApiDocument } from '../../src/platform/http/api-contract/api-document';
import { ApiContract } from './api-contract';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { ensureIssuerKeys, signToken } from '../../src/platform/auth/issuer-keys';
import { withDatabase } from '../../src/platform/database/database-url';
import { createDatabaseIfMissing, dropDatabase } from '../../src/platform/database/prepare-database';
import { createApp } from '../../src/platform/http/create-app';
import { createLogger } from '../../src/platform/http/logger';
import { DEMO_ACCOUNTS, tenantId } from '../../seeds/demo-data';
import { TEST_ENV } from './test-env';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  /**
   * A typed client of the API (generated from the OpenAPI document by `npm run api:client`), signed in
   * as a demo login: `const { data, response } = await t.api('fukushi-counselor').GET('/api/v1/referrals', { params: { query: { box: 'incoming' } } })`.
   * `middleware` sees each request and response (e.g. to record them).
   */
  api(login: string, middleware?: Middleware): Client<paths>;
  /** The origin the app listens on (127.0.0.1, a free port), for a browser or another process. */
  url(): Promise<string>;
  /** Every response of this app is checked against the live document; what broke it is listed here. */
  contract: ApiContract;
  /** A bearer token for a demo login, signed by the app's built-in issuer. */
  token(login: string, overrides?: { ttl?: number; tenant?: string }): Promise<string>;
  /** Runs SQL as a superuser: bypasses row-level security and triggers' guards, for setup and inspection. */
  sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** A superuser's URL of this file's database (the app itself uses `config.database.url`, the run's login role). */
  databaseUrl: string;
  close(): Promise<void>;
  /** This app's database and data folder, for a second instance (`startTestApp(env, { sameDatabaseAs })`). */
  shared: { database: string; dataDir: string };
}

/**
 * For a test that runs other test files' flows and looks at everything they logged (log-privacy):
 * every app started from then on logs at `level` to `logTo`, and `beforeClose` sees it before it goes.
 */
export const everyTestApp: { logTo?: DestinationStream; level?: string; beforeClose?: (t: TestApp) => Promise<void> } = {};

/**
 * A fresh database cloned from the migrated, seeded template, and the app on top of it, logged in as the
 * run's login role (no superuser, owns nothing): in test mode the app refuses to boot with anything
 * more, so every e2e test also proves the service works without those powers.
 */
export async function startTestApp(env: Record<string, string> = {}, { sameDatabaseAs, logTo }: { sameDatabaseAs?: Pick<TestApp, 'shared'>; logTo?: DestinationStream } = {}): Promise<TestApp> {
  const serverUrl = process.env[TEST_ENV.serverUrl]!;
  // Another instance of the service on the first one's database (and its issuer keys); the first one owns and drops them.
  const { database, dataDir } = sameDatabaseAs?.shared ?? {
    database: `tsunagi_test_${randomBytes(6).toString('hex')}`,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-test-data-')),
  };
  if (!sameDatabaseAs) await createDatabaseIfMissing(serverUrl, database, process.env[TEST_ENV.template]);
  const databaseUrl = withDatabase(serverUrl, database);
  const logins = {
    DATABASE_URL: withDatabase(process.env[TEST_ENV.loginUrl]!, database),
    // Not used by the app itself (the template was migrated already); production mode requires it.
    MIGRATION_DATABASE_URL: withDatabase(process.env[TEST_ENV.ownerUrl]!, database),
  };
  // Tests call far faster than people do: the rate limit has its own test (rate-limit.e2e.spec.ts).
  // The outbox is relayed and audit checkpoints are taken on demand in tests (OutboxRelay.relayOnce,
  // AuditCheckpoints.tick), so background work never races an assertion.
  logTo ??= everyTestApp.logTo;
  const config = loadConfig({ ...logins, DATA_DIR: dataDir, LOG_LEVEL: everyTestApp.level ?? 'silent', NODE_ENV: 'test', OUTBOX_POLL_MS: '0', OUTBOX_LISTEN: 'false', AUDIT_CHECKPOINT_POLL_MS: '0', AUDIT_SEAL_POLL_MS: '0', RATE_LIMIT_PER_MINUTE: '1000000', ...env });
  const app = await createApp(config, createLogger(config.logLevel, logTo));
  const contract = new ApiContract(buildApiDocument(app));
  app.use(contract.middleware);
  await app.init();
  const listening = once(() => new Promise<string>((resolve) => {
    const server = app.getHttpServer().listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`));
  }));
  // One connection, so `begin … rollback` in a test spans the statements in between.
  const superuser = new pg.Client({ connectionString: databaseUrl });
  await superuser.connect();
  const t: TestApp = {
    app,
    config,
    databaseUrl,
    shared: { database, dataDir },
    http: () => request(app.getHttpServer()),
    contract,
    url: listening,
    api(login, middleware) {
      // The generated paths are absolute (/api/v1/…, /health): the origin is the in-process server, listening on first use.
      const client = createClient<paths>({
        baseUrl: 'http://in-process',
        fetch: async (req: Request) => {
          const url = new URL(req.url);
          const body = req.body ? await req.arrayBuffer() : undefined;
          return fetch(`${await listening()}${url.pathname}${url.search}`, { method: req.method, headers: req.headers, body });
        },
      });
      client.use({ onRequest: async ({ request }) => (request.headers.set('Authorization', `Bearer ${await t.token(login)}`), request) });
      if (middleware) client.use(middleware);
      return client;
    },
    async token(login, { ttl, tenant } = {}) {
      const tenantCode = tenant ?? DEMO_ACCOUNTS.find((a) => a.login === login)?.tenant;
      if (!tenantCode) throw new Error(`no demo login ${login}: name its tenant`);
      if (config.auth.mode !== 'built-in') throw new Error('tests sign with the built-in issuer');
      const keys = await ensureIssuerKeys(config.auth.keyDir);
      return signToken(keys, { issuer: config.auth.issuer, audience: config.auth.audience, subject: login, tenantId: tenantId(tenantCode), ttl });
    },
    async sql(text, params) {
      return (await superuser.query(text, params)).rows;
    },
    async close() {
      await everyTestApp.beforeClose?.(t);
      await app.close();
      await superuser.end();
      if (!sameDatabaseAs) {
        await dropDatabase(serverUrl, database);
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
      // Fails the suite's afterAll even when no test looked at the answer that broke the contract.
      if (contract.violations.length > 0) throw new Error(`responses broke the API contract:\n${contract.violations.join('\n')}`);
    },
  };
  return t;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

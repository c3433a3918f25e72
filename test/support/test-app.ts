import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import request from 'supertest';
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
export async function startTestApp(env: Record<string, string> = {}, { sameDatabaseAs, logTo }: { sameDatabaseAs?: TestApp; logTo?: DestinationStream } = {}): Promise<TestApp> {
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
  const config = loadConfig({ ...logins, DATA_DIR: dataDir, LOG_LEVEL: everyTestApp.level ?? 'silent', NODE_ENV: 'test', OUTBOX_POLL_MS: '0', AUDIT_CHECKPOINT_POLL_MS: '0', RATE_LIMIT_PER_MINUTE: '1000000', ...env });
  const app = await createApp(config, createLogger(config.logLevel, logTo));
  await app.init();
  // One connection, so `begin … rollback` in a test spans the statements in between.
  const superuser = new pg.Client({ connectionString: databaseUrl });
  await superuser.connect();
  const t: TestApp = {
    app,
    config,
    databaseUrl,
    shared: { database, dataDir },
    http: () => request(app.getHttpServer()),
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
      if (sameDatabaseAs) return;
      await dropDatabase(serverUrl, database);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

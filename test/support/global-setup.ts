import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/platform/database/embedded-postgres';
import { createDatabaseIfMissing, migrateAndSeed } from '../../src/platform/database/prepare-database';
import { provisionRoles, type RoleNames } from '../../src/platform/database/database-roles';
import { withDatabase } from '../../src/platform/database/database-url';
import { TEST_ENV } from './test-env';

/**
 * One real PostgreSQL for the run: embedded by default, DATABASE_URL's server when set. A template
 * database gets the migrations and the demo data once, applied by this run's owner role; each test file
 * then clones its own from it, and the app under test logs in as this run's login role, as in
 * production. The roles carry the run's name, so two runs on one server never share a password.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-test-pg-'));
    const server = await startEmbeddedPostgres({ dir, ephemeral: true });
    (globalThis as { __embedded?: EmbeddedServer & { dir: string } }).__embedded = { ...server, dir };
    serverUrl = server.url;
  }
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const template = `tsunagi_test_tpl_${run}`;
  const roles: RoleNames = { owner: `tsunagi_test_owner_${run}`, login: `tsunagi_test_login_${run}` };
  await createDatabaseIfMissing(serverUrl, template);
  const logins = await provisionRoles(withDatabase(serverUrl, template), roles);
  await migrateAndSeed(logins.ownerUrl, true);
  process.env[TEST_ENV.serverUrl] = serverUrl;
  process.env[TEST_ENV.template] = template;
  process.env[TEST_ENV.loginUrl] = logins.loginUrl;
  process.env[TEST_ENV.ownerUrl] = logins.ownerUrl;
  process.env[TEST_ENV.roles] = JSON.stringify(roles);
}

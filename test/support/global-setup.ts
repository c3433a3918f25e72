import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/platform/database/embedded-postgres';
import { createDatabaseIfMissing, migrateAndSeed } from '../../src/platform/database/prepare-database';
import { withDatabase } from '../../src/platform/database/database-url';
import { TEST_ENV } from './test-env';

/**
 * One real PostgreSQL for the run: embedded by default, DATABASE_URL's server when set. A template
 * database gets the migrations and the demo data once; each test file then clones its own from it.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-test-pg-'));
    const server = await startEmbeddedPostgres({ dir, ephemeral: true });
    (globalThis as { __embedded?: EmbeddedServer & { dir: string } }).__embedded = { ...server, dir };
    serverUrl = server.url;
  }
  const template = `tsunagi_test_tpl_${process.pid}_${Date.now().toString(36)}`;
  await createDatabaseIfMissing(serverUrl, template);
  await migrateAndSeed(withDatabase(serverUrl, template), true);
  process.env[TEST_ENV.serverUrl] = serverUrl;
  process.env[TEST_ENV.template] = template;
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type AppConfig } from '../src/config/config';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/platform/database/embedded-postgres';
import { createDatabaseIfMissing, dropDatabase, migrateAndSeed } from '../src/platform/database/prepare-database';
import { withDatabase } from '../src/platform/database/database-url';
import { dropRoles, provisionRoles } from '../src/platform/database/database-roles';

export interface BenchDatabase {
  /** A superuser's URL of the bench database (the app in `config` logs in as its own login role). */
  url: string;
  config: AppConfig;
  close(): Promise<void>;
}

/** A migrated, seeded database of its own: on DATABASE_URL's server, else an embedded one. */
export async function benchDatabase(): Promise<BenchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-bench-'));
  fs.chmodSync(dir, 0o755);
  let embedded: EmbeddedServer | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dir: path.join(dir, 'pg') });
    serverUrl = embedded.url;
  }
  const name = `tsunagi_bench_${process.pid}`;
  const roles = { owner: `${name}_owner`, login: `${name}_login` };
  await createDatabaseIfMissing(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  const logins = await provisionRoles(url, roles);
  await migrateAndSeed(logins.ownerUrl, true);
  const config = loadConfig({ DATABASE_URL: logins.loginUrl, DATA_DIR: dir, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000000' });
  return {
    url,
    config,
    async close() {
      await dropDatabase(serverUrl, name);
      await dropRoles(serverUrl, roles);
      await embedded?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

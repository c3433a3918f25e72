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
  /** The service's environment for this database (its own login role, a data folder of its own). */
  env: Record<string, string>;
  config: AppConfig;
  close(): Promise<void>;
}

/**
 * A migrated, seeded database of its own: on `serverUrl` (default DATABASE_URL), else on an embedded
 * server started for it, durable (fsync and synchronous_commit on) or, with `fsyncOff`, not. `fsyncOff`
 * always means an embedded server: without it, an unset `serverUrl` fell back to DATABASE_URL, so the
 * "fsync-off" runs measured the durable server whenever DATABASE_URL was set.
 */
export async function benchDatabase({ serverUrl = process.env.DATABASE_URL, fsyncOff = false }: { serverUrl?: string; fsyncOff?: boolean } = {}): Promise<BenchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-bench-'));
  fs.chmodSync(dir, 0o755);
  let embedded: EmbeddedServer | undefined;
  if (!serverUrl || fsyncOff) {
    embedded = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), ephemeral: fsyncOff });
    serverUrl = embedded.url;
  }
  const name = `tsunagi_bench_${process.pid}`;
  const roles = { owner: `${name}_owner`, login: `${name}_login` };
  await createDatabaseIfMissing(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  const logins = await provisionRoles(url, roles);
  await migrateAndSeed(logins.ownerUrl, true);
  const env = { DATABASE_URL: logins.loginUrl, DATA_DIR: dir, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000000' };
  const config = loadConfig(env);
  return {
    url,
    env,
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

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

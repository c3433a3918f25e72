import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { AppConfig } from '../../config/config';
import { DemoSeeder } from '../../../seeds/demo.seeder';
import { describeServer, withDatabase } from './database-url';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres';
import { ormOptions } from './orm-options';

export class DatabaseUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(`Cannot reach PostgreSQL at ${describeServer(url)}: ${(cause as Error)?.message ?? cause}`, { cause });
  }
}

export interface PreparedDatabase {
  url: string;
  embedded?: EmbeddedServer;
  seeded: boolean;
}

const EMBEDDED_DATABASE = 'tsunagi';

/** Starts the embedded server when no DATABASE_URL is set, applies migrations, loads demo data into an empty database. */
export async function prepareDatabase(config: AppConfig): Promise<PreparedDatabase> {
  let embedded: EmbeddedServer | undefined;
  let url = config.database.url;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres') });
    await createDatabaseIfMissing(embedded.url, EMBEDDED_DATABASE);
    url = withDatabase(embedded.url, EMBEDDED_DATABASE);
  }
  try {
    const seeded = await migrateAndSeed(url, config.seedDemo);
    return { url, embedded, seeded };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

export async function migrateAndSeed(url: string, seedDemo: boolean): Promise<boolean> {
  await assertReachable(url);
  const orm = await MikroORM.init(ormOptions(url, { asService: false }));
  try {
    await orm.migrator.up();
    if (!seedDemo) return false;
    const [{ count }] = await orm.em.getConnection().execute<{ count: string }[]>('select count(*)::text as count from tenants');
    if (count !== '0') return false;
    await orm.seeder.seed(DemoSeeder);
    return true;
  } finally {
    await orm.close(true);
  }
}

export async function createDatabaseIfMissing(serverUrl: string, database: string, template?: string): Promise<void> {
  await withClient(serverUrl, async (client) => {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (rowCount) return;
    const ident = (name: string) => client.escapeIdentifier(name);
    await client.query(`create database ${ident(database)}${template ? ` template ${ident(template)}` : ''}`);
  });
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await withClient(serverUrl, (client) => client.query(`drop database if exists ${client.escapeIdentifier(database)} with (force)`));
}

async function assertReachable(url: string): Promise<void> {
  await withClient(url, (client) => client.query('select 1'));
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseUnavailableError(url, error);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

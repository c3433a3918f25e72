import path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../config/config';
import { DemoSeeder } from '../../../seeds/demo.seeder';
import { withDatabase } from './database-url';
import { isSuperuser, provisionRoles, type RoleUrls } from './database-roles';
import type { EmbeddedServer } from './embedded-postgres';
import { migrationsList } from '../../../migrations';
import { ormOptions } from './orm-options';
import { withClient } from './pg-client';

export interface PreparedDatabase {
  /** The service's own login: what the app connects with. */
  url: string;
  /** The owner's login, which applied the migrations. */
  migrationUrl: string;
  /** A superuser's connection, when the service had one (embedded, or a superuser DATABASE_URL). */
  superuserUrl?: string;
  embedded?: EmbeddedServer;
  seeded: boolean;
}

const EMBEDDED_DATABASE = 'tsunagi';

/**
 * Resolves the two logins, applies migrations as the owner and loads demo data into an empty database.
 * Embedded, or a superuser's DATABASE_URL outside production: the roles are made here with the
 * superuser. Otherwise the DBA made them: DATABASE_URL is the login, MIGRATION_DATABASE_URL the owner
 * (without it, in development, DATABASE_URL does both and the boot check warns).
 */
export async function prepareDatabase(config: AppConfig, { onEmbeddedRestart }: { onEmbeddedRestart?: (message: string) => void } = {}): Promise<PreparedDatabase> {
  const { logins, superuserUrl, embedded } = await resolveLogins(config, { onEmbeddedRestart });
  try {
    const seeded = await migrateAndSeed(logins.ownerUrl, config.seedDemo);
    return { url: logins.loginUrl, migrationUrl: logins.ownerUrl, superuserUrl, embedded, seeded };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/** The two logins as `prepareDatabase` finds them (the MikroORM CLI migrates as the same owner). */
export async function resolveLogins(config: AppConfig, { onEmbeddedRestart }: { onEmbeddedRestart?: (message: string) => void } = {}): Promise<{ logins: RoleUrls; superuserUrl?: string; embedded?: EmbeddedServer }> {
  let embedded: EmbeddedServer | undefined;
  let superuserUrl: string | undefined;
  if (!config.database.url) {
    embedded = await embeddedPostgres().startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres'), onRestart: onEmbeddedRestart });
    superuserUrl = withDatabase(embedded.url, EMBEDDED_DATABASE);
  } else if (!config.database.migrationUrl && config.env !== 'production' && (await isSuperuser(config.database.url))) {
    superuserUrl = config.database.url;
  }
  try {
    if (embedded) await createDatabaseIfMissing(embedded.url, EMBEDDED_DATABASE);
    const logins: RoleUrls = superuserUrl
      ? await provisionRoles(superuserUrl)
      : { loginUrl: config.database.url!, ownerUrl: config.database.migrationUrl ?? config.database.url! };
    return { logins, superuserUrl, embedded };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/**
 * The embedded server's code, loaded only when there is no DATABASE_URL: production installs
 * (`npm ci --omit=dev`) carry no PostgreSQL build, and nothing of it is loaded when a server is given.
 * `require` rather than `import()`: the same extension-less path under Node, tsx and Jest.
 */
function embeddedPostgres(): typeof import('./embedded-postgres') {
  return require('./embedded-postgres') as typeof import('./embedded-postgres');
}

/** Applies migrations and, when asked, demo data into an empty database; run as the tables' owner. */
export async function migrateAndSeed(ownerUrl: string, seedDemo: boolean): Promise<boolean> {
  // Most starts find nothing to do: one query says so, without building the ORM's metadata for it.
  if (await upToDate(ownerUrl, seedDemo)) return false;
  const orm = await MikroORM.init(ormOptions(ownerUrl));
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

/**
 * Every migration of this build is recorded as applied (MikroORM's own table, names without
 * extension) and, when demo data is wanted, there are tenants already. A query that fails (no such
 * table yet) means there is work to do; a server that does not answer fails here, before the ORM.
 */
async function upToDate(ownerUrl: string, seedDemo: boolean): Promise<boolean> {
  return withClient(ownerUrl, async (client) => {
    const found = await client
      .query<{ applied: string[] | null; tenants: boolean | null }>(
        'select (select array_agg(name) from mikro_orm_migrations) as applied, case when $1::boolean then exists (select from tenants) end as tenants',
        [seedDemo],
      )
      .then(({ rows }) => rows[0], () => undefined);
    if (!found) return false;
    const applied = new Set(found.applied ?? []);
    return migrationsList.every(({ name }) => applied.has(name)) && (!seedDemo || found.tenants === true);
  });
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

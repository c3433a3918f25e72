import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { APP_ROLE } from '../../../migrations/support/tenant-table';
import { withLogin } from './database-url';
import { withClient } from './pg-client';

/**
 * The two logins of a database: the owner applies migrations and owns every table; the service's login
 * owns nothing and holds only what `tsunagi_app` is granted (tenantTable() grants each table to it).
 */
export interface RoleNames {
  owner: string;
  login: string;
}

export interface RoleUrls {
  ownerUrl: string;
  loginUrl: string;
}

export const DEFAULT_ROLE_NAMES: RoleNames = { owner: 'tsunagi_owner', login: 'tsunagi_login' };

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const NO_POWERS = 'nosuperuser nobypassrls nocreaterole nocreatedb noreplication inherit';

export async function isSuperuser(url: string): Promise<boolean> {
  return withClient(url, async (client) => (await client.query<{ is_superuser: string }>('show is_superuser')).rows[0].is_superuser === 'on');
}

/**
 * What a DBA does by hand in production, done with a superuser's connection to the service's database
 * (embedded server, or a superuser DATABASE_URL outside production). Roles are cluster-wide, so this
 * runs safely beside another run doing the same: a role another session created first is taken as is.
 * Each call gives both logins a fresh password (nothing to store); a second service provisioning the
 * same names on the same server therefore needs names of its own, as each test run has.
 */
export async function provisionRoles(superuserUrl: string, names: RoleNames = DEFAULT_ROLE_NAMES): Promise<RoleUrls> {
  for (const name of [names.owner, names.login]) {
    if (!IDENTIFIER.test(name)) throw new Error(`Role name ${JSON.stringify(name)} must be a lower-case SQL identifier`);
  }
  const password = { owner: secret(), login: secret() };
  await withClient(superuserUrl, async (client) => {
    const owner = client.escapeIdentifier(names.owner);
    const login = client.escapeIdentifier(names.login);
    await createRoleIfMissing(client, APP_ROLE, 'nologin');
    await createRoleIfMissing(client, names.owner, 'login');
    await createRoleIfMissing(client, names.login, 'login');
    // Set every time, so a role found with more powers is brought back to exactly these.
    await client.query(`alter role ${owner} login ${NO_POWERS} password ${client.escapeLiteral(password.owner)}`);
    await client.query(`alter role ${login} login ${NO_POWERS} password ${client.escapeLiteral(password.login)}`);
    await client.query(`grant ${APP_ROLE} to ${login}`);
    await client.query(`grant usage, create on schema public to ${owner}`);
    // Trigram search (people by name) needs an extension only a superuser may create on most servers.
    if ((await client.query(`select from pg_available_extensions where name = 'pg_trgm'`)).rowCount) await client.query('create extension if not exists pg_trgm');
    await adoptObjects(client, names.owner);
  });
  return {
    ownerUrl: withLogin(superuserUrl, names.owner, password.owner),
    loginUrl: withLogin(superuserUrl, names.login, password.login),
  };
}

/** Drops roles a test run made, after its databases: PostgreSQL refuses while anything still belongs to them. */
export async function dropRoles(superuserUrl: string, names: RoleNames): Promise<void> {
  await withClient(superuserUrl, async (client) => {
    for (const name of [names.login, names.owner]) await client.query(`drop role if exists ${client.escapeIdentifier(name)}`);
  });
}

async function createRoleIfMissing(client: pg.Client, name: string, login: 'login' | 'nologin'): Promise<void> {
  try {
    await client.query(`create role ${client.escapeIdentifier(name)} ${login}`);
  } catch (error) {
    // duplicate_object; unique_violation when a concurrent CREATE ROLE of the same name committed first.
    if (!['42710', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
  }
}

/**
 * A database migrated before the owner role existed has its tables owned by the superuser: hand them
 * to the owner (sequences of a column follow their table), so its migrations can go on.
 */
async function adoptObjects(client: pg.Client, owner: string): Promise<void> {
  const { rows } = await client.query<{ statement: string }>(
    `select format('alter table %s owner to %I', c.oid::regclass, $1::text) as statement
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and pg_get_userbyid(c.relowner) <> $1
        and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid
                          and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i'))
     union all
     select format('alter routine %s owner to %I', p.oid::regprocedure, $1::text)
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and p.prokind in ('f', 'p') and pg_get_userbyid(p.proowner) <> $1`,
    [owner],
  );
  for (const { statement } of rows) await client.query(statement);
}

function secret(): string {
  return randomBytes(24).toString('base64url');
}

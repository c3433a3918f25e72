import { Logger, type OnModuleInit } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { APP_ROLE } from '../../../migrations/support/tenant-table';

/** Runs SQL with `?` placeholders (MikroORM's). */
type Query = <T extends object>(sql: string, params?: unknown[]) => Promise<T[]>;

/** Predefined roles whose privileges reach past row-level security, the grants or the server itself. */
const PREDEFINED_POWERS: Record<string, string> = {
  pg_read_all_data: 'reads every table',
  pg_write_all_data: 'writes every table',
  pg_read_server_files: "reads the server's files",
  pg_write_server_files: "writes the server's files",
  pg_execute_server_program: 'runs programs on the server',
};

/**
 * Everything the service's own database login can do that would let it step around row-level
 * security or the audit triggers, directly or through a role it belongs to (pg_auth_members, any
 * depth): superuser, BYPASSRLS, CREATEROLE, CREATEDB, REPLICATION, owning the database, a schema or a
 * table (an owner may switch RLS and triggers off), the predefined roles above, and the right to set
 * session_replication_role. Also that it holds tsunagi_app's grants, without which nothing works.
 * An empty list means the login is fit for the service.
 */
export async function loginProblems(query: Query): Promise<string[]> {
  const roles = await query<{ rolname: string; is_login: boolean; powers: string[] }>(
    `select r.rolname, r.rolname = session_user as is_login,
            array_remove(array[
              case when r.rolsuper then 'is SUPERUSER' end,
              case when r.rolbypassrls then 'has BYPASSRLS' end,
              case when r.rolcreaterole then 'has CREATEROLE' end,
              case when r.rolcreatedb then 'has CREATEDB' end,
              case when r.rolreplication then 'has REPLICATION' end,
              case when exists (select 1 from pg_database d where d.datname = current_database() and d.datdba = r.oid) then 'owns the database' end,
              case when exists (select 1 from pg_namespace n where n.nspowner = r.oid and n.nspname !~ '^pg_' and n.nspname <> 'information_schema') then 'owns a schema' end,
              case when exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                                 where c.relowner = r.oid and n.nspname !~ '^pg_' and n.nspname <> 'information_schema') then 'owns tables' end,
              (?::jsonb ->> r.rolname)
            ], null) as powers
       from pg_roles r
      where pg_has_role(session_user, r.oid, 'MEMBER')
      order by r.rolname <> session_user, r.rolname`,
    [JSON.stringify(PREDEFINED_POWERS)],
  );
  const login = roles.find((r) => r.is_login)!;
  // A superuser is a member of every role: naming them all would bury the one fact that matters.
  if (login.powers.includes('is SUPERUSER')) return [`${login.rolname} is SUPERUSER`];
  const problems = roles
    .filter((r) => r.powers.length > 0)
    .map((r) => (r.is_login ? `${r.rolname} ${r.powers.join(', ')}` : `${login.rolname} is a member of ${r.rolname}, which ${r.powers.join(', ')}`));
  const [settings] = await query<{ replica: boolean; app: boolean }>(
    `select has_parameter_privilege(session_user, 'session_replication_role', 'set') as replica,
            exists (select 1 from pg_roles where rolname = ? and pg_has_role(session_user, oid, 'usage')) as app`,
    [APP_ROLE],
  );
  if (settings.replica) problems.push(`${login.rolname} may set session_replication_role (which switches triggers off)`);
  if (!settings.app) problems.push(`${login.rolname} does not hold the privileges of ${APP_ROLE} (GRANT ${APP_ROLE} TO ${login.rolname})`);
  return problems;
}

export class UnsafeDatabaseLoginError extends Error {
  constructor(readonly problems: string[]) {
    super(
      [
        'The database login of DATABASE_URL can step around row-level security or the audit triggers:',
        ...problems.map((p) => `  - ${p}`),
        'The service must log in as a role that is not a superuser, has no BYPASSRLS, CREATEROLE, CREATEDB or REPLICATION,',
        `owns nothing and belongs to no role that does, and is granted ${APP_ROLE}; the tables' owner goes in MIGRATION_DATABASE_URL.`,
        'See "What a DBA creates" in the README.',
      ].join('\n'),
    );
  }
}

/**
 * Checks the login once at boot, before any other module touches the database (global modules' hooks
 * run first): refuses to start (production, tests) or warns (development).
 */
export class DatabaseLoginCheck implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly orm: MikroORM,
    private readonly onUnsafe: 'refuse' | 'warn',
  ) {}

  async onModuleInit(): Promise<void> {
    const problems = await loginProblems((sql, params) => this.orm.em.getConnection().execute(sql, params));
    if (problems.length === 0) return;
    const error = new UnsafeDatabaseLoginError(problems);
    if (this.onUnsafe === 'refuse') throw error;
    this.logger.warn(error.message);
  }
}

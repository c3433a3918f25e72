import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../src/config/config';
import { withLogin } from '../../src/platform/database/database-url';
import { createApp } from '../../src/platform/http/create-app';
import { createLogger } from '../../src/platform/http/logger';
import { tenantId } from '../../seeds/demo-data';
import { startTestApp, type TestApp } from '../support/test-app';
import { TEST_ENV } from '../support/test-env';

const CITY = tenantId('tsunagi-city');
const INSUFFICIENT_PRIVILEGE = '42501';

/** Defect 6 of issue 10: the service's database login could climb back to the superuser. */
describe("the service's database login", () => {
  let t: TestApp;
  let login: pg.Client;
  let names: { owner: string; login: string };
  let superuser: string;

  beforeAll(async () => {
    t = await startTestApp();
    names = JSON.parse(process.env[TEST_ENV.roles]!);
    [{ superuser }] = await t.sql<{ superuser: string }>('select current_user as superuser');
    login = new pg.Client({ connectionString: t.config.database.url });
    await login.connect();
  });
  afterAll(async () => {
    await login.end();
    await t.close();
  });

  const refused = (statement: string) => expect(login.query(statement)).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });

  it('is the run’s login role, not a superuser, and the tables belong to the owner role', async () => {
    const [me] = (await login.query(`select session_user as login, current_setting('is_superuser') as su`)).rows;
    expect(me).toEqual({ login: names.login, su: 'off' });
    const owners = await t.sql<{ owner: string }>(`select distinct tableowner as owner from pg_tables where schemaname = 'public'`);
    expect(owners).toEqual([{ owner: names.owner }]);
  });

  it('cannot SET ROLE to the owner or a superuser, nor take another session identity', async () => {
    await refused(`set role ${names.owner}`);
    await refused(`set role ${superuser}`);
    await refused(`set session authorization ${superuser}`);
  });

  it('cannot switch the audit triggers or row-level security off', async () => {
    await refused('set session_replication_role = replica');
    await refused('alter table audit_log disable trigger all');
    await refused('alter table staff disable row level security');
    await refused('drop policy staff_tenant_isolation on staff');
    await refused('delete from audit_log');
  });

  it('cannot make roles or databases', async () => {
    await refused(`create role tsunagi_test_escape_${randomBytes(4).toString('hex')} superuser`);
    await refused(`create database tsunagi_test_escape_${randomBytes(4).toString('hex')}`);
  });

  it("sees no tenant's rows without the tenant setting, and only its own tenant's with it", async () => {
    const [{ city, other }] = await t.sql<{ city: number; other: number }>(
      `select count(*) filter (where tenant_id = $1)::int as city, count(*) filter (where tenant_id <> $1)::int as other from staff`,
      [CITY],
    );
    expect(other).toBeGreaterThan(0);
    expect((await login.query('select count(*)::int as n from staff')).rows).toEqual([{ n: 0 }]);
    await login.query('begin');
    try {
      await login.query(`select set_config('app.tenant_id', $1, true)`, [CITY]);
      const seen = (await login.query('select tenant_id, count(*)::int as n from staff group by tenant_id')).rows;
      expect(seen).toEqual([{ tenant_id: CITY, n: city }]);
    } finally {
      await login.query('rollback');
    }
  });

  describe('the boot check', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-login-check-'));
    const extraRoles: string[] = [];
    afterAll(async () => {
      for (const role of extraRoles) await t.sql(`drop role if exists ${role}`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const production = () => ({
      NODE_ENV: 'production',
      MIGRATION_DATABASE_URL: t.config.database.migrationUrl!,
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      AUTH_ISSUER: 'https://idp.example',
    });

    /** Boots the app as it would start, and closes it again; rejects with the boot's refusal. */
    const boot = async (env: Record<string, string>, logger = createLogger('silent')) => {
      const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', OUTBOX_POLL_MS: '0', ...env });
      const app: NestExpressApplication = await createApp(config, logger);
      try {
        await app.init();
      } finally {
        await app.close();
      }
    };

    /** A login role made for one case: the service's privileges, plus the attributes and roles given. */
    const roleWith = async (attributes: string, groups: string[] = []): Promise<{ name: string; url: string }> => {
      const name = `tsunagi_test_x_${randomBytes(5).toString('hex')}`;
      const password = randomBytes(12).toString('hex');
      extraRoles.push(name);
      await t.sql(`create role ${name} login ${attributes} password '${password}' in role ${['tsunagi_app', ...groups].join(', ')}`);
      return { name, url: withLogin(t.databaseUrl, name, password) };
    };

    it('refuses to start in production when its login is a superuser, saying what to do', async () => {
      const refusal = boot({ ...production(), DATABASE_URL: t.databaseUrl });
      await expect(refusal).rejects.toThrow(`${superuser} is SUPERUSER`);
      await expect(refusal).rejects.toThrow(/MIGRATION_DATABASE_URL[\s\S]*What a DBA creates/);
    });

    it('refuses to start in production when its login has BYPASSRLS', async () => {
      const role = await roleWith('bypassrls');
      await expect(boot({ ...production(), DATABASE_URL: role.url })).rejects.toThrow(`${role.name} has BYPASSRLS`);
    });

    it('refuses a login that belongs to the owner role, to a role that may create roles, or to one that writes every table', async () => {
      const member = await roleWith('', [names.owner]);
      await expect(boot({ ...production(), DATABASE_URL: member.url })).rejects.toThrow(`${member.name} is a member of ${names.owner}, which owns tables`);
      const group = `tsunagi_test_x_${randomBytes(5).toString('hex')}`;
      extraRoles.push(group);
      await t.sql(`create role ${group} nologin createrole`);
      const climber = await roleWith('', [group]);
      await expect(boot({ ...production(), DATABASE_URL: climber.url })).rejects.toThrow(`${climber.name} is a member of ${group}, which has CREATEROLE`);
      const writer = await roleWith('', ['pg_write_all_data']);
      await expect(boot({ ...production(), DATABASE_URL: writer.url })).rejects.toThrow(`${writer.name} is a member of pg_write_all_data, which writes every table`);
    });

    it('refuses in test mode too, and only warns in development', async () => {
      await expect(boot({ NODE_ENV: 'test', DATABASE_URL: t.databaseUrl })).rejects.toThrow(`${superuser} is SUPERUSER`);
      const lines: string[] = [];
      await boot({ NODE_ENV: 'development', DATABASE_URL: t.databaseUrl }, pino({ level: 'warn' }, { write: (line: string) => lines.push(line) }));
      expect(lines.join('\n')).toContain(`${superuser} is SUPERUSER`);
    });

    it('starts in production with the dedicated login role', async () => {
      await expect(boot({ ...production(), DATABASE_URL: t.config.database.url! })).resolves.toBeUndefined();
    });
  });
});

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { discoverMigrations, migrationsList } from '../../migrations';
import { withDatabase } from '../../src/platform/database/database-url';
import { dropDatabase } from '../../src/platform/database/prepare-database';
import { withClient } from '../../src/platform/database/pg-client';
import { TEST_ENV } from '../support/test-env';

const ROOT = path.join(__dirname, '..', '..');
const run = promisify(execFile);

/**
 * `npm run migration:*` is MikroORM's own CLI on mikro-orm.config.ts: run here as a child process,
 * as a developer would, so a change that breaks it (a loader, the config, the discovery) fails a test.
 */
describe('the MikroORM CLI (npm run migration:create / list / up)', () => {
  const serverUrl = process.env[TEST_ENV.serverUrl]!;
  const { owner } = JSON.parse(process.env[TEST_ENV.roles]!) as { owner: string };
  const database = `tsunagi_test_cli_${randomBytes(6).toString('hex')}`;
  // Inside the project (in the ignored .data), so a created migration resolves @mikro-orm/migrations.
  fs.mkdirSync(path.join(ROOT, '.data'), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(ROOT, '.data', 'cli-test-'));
  // The owner's login, pointed at this file's empty database (it owns it, so it may create in it).
  const ownerUrl = withDatabase(process.env[TEST_ENV.ownerUrl]!, database);
  const cli = (...args: string[]) =>
    run(process.execPath, [path.join(ROOT, 'node_modules/@mikro-orm/cli/cli.js'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: withDatabase(process.env[TEST_ENV.loginUrl]!, database), MIGRATION_DATABASE_URL: ownerUrl, DATA_DIR: tmp },
      timeout: 120_000,
    });

  beforeAll(() => withClient(serverUrl, (client) => client.query(`create database ${client.escapeIdentifier(database)} owner ${client.escapeIdentifier(owner)}`)));
  afterAll(async () => {
    await dropDatabase(serverUrl, database);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('finds every migration file by its name, in order, with no list to keep', () => {
    const files = fs.readdirSync(path.join(ROOT, 'migrations')).filter((f) => /^Migration\d{14}.*\.ts$/.test(f));
    expect(migrationsList.map((m) => `${m.name}.ts`)).toEqual(files.sort());
  });

  it('lists the migrations as pending, applies them with migration:up, then lists them as executed', async () => {
    const pending = await cli('migration:pending');
    for (const { name } of migrationsList) expect(pending.stdout).toContain(name);

    await cli('migration:up');
    const [{ tables }] = await withClient(ownerUrl, async (client) => (await client.query(`select count(*)::int as tables from pg_tables where schemaname = 'public'`)).rows);
    expect(tables).toBeGreaterThan(20);

    const listed = await cli('migration:list');
    for (const { name } of migrationsList) expect(listed.stdout).toContain(name);
    expect((await cli('migration:pending')).stdout).not.toContain('Migration2');
  });

  it('creates a migration that the discovery then picks up as it is', async () => {
    const into = path.join(tmp, 'migrations');
    const created = await cli('migration:create', '--blank', '--name', 'cli_probe', '--path', into);
    expect(created.stdout).toMatch(/Migration\d{14}_cli_probe\.ts successfully created/);
    const [file] = fs.readdirSync(into);
    expect(file).toMatch(/^Migration\d{14}_cli_probe\.ts$/);
    expect(discoverMigrations(into).map((m) => [m.name, m.class.name])).toEqual([[file.replace(/\.ts$/, ''), file.replace(/\.ts$/, '')]]);
  });
});

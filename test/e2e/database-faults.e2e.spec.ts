import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { ensureIssuerKeys, signToken } from '../../src/platform/auth/issuer-keys';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/platform/database/embedded-postgres';
import { createDatabaseIfMissing, prepareDatabase } from '../../src/platform/database/prepare-database';
import { withDatabase } from '../../src/platform/database/database-url';
import { createApp } from '../../src/platform/http/create-app';
import { createLogger } from '../../src/platform/http/logger';
import { tenantId } from '../../seeds/demo-data';

const ROOT = path.resolve(__dirname, '../..');
const runService = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8', timeout: 60_000 });

describe('boot faults', () => {
  it('stops with a clear message and a non-zero exit when the database is down', () => {
    const result = runService({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/tsunagi', LOG_LEVEL: 'silent' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Cannot reach PostgreSQL at 127\.0\.0\.1:1\/tsunagi/);
  });

  it('names a bad variable and exits', () => {
    const result = runService({ PORT: 'eighty', DATABASE_URL: 'mysql://nope' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
  });
});

/** Its own embedded server whatever DATABASE_URL says: the test stops and restarts it. */
describe('a database that drops while running', () => {
  let dir: string;
  let server: EmbeddedServer;
  let app: NestExpressApplication;
  let port: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagi-fault-'));
    fs.chmodSync(dir, 0o755);
    server = await startEmbeddedPostgres({ dir: path.join(dir, 'pg') });
    port = Number(new URL(server.url).port);
    await createDatabaseIfMissing(server.url, 'tsunagi');
    // A superuser's DATABASE_URL outside production: the service makes its roles and logs in as its own login.
    const config = loadConfig({ DATABASE_URL: withDatabase(server.url, 'tsunagi'), DATA_DIR: dir, LOG_LEVEL: 'silent', SEED_DEMO: 'true' });
    const database = await prepareDatabase(config);
    app = await createApp({ ...config, database: { ...config.database, url: database.url } }, createLogger('silent'));
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const counselorToken = async () => {
    const config = loadConfig({ DATA_DIR: dir });
    if (config.auth.mode !== 'built-in') throw new Error('built-in issuer expected');
    return signToken(await ensureIssuerKeys(config.auth.keyDir), {
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      subject: 'choju-counselor',
      tenantId: tenantId('tsunagi-city'),
    });
  };

  it('answers 503 while it is down and recovers without a restart', async () => {
    const token = await counselorToken();
    const http = () => request(app.getHttpServer());
    await http().get('/health').expect(200);
    await http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);

    await server.stop();
    const health = await http().get('/health').expect(503);
    expect(health.body.code).toBe('service_unavailable');
    // Liveness needs no database: the process is alive, only not ready.
    await http().get('/health/live').expect(200);
    const ready = await http().get('/health/ready').expect(503);
    expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(ready.body).toMatchObject({ status: 503, code: 'service_unavailable' });
    const me = await http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).set('Accept-Language', 'en').expect(503);
    expect(me.body).toMatchObject({ code: 'service_unavailable', title: 'The database is unavailable: try again shortly.' });
    await http().get('/api/v1/cases?limit=1').set('Authorization', `Bearer ${token}`).expect(503);
    // Metrics still answer, and say the database is down.
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^tsunagi_database_up 0$/m);
    expect(metrics.text).toMatch(/^tsunagi_http_requests_total\{method="GET",route="\/health\/ready",status="503"\} 1$/m);

    server = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port });
    await http().get('/health').expect(200);
    await http().get('/health/ready').expect(200);
    expect((await http().get('/metrics').expect(200)).text).toMatch(/^tsunagi_database_up 1$/m);
    await http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('starts its embedded PostgreSQL again when it is killed, answering 503 meanwhile (never 500), and serves again without a restart', async () => {
    const token = await counselorToken();
    const http = () => request(app.getHttpServer());
    const postmasterPid = () => Number(fs.readFileSync(path.join(server.dataDir, 'cluster', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const killed = postmasterPid();
    process.kill(killed, 'SIGKILL');
    const statuses = new Set<number>();
    for (let i = 0; ; i++) {
      const ready = await http().get('/health/ready');
      const opened = await http().post('/api/v1/cases').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', `restart-${i}`).send({ title: '再起動中', issues: ['care'], persons: [{ relation: '本人', familyName: '再起', givenName: '動' }] });
      statuses.add(ready.status).add(opened.status);
      if (ready.status === 200 && opened.status === 201) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...statuses].filter((status) => ![200, 201, 503].includes(status))).toEqual([]);
    expect(postmasterPid()).not.toBe(killed);
    await http().get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
  }, 60_000);
});

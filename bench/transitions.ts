/**
 * npm run bench — case transitions per second through HTTP at 1, 4 and 16 concurrent clients, beside
 * pgbench's TPS on the same PostgreSQL for one INSERT plus one UPDATE per transaction (the cost of one
 * durable commit). A benchmark that prints figures, not a test.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureIssuerKeys, signToken } from '../src/platform/auth/issuer-keys';
import { createApp } from '../src/platform/http/create-app';
import { createLogger } from '../src/platform/http/logger';
import { tenantId } from '../seeds/demo-data';
import { benchDatabase, percentile } from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = [1, 4, 16];
const CYCLE = ['start-monitoring', 'resume-support'];

async function main(): Promise<void> {
  const db = await benchDatabase();
  const app = await createApp(db.config, createLogger('silent'));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/api/v1`;
  if (db.config.auth.mode !== 'built-in') throw new Error('bench signs tokens with the built-in issuer');
  const token = await signToken(await ensureIssuerKeys(db.config.auth.keyDir), {
    issuer: db.config.auth.issuer,
    audience: db.config.auth.audience,
    subject: 'choju-counselor',
    tenantId: tenantId('tsunagi-city'),
  });
  // node:http with keep-alive: in-process fetch adds milliseconds of its own per call.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const post = (url: string, body: object) =>
    new Promise<{ id: string; version: number }>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = http.request(
        `${base}${url}`,
        { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk) => (text += chunk));
          res.on('end', () => (res.statusCode! < 300 ? resolve(JSON.parse(text)) : reject(new Error(`${url}: ${res.statusCode} ${text}`))));
        },
      );
      req.on('error', reject).end(payload);
    });

  const rows: string[][] = [];
  for (const clients of CLIENTS) {
    const latencies: number[] = [];
    const deadline = Date.now() + SECONDS * 1000;
    const worker = async () => {
      const opened = await post('/cases', { title: 'bench', issues: ['care'], persons: [{ relation: '本人', familyName: '計測', givenName: '太郎' }] });
      let version = (await post(`/cases/${opened.id}/actions/start-assessment`, { version: opened.version })).version;
      version = (await post(`/cases/${opened.id}/actions/start-support`, { version })).version;
      for (let i = 0; Date.now() < deadline; i++) {
        const started = performance.now();
        version = (await post(`/cases/${opened.id}/actions/${CYCLE[i % 2]}`, { version })).version;
        latencies.push(performance.now() - started);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: clients }, worker));
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const perSecond = latencies.length / elapsed;
    const pgbenchTps = await pgbench(db.url, clients);
    rows.push([
      String(clients),
      perSecond.toFixed(0),
      percentile(latencies, 50).toFixed(1),
      percentile(latencies, 99).toFixed(1),
      pgbenchTps === null ? 'n/a' : pgbenchTps.toFixed(0),
      pgbenchTps === null ? 'n/a' : (perSecond / pgbenchTps).toFixed(2),
    ]);
  }
  agent.destroy();
  await app.close();
  await db.close();

  const header = ['clients', 'transitions/s', 'p50 ms', 'p99 ms', 'pgbench tps', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(`case transitions over HTTP, ${SECONDS}s per level (aim: ratio >= 0.5 at 16 clients)`);
  console.log(line(header));
  rows.forEach((r) => console.log(line(r)));
}

/** pgbench on the same server and database: BEGIN; INSERT; UPDATE; COMMIT. Null when pgbench is not installed. */
async function pgbench(url: string, clients: number): Promise<number | null> {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(
    'create table if not exists bench_log (id bigserial primary key, v int not null); ' +
      'create table if not exists bench_counter (id int primary key, n bigint not null default 0); ' +
      'insert into bench_counter (id) select generate_series(1, 1000) on conflict do nothing',
  );
  await setup.end();
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pgbench-')), 'tx.sql');
  fs.writeFileSync(script, '\\set id random(1, 1000)\nBEGIN;\nINSERT INTO bench_log (v) VALUES (:id);\nUPDATE bench_counter SET n = n + 1 WHERE id = :id;\nCOMMIT;\n');
  const result = spawnSync('pgbench', ['-n', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(SECONDS), '-f', script, url], { encoding: 'utf8' });
  if (result.error) return null;
  const tps = /tps = ([\d.]+)/.exec(result.stdout);
  return tps ? Number(tps[1]) : null;
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});

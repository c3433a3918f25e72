import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { percentile } from './support';

export interface PgbenchResult {
  tps: number;
  p50: number;
  p99: number;
}

/**
 * pgbench on the same server and database for what one transition has to cost at least: one durable
 * commit of an INSERT (the event) and an UPDATE by key (the version bump), and `also` (more statements).
 * Runs in a child process, so the
 * bench's own event loop stays free. Latencies come from its per-transaction log. Null without pgbench.
 */
export async function pgbench(url: string, { clients, seconds, rate, also = '' }: { clients: number; seconds: number; rate?: number; also?: string }): Promise<PgbenchResult | null> {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(
    'create table if not exists bench_log (id bigserial primary key, v int not null); ' +
      'create table if not exists bench_counter (id int primary key, n bigint not null default 0); ' +
      'insert into bench_counter (id) select generate_series(1, 1000) on conflict do nothing',
  );
  await setup.end();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgbench-'));
  try {
    const script = path.join(dir, 'tx.sql');
    fs.writeFileSync(script, `\\set id random(1, 1000)\nBEGIN;\nINSERT INTO bench_log (v) VALUES (:id);\nUPDATE bench_counter SET n = n + 1 WHERE id = :id;\n${also}COMMIT;\n`);
    const args = ['-n', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), '-l', '--log-prefix', path.join(dir, 'log'), '-f', script];
    if (rate) args.push('-R', String(Math.round(rate)));
    const stdout = await run('pgbench', [...args, url], dir);
    if (stdout === null) return null;
    const tps = /tps = ([\d.]+)/.exec(stdout);
    if (!tps) return null;
    // Log lines: client transaction latency_us script epoch_s epoch_us [lag_us]: with -R the latency includes the lag.
    const latencies: number[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('log'))) {
      for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (line && Number.isFinite(us)) latencies.push(us / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    return { tps: Number(tps[1]), p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve(null) : reject(error)));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`pgbench failed (${code}): ${err.trim()}`))));
  });
}

/**
 * npm run bench — case transitions per second over HTTP at 1, 4 and 16 clients, beside pgbench's TPS
 * on the same PostgreSQL for one INSERT plus one UPDATE per transaction (the cost of one durable
 * commit), on a durable server and on an fsync-off one; then p99 at half the 16-client load beside
 * pgbench's p99 at that same rate. `npm run bench -- --fairness` (or `npm run bench:fairness`): one
 * tenant at 2 clients alone, then beside another tenant at 16, then alone again, after an unmeasured warm-up. A benchmark that prints figures, not a test.
 *
 * The service and the load each run in a process of their own (one per tenant); pgbench runs in a child process. Between
 * levels the outbox is drained, so one level's backlog does not slow the next.
 *
 * BENCH_SECONDS (default 5) per level; BENCH_SERVERS=durable,fsync-off (default both): durable is
 * DATABASE_URL's server when set (its fsync is printed), else an embedded one started durable.
 * DB_POOL_MAX (default 24) and the service's other settings pass through the environment.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureIssuerKeys, signToken } from '../src/platform/auth/issuer-keys';
import { tenantId } from '../seeds/demo-data';
import type { LoadGroup, LoadJob, LoadResult } from './load-client';
import { rssLine } from './memory';
import { pgbench } from './pgbench';
import { startService, type ServiceProcess } from './service';
import { benchDatabase, table, type BenchDatabase } from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = [1, 4, 16];
const SERVERS = (process.env.BENCH_SERVERS ?? 'durable,fsync-off').split(',');
const FAIRNESS = process.argv.includes('--fairness');
const TARGET_RATIO = 0.5;
const TARGET_P99_FACTOR = 4;
const TARGET_FAIRNESS = 2;
const WARM_UP_SECONDS = 2;

async function main(): Promise<void> {
  for (const server of SERVERS) {
    if (server !== 'durable' && server !== 'fsync-off') throw new Error(`BENCH_SERVERS: unknown server ${server}`);
    const db = await benchDatabase({ fsyncOff: server === 'fsync-off' });
    const service = await startService({ ...db.env, DB_POOL_MAX: process.env.DB_POOL_MAX ?? '24' });
    try {
      console.log(`\n== ${server} server: ${await settings(db.url)}; service pool ${process.env.DB_POOL_MAX ?? 24}, ${SECONDS}s per level`);
      if (FAIRNESS) await fairness(db, service);
      else await transitions(db, service);
      const { nowMb, peakMb } = service.rss();
      console.log(rssLine(peakMb, `service RSS peak (${nowMb.toFixed(0)} MB now; the service runs in a process of its own)`, service.heapLimitMb));
    } finally {
      await service.stop();
      await db.close();
    }
  }
}

async function transitions(db: BenchDatabase, service: ServiceProcess): Promise<void> {
  const token = await tokenFor(db, 'choju-counselor', 'tsunagi-city');
  const rows: string[][] = [];
  let at16 = 0;
  for (const clients of CLIENTS) {
    const before = await commits(db.url);
    const [result] = await load(service, db, [{ label: 'city', token, clients }]);
    // Every commit the level cost the server (the requests' and, the outbox drained, what followed them), per transition.
    const perTransition = ((await commits(db.url)) - before) / (result.transitions + 3 * clients);
    const reference = await pgbench(db.url, { clients, seconds: SECONDS });
    if (clients === 16) at16 = result.perSecond;
    rows.push([
      String(clients),
      ...figures(result),
      perTransition.toFixed(1),
      ...(reference ? [reference.tps.toFixed(0), reference.p99.toFixed(1), (result.perSecond / reference.tps).toFixed(3)] : ['n/a', 'n/a', 'n/a']),
    ]);
  }
  console.log(`case transitions over HTTP (target: ratio >= ${TARGET_RATIO} at 16 clients)`);
  console.log(table(['clients', 'transitions/s', 'p50 ms', 'p99 ms', 'commits each', 'pgbench tps', 'pgbench p99', 'ratio'], rows));

  const rate = Math.max(1, Math.round(at16 / 2));
  const [paced] = await load(service, db, [{ label: 'city', token, clients: 16, rate }]);
  const reference = await pgbench(db.url, { clients: 16, seconds: SECONDS, rate });
  const factor = reference ? paced.p99 / reference.p99 : NaN;
  console.log(
    `at half load (${rate}/s, 16 clients): service p50 ${paced.p50.toFixed(1)} ms, p99 ${paced.p99.toFixed(1)} ms; ` +
      `pgbench at the same rate p99 ${reference?.p99.toFixed(1) ?? 'n/a'} ms: ${factor.toFixed(1)}× (target <= ${TARGET_P99_FACTOR}×)`,
  );
}

/**
 * The small tenant alone, then beside a busy one, then alone again: how much of its latency and
 * throughput it keeps, against the mean of the two alone runs (a machine whose load drifts during the
 * bench moves both, not only the figure compared).
 */
async function fairness(db: BenchDatabase, service: ServiceProcess): Promise<void> {
  const small: LoadGroup = { label: 'tonari-town (2 clients)', token: await tokenFor(db, 'other-city-counselor', 'tonari-town'), clients: 2 };
  const busy: LoadGroup = { label: 'tsunagi-city (16 clients)', token: await tokenFor(db, 'choju-counselor', 'tsunagi-city'), clients: 16 };
  // Both tenants' requests once, unmeasured: the first timed run would otherwise pay for warming up
  // (compiled code, caches, connections) and make "alone" look slower than it is.
  await load(service, db, [small, busy], WARM_UP_SECONDS);
  const [before] = await load(service, db, [small]);
  const [beside, big] = await load(service, db, [small, busy]);
  const [after] = await load(service, db, [small]);
  const alone = { p50: (before.p50 + after.p50) / 2, p99: (before.p99 + after.p99) / 2, perSecond: (before.perSecond + after.perSecond) / 2 };
  console.log(`fairness between tenants (target: the small tenant's p50 and p99 within ${TARGET_FAIRNESS}× of alone)`);
  console.log(
    table(
      ['tenant', 'transitions/s', 'p50 ms', 'p99 ms'],
      [
        [`${small.label} alone`, ...figures(before)],
        [`${small.label} beside`, ...figures(beside)],
        [`${busy.label} beside`, ...figures(big)],
        [`${small.label} alone again`, ...figures(after)],
      ],
    ),
  );
  console.log(
    `small tenant beside the busy one, against its mean alone: p50 ${(beside.p50 / alone.p50).toFixed(2)}×, p99 ${(beside.p99 / alone.p99).toFixed(2)}×, throughput ${(beside.perSecond / alone.perSecond).toFixed(2)}× (load average ${os.loadavg()[0].toFixed(1)})`,
  );
}

const figures = (r: LoadResult) => [r.perSecond.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1)];

/**
 * One level of load, each group (a tenant) from a client process of its own, as different
 * municipalities' clients would be: one busy group's callbacks do not delay another's answers in the
 * client. Every process prepares its cases, then all start the timed part together. Then the outbox is
 * drained before anything else is measured.
 */
async function load(service: ServiceProcess, db: BenchDatabase, groups: LoadGroup[], seconds = SECONDS): Promise<LoadResult[]> {
  type Answer = { prepared?: true; results?: LoadResult[]; error?: string };
  const clients = groups.map((group) => {
    const child = fork(path.join(__dirname, 'load-client.js'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const exited = once(child, 'exit').then(([code]) => Promise.reject(new Error(`the load client ended (${code}) without an answer`)));
    const answer = async () => {
      const [message] = (await Promise.race([once(child, 'message'), exited])) as [Answer];
      if (message.error) throw new Error(`load client: ${message.error}`);
      return message;
    };
    const prepared = answer();
    child.send({ base: service.base, seconds, groups: [group] } satisfies LoadJob);
    return { child, prepared, answer };
  });
  await Promise.all(clients.map(({ prepared }) => prepared));
  const answers = Promise.all(clients.map(({ answer }) => answer()));
  for (const { child } of clients) child.send('go');
  const results = (await answers).map(({ results }) => results![0]);
  await drainOutbox(db.url);
  return results;
}

async function drainOutbox(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const until = Date.now() + 120_000; Date.now() < until; ) {
      const { rows } = await client.query<{ n: string }>('select count(*) as n from domain_events where published_at is null');
      if (rows[0].n === '0') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the outbox did not drain within 2 minutes');
  } finally {
    await client.end();
  }
}

/** Transactions committed in the bench database so far (the statistics are flushed within a second). */
async function commits(url: string): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('select xact_commit as n from pg_stat_database where datname = current_database()');
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

async function settings(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const show = async (name: string) => (await client.query(`show ${name}`)).rows[0][name] as string;
    return `PostgreSQL ${await show('server_version')}, fsync=${await show('fsync')}, synchronous_commit=${await show('synchronous_commit')}`;
  } finally {
    await client.end();
  }
}

async function tokenFor(db: BenchDatabase, login: string, tenant: string): Promise<string> {
  if (db.config.auth.mode !== 'built-in') throw new Error('bench signs tokens with the built-in issuer');
  return signToken(await ensureIssuerKeys(db.config.auth.keyDir), { issuer: db.config.auth.issuer, audience: db.config.auth.audience, subject: login, tenantId: tenantId(tenant) });
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});

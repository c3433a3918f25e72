/**
 * npm run bench:oversight — after `npm run seed:large`: p50/p95 of the managers' dashboard and the
 * auditors' search over HTTP, and audit-chain verification speed in entries per second: the service's
 * own (`GET /audit/verify`, Node worker threads, AUDIT_VERIFY_WORKERS) beside the SQL `audit_verify()`.
 * Aims: p95 ≤ 50 ms at 10⁶ cases / 10⁷ audit rows; verification ≥ 10⁶ entries/s; the service's RSS
 * < 512 MB. The service runs in a process of its own (bench/service.ts, its heap bounded as `npm start`
 * bounds it), so the RSS printed is its own, verification threads included, and not the client's.
 */
import 'reflect-metadata';
import http from 'node:http';
import os from 'node:os';
import pg from 'pg';
import { loadConfig } from '../src/config/config';
import { ensureIssuerKeys, signToken } from '../src/platform/auth/issuer-keys';
import { prepareDatabase } from '../src/platform/database/prepare-database';
import { tenantId } from '../seeds/demo-data';
import { ENTRY_ORDER } from '../src/modules/evacuation-support/queries/register-queries';
import { PeakRss, rssLine } from './memory';
import { startService } from './service';
import { percentile } from './support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 50);
const WARM_UP = 3;

async function main(): Promise<void> {
  const serviceEnv = { LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000000', OUTBOX_POLL_MS: '0', OUTBOX_LISTEN: 'false' };
  const config = loadConfig({ ...process.env, ...serviceEnv, SEED_DEMO: 'true' });
  // Migrated (and the embedded server started) here; the service then logs in as the database's own login.
  const database = await prepareDatabase(config);
  const service = await startService({ ...serviceEnv, DATABASE_URL: database.url, MIGRATION_DATABASE_URL: database.migrationUrl });
  const rss = new PeakRss(() => service.rss().nowMb * 2 ** 20);
  const { port } = new URL(service.base);
  if (config.auth.mode !== 'built-in') throw new Error('the bench signs tokens with the built-in issuer');
  const keys = await ensureIssuerKeys(config.auth.keyDir);
  const token = (subject: string) => signToken(keys, { issuer: config.auth.issuer, audience: config.auth.audience, subject, tenantId: tenantId('tsunagi-city') });
  const manager = await token('kyosei-manager');
  const auditor = await token('auditor');
  const counselor = await token('choju-counselor');
  const keeper = await token('fukushi-counselor');
  const agent = new http.Agent({ keepAlive: true });
  const get = (path: string, bearer: string) =>
    new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${bearer}` } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`${path}: ${res.statusCode}`))));
        })
        .on('error', reject);
    });

  const owner = new pg.Client({ connectionString: database.migrationUrl });
  await owner.connect();
  const [{ cases, referrals, audit, entries }] = (
    await owner.query(`select (select count(*) from cases)::int cases, (select count(*) from referrals)::int referrals, (select count(*) from audit_log)::int audit, (select count(*) from register_entries)::int entries`)
  ).rows;
  const sample = (await owner.query(`select person_id, actor_id from audit_log where person_id is not null order by id desc limit 1`)).rows[0] ?? {};
  // The register's busiest 地区, and a cursor half way through the whole list: a deep page costs what the first does.
  const [district] = (await owner.query(`select district_code as code, count(*)::int as entries from register_entries group by 1 order by 2 desc, 1 limit 1`)).rows;
  const [middle] = (
    await owner.query(`select district_code as "districtCode", created_at as "createdAt", id from register_entries order by district_code, created_at, id offset $1 limit 1`, [Math.floor(entries / 2)])
  ).rows;
  const register = (query: string) => `/api/v1/evacuation-support/entries${query}`;

  const targets: [string, string, string][] = [
    ['referral matrix', '/api/v1/reporting/referrals', manager],
    ['overview (all sections)', '/api/v1/reporting/overview', manager],
    ...(['coordination', 'tasks-overdue', 'stuck-cases', 'criteria'] as const).map((section): [string, string, string] => [`overview: ${section}`, `/api/v1/reporting/overview/${section}.csv`, manager]),
    ['case list (first page)', '/api/v1/cases', counselor],
    ['case list: state filter', '/api/v1/cases?state=support', counselor],
    ['person search by name', `/api/v1/people?q=${encodeURIComponent('太郎12345')}`, counselor],
    ['register list (first page)', register(''), keeper],
    ...(district ? [[`register list: 地区 ${district.code} (${district.entries} entries)`, register(`?districtCode=${district.code}`), keeper] as [string, string, string]] : []),
    ['register list: state filter', register('?state=awaiting_answer'), keeper],
    ['register list: 地区 and state', register(`?districtCode=${district?.code ?? 'A'}&state=registered`), keeper],
    ['register list: not eligible', register('?eligible=false'), keeper],
    ...(middle ? [['register list: page half way', register(`?cursor=${ENTRY_ORDER.encode(middle)}`), keeper] as [string, string, string]] : []),
    ['audit: latest 100', '/api/v1/audit/entries?limit=100', auditor],
    ['audit: by person', `/api/v1/audit/entries?personId=${sample.person_id}`, auditor],
    ['audit: by staff, denied', `/api/v1/audit/entries?actorId=${sample.actor_id}&outcome=denied`, auditor],
  ];
  const rows: string[][] = [];
  rss.period();
  for (const [name, path, bearer] of targets) {
    // Untimed first requests: the first of each route pays for compiling its code paths and plans.
    for (let i = 0; i < WARM_UP; i++) await get(path, bearer);
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      await get(path, bearer);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    rows.push([name, percentile(times, 50).toFixed(1), percentile(times, 95).toFixed(1), percentile(times, 99).toFixed(1)]);
  }

  const queriesRssMb = rss.period();
  // The service's verification as an auditor gets it; it seals first, so it covers every committed row.
  const nodeStarted = performance.now();
  const inNode = JSON.parse(await get('/api/v1/audit/verify', auditor)) as { ok: boolean; checked: number; brokenAtSeq: number | null; reason: string | null };
  const nodeSeconds = (performance.now() - nodeStarted) / 1000;
  const verifyRssMb = rss.period();
  rss.stop();
  const { peakMb } = service.rss();

  await owner.query('begin');
  await owner.query(`select set_config('app.tenant_id', $1, true)`, [tenantId('tsunagi-city')]);
  const started = performance.now();
  const [verified] = (await owner.query('select * from audit_verify()')).rows;
  const seconds = (performance.now() - started) / 1000;
  await owner.query('commit');
  await owner.end();
  agent.destroy();
  await service.stop();
  await database.embedded?.stop();

  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} cores`);
  console.log(`oversight on ${cases} cases, ${referrals} referrals, ${entries} register entries, ${audit} audit rows (${ROUNDS} requests each; aims: p95 ≤ 50 ms, verification ≥ 1,000,000 entries/s)`);
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'query'.padEnd(width)}  p50 ms  p95 ms  p99 ms  (aim p95 ≤ 50)`);
  for (const [name, p50, p95, p99] of rows) console.log(`${name.padEnd(width)}  ${p50.padStart(6)}  ${p95.padStart(6)}  ${p99.padStart(6)}${Number(p95) > 50 ? '  over' : ''}`);
  console.log(rssLine(peakMb, `service RSS peak over the whole run (queries ${queriesRssMb} MB, verification ${verifyRssMb} MB; the service runs in a process of its own)`, service.heapLimitMb));
  const rate = (checked: number, s: number) => `${checked} entries in ${s.toFixed(2)} s = ${Math.round(checked / s).toLocaleString('en')} entries/s (aim ≥ 1,000,000)`;
  console.log(`audit verification, service (GET /audit/verify, ${config.auditSealing.verifyWorkers} worker threads): ${rate(inNode.checked, nodeSeconds)}, chain ${inNode.ok ? 'ok' : `broken at ${inNode.brokenAtSeq} (${inNode.reason})`}`);
  console.log(`audit verification, SQL audit_verify(): ${rate(Number(verified.checked), seconds)}, chain ${verified.ok ? 'ok' : `broken at ${verified.broken_at_seq}`}`);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * npm run bench:audit-chain — what the audit chain costs a write, in SQL alone (pgbench, 16 clients):
 * pgbench's INSERT + UPDATE, then with one audit row appended (unsealed: its trigger only stamps it),
 * all clients in one tenant and each client in a tenant of its own, then one tenant again with its
 * sealer chaining the rows beside the writers as the service does (every 20 ms, on its own
 * connection). On a durable and an fsync-off server. Before the sealer, the one-tenant row was
 * bounded by the chain head's lock (about 0.25 of pgbench); now writers share no lock, and the last
 * row shows what sealing beside them costs and whether it keeps up.
 * `BENCH_ONLY=verify` skips the writers and runs only the verification on the durable server.
 */
import 'reflect-metadata';
import pg from 'pg';
import { pgbench } from './pgbench';
import os from 'node:os';
import { to as copyTo } from 'pg-copy-streams';
import { chainCopySql } from '../src/modules/audit/verification/chain-copy';
import { checkChainInParallel } from '../src/modules/audit/verification/parallel-chain-check';
import { benchDatabase, table } from './support';

const VERIFY_ROWS = Number(process.env.BENCH_VERIFY_ROWS ?? 200_000);
const ONLY_VERIFY = process.env.BENCH_ONLY === 'verify';
const SEAL_EVERY_MS = 20;
const SEAL_BATCH = 10_000;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = 16;
const tenant = (n: number | string) => `('00000000-0000-0000-0000-0000000000' || (${n}))::uuid`;
const auditRow = (tenantSql: string) =>
  `INSERT INTO audit_log (tenant_id, actor_type, action, subject_type, outcome, detail, seq, occurred_at, prev_hash, hash) ` +
  `VALUES (${tenantSql}, 'system', 'case.start-monitoring', 'Case', 'allowed', '{"from":"in_support","to":"monitoring"}', 0, now(), '', '');\n`;

async function main(): Promise<void> {
  for (const fsyncOff of ONLY_VERIFY ? [false] : [false, true]) {
    const db = await benchDatabase({ fsyncOff });
    try {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query(`insert into tenants (id, code, name) select ${tenant('i')}, 'bench-' || i, 'bench' from generate_series(10, ${10 + CLIENTS}) i union all select ${tenant(90)}, 'bench-sealed', 'bench'`);
      await client.end();
      const rows: string[][] = [];
      let reference = 0;
      for (const [name, also] of ONLY_VERIFY ? [] : [
        ['INSERT + UPDATE (pgbench reference)', ''],
        ['+ audit row, one tenant (no sealer running)', auditRow(tenant(10))],
        ['+ audit row, a tenant per client', auditRow(tenant('10 + :client_id'))],
        ['+ audit row, one tenant, its sealer beside', auditRow(tenant(90))],
      ]) {
        const sealer = name.endsWith('beside') ? await sealBeside(db.url, '00000000-0000-0000-0000-000000000090') : null;
        const result = await pgbench(db.url, { clients: CLIENTS, seconds: SECONDS, also });
        const sealed = await sealer?.stop();
        if (!result) throw new Error('pgbench is not installed');
        reference ||= result.tps;
        rows.push([name, result.tps.toFixed(0), result.p99.toFixed(1), (result.tps / reference).toFixed(2), sealed ? `${sealed.during} (${sealed.left} left)` : '']);
      }
      if (rows.length) console.log(`\n== ${fsyncOff ? 'fsync-off' : 'durable'} server, ${CLIENTS} clients, ${SECONDS}s each`);
      if (rows.length) console.log(table(['transaction', 'tps', 'p99 ms', 'of reference', 'sealed during run'], rows));
      if (!fsyncOff) await verification(db.url);
    } finally {
      await db.close();
    }
  }
}

/**
 * A chain of VERIFY_ROWS entries in a tenant of its own (appended in one statement, then sealed as the
 * sealer does), verified in Node by worker threads and by the SQL function, each as entries per second.
 */
async function verification(url: string): Promise<void> {
  const tenantId = '00000000-0000-0000-0000-000000000091';
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`insert into tenants (id, code, name) values ($1, 'bench-verify', 'bench')`, [tenantId]);
  await client.query(
    `insert into audit_log (tenant_id, actor_type, actor_id, actor_roles, action, subject_type, subject_id, person_id, outcome, detail)
     select $1, 'staff', gen_random_uuid(), '{counselor@choju}', 'case.read', 'Case', gen_random_uuid()::text, gen_random_uuid(), 'allowed', jsonb_build_object('n', i, 'note', '閲覧')
       from generate_series(1, $2) i`,
    [tenantId, VERIFY_ROWS],
  );
  const sealer = await sealBeside(url, tenantId);
  let started = performance.now();
  const { total: during } = await sealer.stop();
  const sealSeconds = (performance.now() - started) / 1000;
  const rows: string[][] = [['seal (audit_seal, one sealer)', String(during), sealSeconds.toFixed(1), (during / sealSeconds).toFixed(0), '']];
  const workers = os.availableParallelism();
  started = performance.now();
  const inNode = await checkChainInParallel({ url, tenantId, from: 1, to: VERIFY_ROWS, workers });
  const nodeSeconds = (performance.now() - started) / 1000;
  rows.push([`verify in Node (${workers} worker threads)`, String(inNode.checked), nodeSeconds.toFixed(1), (inNode.checked / nodeSeconds).toFixed(0), '>= 1000000']);
  started = performance.now();
  await copyAlone(url, tenantId, workers);
  const copySeconds = (performance.now() - started) / 1000;
  rows.push([`PostgreSQL's COPY alone (${workers} segments, no hashing)`, String(VERIFY_ROWS), copySeconds.toFixed(1), (VERIFY_ROWS / copySeconds).toFixed(0), '']);
  await client.query('begin');
  await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
  started = performance.now();
  const [inSql] = (await client.query<{ ok: boolean; checked: string }>('select * from audit_verify()')).rows;
  const sqlSeconds = (performance.now() - started) / 1000;
  await client.query('commit');
  rows.push(['verify in SQL (audit_verify)', inSql.checked, sqlSeconds.toFixed(1), (Number(inSql.checked) / sqlSeconds).toFixed(0), '']);
  await client.end();
  if (inNode.broken || !inSql.ok) throw new Error('the bench chain does not verify');
  console.log(`\n== audit chain of ${VERIFY_ROWS} entries (BENCH_VERIFY_ROWS), durable server`);
  console.log(table(['step', 'entries', 's', 'entries/s', 'target'], rows));
}

/** The database's side of Node's verification alone: the same binary COPY of each segment, read and dropped, so the most Node could check per second here. */
async function copyAlone(url: string, tenantId: string, segments: number): Promise<void> {
  const size = Math.ceil(VERIFY_ROWS / segments);
  await Promise.all(
    Array.from({ length: segments }, async (_, i) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('begin read only');
      await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      for await (const chunk of client.query(copyTo(chainCopySql(i * size + 1, Math.min(VERIFY_ROWS, (i + 1) * size))))) void chunk;
      await client.query('commit');
      await client.end();
    }),
  );
}

/** The tenant's sealer on a connection of its own, as the service runs it; `stop` says how many rows it sealed meanwhile and how many it left. */
async function sealBeside(url: string, tenantId: string): Promise<{ stop(): Promise<{ during: number; left: number; total: number }> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  client.on('error', () => undefined);
  let running = true;
  let during = 0;
  const seal = async () => {
    await client.query('begin');
    await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
    const { rows } = await client.query<{ n: number }>('select audit_seal($1) as n', [SEAL_BATCH]);
    await client.query('commit');
    return Number(rows[0].n);
  };
  const loop = (async () => {
    for (let n = SEAL_BATCH; running || n === SEAL_BATCH; ) {
      n = await seal();
      during += n;
      if (n < SEAL_BATCH && running) await new Promise((resolve) => setTimeout(resolve, SEAL_EVERY_MS));
    }
  })();
  return {
    /** How many it sealed while the writers ran and how many it had not reached then; it drains those before it stops. */
    async stop() {
      const sealedThen = during;
      const { rows } = await client.query<{ n: string }>(`select count(*) n from audit_log where tenant_id = $1 and seq is null`, [tenantId]);
      running = false;
      await loop;
      await client.end();
      return { during: sealedThen, left: Number(rows[0].n), total: during };
    },
  };
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * npm run bench:audit-chain — what the audit chain costs a write, in SQL alone (pgbench, 16 clients):
 * pgbench's INSERT + UPDATE, then with one audit row appended (unsealed: its trigger only stamps it),
 * all clients in one tenant and each client in a tenant of its own, then one tenant again with its
 * sealer chaining the rows beside the writers as the service does (every 20 ms, on its own
 * connection). On a durable and an fsync-off server. Before the sealer, the one-tenant row was
 * bounded by the chain head's lock (about 0.25 of pgbench); now writers share no lock, and the last
 * row shows what sealing beside them costs and whether it keeps up.
 */
import 'reflect-metadata';
import pg from 'pg';
import { pgbench } from './pgbench';
import { benchDatabase, table } from './support';

const SEAL_EVERY_MS = 20;
const SEAL_BATCH = 10_000;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = 16;
const tenant = (n: number | string) => `('00000000-0000-0000-0000-0000000000' || (${n}))::uuid`;
const auditRow = (tenantSql: string) =>
  `INSERT INTO audit_log (tenant_id, actor_type, action, subject_type, outcome, detail, seq, occurred_at, prev_hash, hash) ` +
  `VALUES (${tenantSql}, 'system', 'case.start-monitoring', 'Case', 'allowed', '{"from":"in_support","to":"monitoring"}', 0, now(), '', '');\n`;

async function main(): Promise<void> {
  for (const fsyncOff of [false, true]) {
    const db = await benchDatabase({ serverUrl: fsyncOff ? undefined : process.env.DATABASE_URL, fsyncOff });
    try {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query(`insert into tenants (id, code, name) select ${tenant('i')}, 'bench-' || i, 'bench' from generate_series(10, ${10 + CLIENTS}) i union all select ${tenant(90)}, 'bench-sealed', 'bench'`);
      await client.end();
      const rows: string[][] = [];
      let reference = 0;
      for (const [name, also] of [
        ['INSERT + UPDATE (pgbench reference)', ''],
        ['+ audit row, one tenant (no sealer running)', auditRow(tenant(10))],
        ['+ audit row, a tenant per client', auditRow(tenant('10 + :client_id'))],
        ['+ audit row, one tenant, its sealer beside', auditRow(tenant(90))],
      ]) {
        const sealer = name.includes('sealer') ? await sealBeside(db.url, '00000000-0000-0000-0000-000000000090') : null;
        const result = await pgbench(db.url, { clients: CLIENTS, seconds: SECONDS, also });
        const sealed = await sealer?.stop();
        if (!result) throw new Error('pgbench is not installed');
        reference ||= result.tps;
        rows.push([name, result.tps.toFixed(0), result.p99.toFixed(1), (result.tps / reference).toFixed(2), sealed ? `${sealed.during} (${sealed.left} left)` : '']);
      }
      console.log(`\n== ${fsyncOff ? 'fsync-off' : 'durable'} server, ${CLIENTS} clients, ${SECONDS}s each`);
      console.log(table(['transaction', 'tps', 'p99 ms', 'of reference', 'sealed during run'], rows));
    } finally {
      await db.close();
    }
  }
}

/** The tenant's sealer on a connection of its own, as the service runs it; `stop` says how many rows it sealed meanwhile and how many it left. */
async function sealBeside(url: string, tenantId: string): Promise<{ stop(): Promise<{ during: number; left: number }> }> {
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
    while (running) {
      const n = await seal();
      during += n;
      if (n < SEAL_BATCH) await new Promise((resolve) => setTimeout(resolve, SEAL_EVERY_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const { rows } = await client.query<{ n: string }>(`select count(*) n from audit_log where tenant_id = $1 and seq is null`, [tenantId]);
      await client.end();
      return { during, left: Number(rows[0].n) };
    },
  };
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * npm run bench:audit-chain — what the audit chain costs a write, in SQL alone (pgbench, 16 clients):
 * pgbench's INSERT + UPDATE, then with one audit row appended (its trigger hashes it and moves the
 * tenant's chain head), all clients in one tenant (one chain, whose head lock serialises them) and
 * each client in a tenant of its own (as many chains). On a durable and an fsync-off server.
 * The first over the second is what the head lock costs; the first over pgbench bounds what a
 * service that audits every transition in one tenant can reach.
 */
import 'reflect-metadata';
import pg from 'pg';
import { pgbench } from './pgbench';
import { benchDatabase, table } from './support';

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
      await client.query(`insert into tenants (id, code, name) select ${tenant('i')}, 'bench-' || i, 'bench' from generate_series(10, ${10 + CLIENTS}) i`);
      await client.end();
      const rows: string[][] = [];
      let reference = 0;
      for (const [name, also] of [
        ['INSERT + UPDATE (pgbench reference)', ''],
        ['+ audit row, one tenant (one chain)', auditRow(tenant(10))],
        ['+ audit row, a tenant per client', auditRow(tenant('10 + :client_id'))],
      ]) {
        const result = await pgbench(db.url, { clients: CLIENTS, seconds: SECONDS, also });
        if (!result) throw new Error('pgbench is not installed');
        reference ||= result.tps;
        rows.push([name, result.tps.toFixed(0), result.p99.toFixed(1), (result.tps / reference).toFixed(2)]);
      }
      console.log(`\n== ${fsyncOff ? 'fsync-off' : 'durable'} server, ${CLIENTS} clients, ${SECONDS}s each`);
      console.log(table(['transaction', 'tps', 'p99 ms', 'of reference'], rows));
    } finally {
      await db.close();
    }
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});

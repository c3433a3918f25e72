import pg from 'pg';
import type { TestApp } from './test-app';

export type Fingerprint = Record<string, string>;

/**
 * Every table of the test database, each as its row count and newest row version (xmin): an insert,
 * update or delete anywhere changes it (in the audit log: an insert or delete, see `newest`). Tables are read from the catalog, so a table added later is
 * covered. One prepared statement on its own connection: planning fifty counts costs more than running them.
 */
export class RowFingerprints {
  private constructor(
    private readonly client: pg.Client,
    private readonly statement: string,
  ) {}

  static async open(t: TestApp): Promise<RowFingerprints> {
    const tables = await t.sql<{ name: string }>(`select quote_ident(tablename) as name from pg_tables where schemaname = 'public' order by tablename`);
    const statement = tables.map(({ name }) => `select '${name}' as name, count(*) || ':' || coalesce(max(${newest(name)}), 0) as print from ${name}`).join(' union all ');
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    return new RowFingerprints(client, statement);
  }

  async take(): Promise<Fingerprint> {
    const { rows } = await this.client.query<{ name: string; print: string }>({ name: 'row-fingerprint', text: this.statement });
    return Object.fromEntries(rows.map((r) => [r.name, r.print]));
  }

  /** Whether another session of the database is inside a statement or a transaction: work still under way. */
  async busy(): Promise<boolean> {
    const { rows } = await this.client.query<{ busy: boolean }>({
      name: 'row-fingerprint-busy',
      text: `select exists (select 1 from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle') as busy`,
    });
    return rows[0].busy;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/**
 * What marks a table's newest change. The audit log's rows are never updated but by their sealer (which
 * chains them after commit, whenever it runs): its newest insert number says what was written.
 */
const newest = (table: string) => (table === 'audit_log' ? 'id' : 'xmin::text::bigint');

/** The tables whose rows changed between two fingerprints. */
export const changedTables = (before: Fingerprint, after: Fingerprint) => Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]).sort();

/** The tables a refusal writes to: the audit log and what keeps it tamper-evident. */
export const isAuditTrail = (table: string) => /^audit_(log|chain|checkpoint)/.test(table);

/** The tables that changed other than the audit trail. */
export const changedOutsideAudit = (before: Fingerprint, after: Fingerprint) => changedTables(before, after).filter((table) => !isAuditTrail(table));

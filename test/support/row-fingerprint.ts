import type { TestApp } from './test-app';

export type Fingerprint = Record<string, string>;

let statement: string | undefined;

/**
 * Every table of the test database, each as its row count and the newest row version (xmin): an
 * insert, update or delete anywhere changes it. Tables are read from the catalog, so a table added
 * later is covered.
 */
export async function rowFingerprint(t: TestApp): Promise<Fingerprint> {
  statement ??= (
    await t.sql<{ name: string }>(`select quote_ident(tablename) as name from pg_tables where schemaname = 'public' order by tablename`)
  )
    .map(({ name }) => `select '${name}' as name, count(*) || ':' || coalesce(max(xmin::text::bigint), 0) as print from ${name}`)
    .join(' union all ');
  const rows = await t.sql<{ name: string; print: string }>(statement);
  return Object.fromEntries(rows.map((r) => [r.name, r.print]));
}

/** The tables whose rows changed between two fingerprints. */
export const changedTables = (before: Fingerprint, after: Fingerprint) => Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]).sort();

/** The tables a refusal writes to: the audit log and what keeps it tamper-evident. */
export const isAuditTrail = (table: string) => /^audit_(log|chain|checkpoint)/.test(table);

/** The tables that changed other than the audit trail. */
export const changedOutsideAudit = (before: Fingerprint, after: Fingerprint) => changedTables(before, after).filter((table) => !isAuditTrail(table));

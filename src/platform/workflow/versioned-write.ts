import type { EntityManager } from '@mikro-orm/postgresql';
import { boundRows } from '../database/bound-query';
import { versionConflict } from '../http/app-error';

/**
 * A row appended beside a change (its domain event, its audit row). `values` are the SQL expressions
 * of `columns`, `?` for each of `params` in order; give each `?` a cast (`?::uuid`): the row is
 * inserted through a SELECT, where PostgreSQL does not take a parameter's type from its column.
 */
export interface RowInsert {
  table: string;
  columns: readonly string[];
  values: string;
  params: readonly unknown[];
}

/** A change to a record with a version column (optimistic locking). */
export interface VersionedChange {
  table: string;
  id: string;
  /** The version the decision was made on: the change lands only on it, and leaves it one higher. */
  expectedVersion: number;
  /** Column → new value (bound as a parameter; its type is the column's). */
  set: Record<string, unknown>;
}

/**
 * Writes a decided change in one statement, one round trip: the update guarded by the version read,
 * and the rows that go with it (its event, its audit row), inserted only if the update landed. Returns
 * the new version; someone who committed first makes it a version conflict (409, naming the version
 * they left), and nothing is written. Only inside a transaction (`Db.inTenant`), like `boundQuery`.
 *
 * For the hot path of versioned transitions: no unit of work to compute, no statement per row.
 */
export async function writeVersionedChange(em: EntityManager, change: VersionedChange, rows: readonly RowInsert[]): Promise<number> {
  const params: unknown[] = [];
  const bind = (sql: string, values: readonly unknown[]): string => {
    let next = 0;
    const bound = sql.replace(/\?/g, () => {
      params.push(values[next++]);
      return `$${params.length}`;
    });
    if (next !== values.length) throw new Error(`writeVersionedChange: ${values.length} parameters for ${next} placeholders`);
    return bound;
  };
  const sets = Object.entries(change.set).map(([column, value]) => `${column} = ${bind('?', [value])}`);
  const update = `update ${change.table} set ${[...sets, 'version = version + 1'].join(', ')} where ${bind('id = ? and version = ?', [change.id, change.expectedVersion])} returning version`;
  const inserts = rows.map((row, n) => `, r${n} as (insert into ${row.table} (${row.columns.join(', ')}) select ${bind(row.values, row.params)} from moved)`);
  const [moved] = await boundRows<{ version: number }>(em, `with moved as (${update})${inserts.join('')} select version from moved`, params);
  if (moved) return moved.version;
  const [current] = await boundRows<{ version: number }>(em, `select version from ${change.table} where id = $1`, [change.id]);
  throw versionConflict(current?.version ?? 0);
}

import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

type Rename = [column: string, property: string, isDate: boolean];
const renames = new WeakMap<object, Rename[]>();

/**
 * A row read with `alias.*` in plain SQL, as the entity it is (its properties by name), without the
 * unit of work: not managed, nothing to flush. For hot paths that read a record to decide on it and
 * write the decision in SQL of their own (`writeVersionedChange`). Times become Dates; other values
 * stay as the driver gives them (fine for text, numbers, uuids, arrays and json).
 */
export function entityFromRow<T>(em: EntityManager, entity: EntityName<T>, row: Record<string, unknown>): T {
  let pairs = renames.get(entity);
  if (!pairs) {
    pairs = Object.values(em.getMetadata().get(entity).props)
      .filter((prop) => prop.fieldNames?.length === 1)
      .map((prop): Rename => [prop.fieldNames[0], prop.name as string, prop.runtimeType === 'Date']);
    renames.set(entity, pairs);
  }
  return Object.fromEntries(pairs.map(([column, property, isDate]) => [property, isDate ? asDate(row[column]) : row[column]])) as T;
}

/** A time as the driver gives it here: MikroORM has it leave times as text (it parses them itself). */
export function asDate(value: unknown): Date | null {
  return value == null ? null : value instanceof Date ? value : new Date(value as string);
}

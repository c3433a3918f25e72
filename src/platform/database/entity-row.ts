import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

const renames = new WeakMap<object, Array<[column: string, property: string]>>();

/**
 * A row read with `alias.*` in plain SQL, as the entity it is (its properties by name), without the
 * unit of work: not managed, nothing to flush. For hot paths that read a record to decide on it and
 * write the decision in SQL of their own (`writeVersionedChange`).
 */
export function entityFromRow<T>(em: EntityManager, entity: EntityName<T>, row: Record<string, unknown>): T {
  let pairs = renames.get(entity);
  if (!pairs) {
    pairs = Object.values(em.getMetadata().get(entity).props)
      .filter((prop) => prop.fieldNames?.length === 1)
      .map((prop) => [prop.fieldNames[0], prop.name as string]);
    renames.set(entity, pairs);
  }
  return Object.fromEntries(pairs.map(([column, property]) => [property, row[column]])) as T;
}

import { rulesToCondition } from '@casl/ability/extra';
import type { FilterQuery } from '@mikro-orm/core';
import type { Action, AppAbility, SubjectType } from './ability.factory';

/**
 * The ability's rules for one action on one subject type, as a MikroORM filter for list queries:
 * the same rules that guard single records, so a list can never show what a read would refuse.
 * Returns null when no rule allows anything.
 */
export function accessibleWhere<T extends object>(ability: AppAbility, action: Action, subjectType: SubjectType, computed: ComputedFields = {}): FilterQuery<T> | null {
  return rulesToCondition(
    ability.rulesFor(action, subjectType),
    (rule) => {
      const conditions = inColumns(rule.conditions ?? {}, computed);
      return rule.inverted ? { $not: conditions } : conditions;
    },
    {
      and: (conditions) => ({ $and: conditions }),
      or: (conditions) => ({ $or: conditions }),
      empty: () => ({}),
    },
  ) as FilterQuery<T> | null;
}

/**
 * Fields the rules name that are no column (a meeting's `memberStaffIds` is read from its members),
 * each with the condition on columns that means the same for a value.
 */
export type ComputedFields = Record<string, (value: unknown) => object>;

function inColumns(conditions: Record<string, unknown>, computed: ComputedFields): object {
  const entries = Object.entries(conditions);
  const columns = Object.fromEntries(entries.filter(([field]) => !computed[field]));
  const translated = entries.filter(([field]) => computed[field]).map(([field, value]) => computed[field](value));
  return translated.length ? { $and: [columns, ...translated] } : columns;
}

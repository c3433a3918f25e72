import { rulesToCondition } from '@casl/ability/extra';
import type { FilterQuery } from '@mikro-orm/core';
import type { Action, AppAbility, SubjectType } from './ability.factory';

/**
 * The ability's rules for one action on one subject type, as a MikroORM filter for list queries:
 * the same rules that guard single records, so a list can never show what a read would refuse.
 * Returns null when no rule allows anything.
 */
export function accessibleWhere<T extends object>(ability: AppAbility, action: Action, subjectType: SubjectType): FilterQuery<T> | null {
  return rulesToCondition(
    ability.rulesFor(action, subjectType),
    (rule) => (rule.inverted ? { $not: rule.conditions ?? {} } : (rule.conditions ?? {})),
    {
      and: (conditions) => ({ $and: conditions }),
      or: (conditions) => ({ $or: conditions }),
      empty: () => ({}),
    },
  ) as FilterQuery<T> | null;
}

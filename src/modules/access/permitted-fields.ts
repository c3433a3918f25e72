import { subject as asSubject } from '@casl/ability';
import { permittedFieldsOf } from '@casl/ability/extra';
import type { Action, AppAbility, SubjectType } from './ability.factory';

/** Keeps only the fields the ability lets this principal see: response serializers go through here. */
export function pickPermitted<T extends Record<string, unknown>>(
  ability: AppAbility,
  action: Action,
  subjectType: SubjectType,
  record: T,
): Partial<T> {
  const allFields = Object.keys(record);
  const fields = permittedFieldsOf(ability, action, asSubject(subjectType, { ...record }), {
    fieldsFrom: (rule) => rule.fields ?? allFields,
  });
  return Object.fromEntries(allFields.filter((f) => fields.includes(f)).map((f) => [f, record[f]])) as Partial<T>;
}

import type { AppAbility } from '../access/ability.factory';
import { CONTACT_FIELDS, PERSON_FIELD_GROUPS, type PersonField } from '../referrals/domain/shared-package';
import type { Person } from './domain/person.entity';
import { mayReadContact } from './dv-protection';

export type PersonValues = Partial<Record<PersonField, unknown>>;

/** A person's data in the field catalog that referrals and consents speak. */
export function personValues(person: Person): PersonValues {
  const sensitive = person.sensitive ?? {};
  return {
    name: { family: person.familyName, given: person.givenName },
    kana: { family: person.familyNameKana ?? null, given: person.givenNameKana ?? null },
    birthDate: person.birthDate ?? null,
    sex: person.sex,
    address: person.address ?? null,
    phone: person.phone ?? null,
    email: person.email ?? null,
    disability: sensitive.disability ?? null,
    medicalHistory: sensitive.medicalHistory ?? null,
    handbooks: sensitive.handbooks ?? [],
    careLevel: sensitive.careLevel ?? null,
  };
}

export const OWN_CASE_FIELDS = (withSensitive: boolean): PersonField[] => [
  ...PERSON_FIELD_GROUPS.basic,
  ...PERSON_FIELD_GROUPS.contact,
  ...(withSensitive ? PERSON_FIELD_GROUPS.sensitive : []),
];

/**
 * Keeps the fields this reader may see. A DV-protected person's address and contacts are removed
 * outright for anyone but the named protectors — no masked value, no warning to click away —
 * and the caller audits `contactWithheld` as a refused attempt.
 */
export function presentPerson(
  person: Pick<Person, 'id' | 'tenantId' | 'dvProtected' | 'dvProtectorIds'>,
  values: PersonValues,
  ability: AppAbility,
  fields: readonly PersonField[],
): { values: PersonValues; contactWithheld: boolean } {
  const contactShown = mayReadContact(ability, person);
  const withheld = fields.filter((f) => CONTACT_FIELDS.includes(f) && !contactShown);
  const shown = fields.filter((f) => !withheld.includes(f) && f in values);
  return { values: Object.fromEntries(shown.map((f) => [f, values[f]])), contactWithheld: withheld.length > 0 };
}

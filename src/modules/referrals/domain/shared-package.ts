/** Fields a referral can carry, grouped as consent scopes are (基本, 連絡先, 要配慮, ケース). */
export const PERSON_FIELD_GROUPS = {
  basic: ['name', 'kana', 'birthDate', 'sex'],
  contact: ['address', 'phone', 'email'],
  sensitive: ['disability', 'medicalHistory', 'handbooks', 'careLevel'],
} as const;
export const CASE_FIELDS = ['issues', 'summary'] as const;
export const CONSENT_SCOPES = ['basic', 'contact', 'sensitive', 'case'] as const;

export type PersonFieldGroup = keyof typeof PERSON_FIELD_GROUPS;
export type PersonField = (typeof PERSON_FIELD_GROUPS)[PersonFieldGroup][number];
export type CaseField = (typeof CASE_FIELDS)[number];
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

export const PERSON_FIELDS = Object.values(PERSON_FIELD_GROUPS).flat() as PersonField[];
export const CONTACT_FIELDS: readonly PersonField[] = PERSON_FIELD_GROUPS.contact;

export function groupOf(field: PersonField): PersonFieldGroup {
  return (Object.keys(PERSON_FIELD_GROUPS) as PersonFieldGroup[]).find((g) => (PERSON_FIELD_GROUPS[g] as readonly string[]).includes(field))!;
}

/** What the receiver sees, frozen at the moment of sharing. */
export interface SharedPackage {
  case: { fields: CaseField[]; values: Partial<Record<CaseField, unknown>>; version: number };
  persons: {
    personId: string;
    relation: string;
    fields: PersonField[];
    values: Partial<Record<PersonField, unknown>>;
    version: number;
    consentId: string | null;
  }[];
}

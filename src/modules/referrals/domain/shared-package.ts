import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/** Fields a referral can carry, grouped as consent scopes are (基本, 連絡先, 要配慮, ケース). */
export const PERSON_FIELD_GROUPS = {
  basic: ['name', 'kana', 'birthDate', 'sex'],
  contact: ['address', 'phone', 'email'],
  sensitive: ['disability', 'medicalHistory', 'handbooks', 'careLevel'],
} as const;
export const CASE_FIELDS = ['issues', 'summary'] as const;
export const CONSENT_SCOPES = ['basic', 'contact', 'sensitive', 'case'] as const;

/** The items a person reads for each field name (withheld fields, consent scopes, shared packages). */
export const PERSON_FIELD_LABELS = vocabulary('personField', {
  name: { ja: '氏名', en: 'Name' },
  kana: { ja: 'フリガナ', en: 'Kana' },
  birthDate: { ja: '生年月日', en: 'Date of birth' },
  sex: { ja: '性別', en: 'Sex' },
  address: { ja: '住所', en: 'Address' },
  phone: { ja: '電話番号', en: 'Phone' },
  email: { ja: 'メールアドレス', en: 'Email' },
  disability: { ja: '障がいの状況', en: 'Disability' },
  medicalHistory: { ja: '病歴', en: 'Medical history' },
  handbooks: { ja: '手帳', en: 'Handbooks' },
  careLevel: { ja: '要介護度', en: 'Care level' },
} satisfies Record<(typeof PERSON_FIELD_GROUPS)[keyof typeof PERSON_FIELD_GROUPS][number], { ja: string; en: string }>);
export const CASE_FIELD_LABELS = vocabulary('caseField', {
  issues: { ja: '課題', en: 'Issues' },
  summary: { ja: '概要', en: 'Summary' },
} satisfies Record<(typeof CASE_FIELDS)[number], { ja: string; en: string }>);
export const CONSENT_SCOPE_LABELS = vocabulary('consentScope', {
  basic: { ja: '基本情報', en: 'Basic' },
  contact: { ja: '連絡先', en: 'Contact' },
  sensitive: { ja: '要配慮個人情報', en: 'Sensitive' },
  case: { ja: 'ケース情報', en: 'Case' },
} satisfies Record<(typeof CONSENT_SCOPES)[number], { ja: string; en: string }>);

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

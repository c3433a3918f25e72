import { z } from 'zod';
import { bilingual, isoDate, text } from '../../../platform/http/input';
import { SEXES } from './person.entity';
import { residentNumber } from './person.schemas';
import { pageParams } from '../../../platform/http/api-contract/paging';

export const SEARCH_LIMIT = { default: 20, max: 100 } as const;

/** `GET /people`: every term optional; all given terms must match, each on a field the department holds. */
export const findPeopleQuery = z.strictObject({
  q: text(100).optional().describe('Name or kana, normalised (width, hiragana/katakana, spaces, dash forms)'),
  birthDate: isoDate.optional().describe('YYYY-MM-DD'),
  residentNumber: residentNumber.optional().describe('宛名番号: matches only records your department collected'),
  phone: text(30).optional().describe('Digits of the phone number, any punctuation'),
  address: text(200).optional().describe('A fragment of the address'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(SEARCH_LIMIT.max)
    .default(SEARCH_LIMIT.default)
    .describe(`Items per page: default ${SEARCH_LIMIT.default}, at most ${SEARCH_LIMIT.max}`),
  cursor: pageParams.cursor,
});
export type FindPeopleInput = z.infer<typeof findPeopleQuery>;

/** `GET /people/:id/history` and `/merges`: paged like every list. */
export const personPageQuery = z.strictObject({ ...pageParams });
export type PersonPageInput = z.infer<typeof personPageQuery>;

/** Naming a person one may not hold, as at the intake check: name + birth date, or the 宛名番号. */
const personTermFields = {
  familyName: text(50).optional(),
  givenName: text(50).optional(),
  birthDate: isoDate.optional(),
  residentNumber: residentNumber.optional(),
};
const oneWayToName = (c: { familyName?: string; givenName?: string; birthDate?: string; residentNumber?: string }) =>
  (c.residentNumber !== undefined) !== (c.familyName !== undefined && c.givenName !== undefined && c.birthDate !== undefined);
const ONE_WAY_TO_NAME = bilingual(
  { ja: '氏名（姓・名）と生年月日、または宛名番号のどちらか一方を指定してください。', en: 'Give either the name (family and given) with the birth date, or the resident number.' },
  ['residentNumber'],
);
export const personTermsSchema = z.strictObject(personTermFields).refine(oneWayToName, ONE_WAY_TO_NAME);
export type PersonTerms = z.infer<typeof personTermsSchema>;

/** 断らない相談: the person's terms; the reason is audited with the check. */
export const intakeCheckSchema = z.strictObject({ ...personTermFields, reason: text(500) }).refine(oneWayToName, ONE_WAY_TO_NAME);
export type IntakeCheckInput = z.infer<typeof intakeCheckSchema>;

const nullableText = (max: number) => text(max).nullable().optional();

/** The correctable fields of a person; each must be held by the correcting department. */
export const correctPersonSchema = z
  .strictObject({
    /** The version you read (or send If-Match). */
    version: z.int().min(1).optional(),
    reason: text(500),
    familyName: text(50).optional(),
    givenName: text(50).optional(),
    familyNameKana: nullableText(50),
    givenNameKana: nullableText(50),
    birthDate: isoDate.nullable().optional(),
    sex: z.enum(SEXES).optional(),
    address: nullableText(200),
    phone: nullableText(30),
    email: z.email().nullable().optional(),
    residentNumber: residentNumber.nullable().optional(),
  })
  .refine(
    (c) => Object.keys(c).some((k) => k !== 'version' && k !== 'reason'),
    bilingual({ ja: '訂正する項目を1つ以上指定してください。', en: 'Name at least one field to correct.' }),
  );
export type CorrectPersonInput = z.infer<typeof correctPersonSchema>;

/** 名寄せ: the duplicate to merge into the record named in the path, both on the versions read. */
export const mergePersonSchema = z.strictObject({
  duplicateId: z.uuid().describe('The duplicate record: it becomes a tombstone, its references move to the survivor'),
  /** The survivor's version you read (or send If-Match). */
  version: z.int().min(1).optional(),
  duplicateVersion: z.int().min(1).describe('The duplicate’s version you read'),
  reason: text(500),
});
export type MergePersonInput = z.infer<typeof mergePersonSchema>;

/** Undoing a merge, on the merge's version, with a reason. */
export const undoMergeSchema = z.strictObject({ version: z.int().min(1).optional(), reason: text(500) });
export type UndoMergeInput = z.infer<typeof undoMergeSchema>;

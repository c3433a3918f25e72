import { z } from 'zod';
import { PERSON_FIELDS, type PersonField } from '../referrals/domain/shared-package';
import { SEXES } from './domain/person.entity';

const nullableText = z.string().nullable();

/**
 * A person as a reader sees them (AuditedPersonReader): only the fields shown are present; those
 * asked for but withheld (DV protection, not held) are named in `withheldFields`.
 */
export const PersonViewSchema = z
  .object({
    contactWithheld: z.boolean().describe('True when DV protection withheld address and contacts from this reader'),
    withheldFields: z.array(z.enum(PERSON_FIELDS as [PersonField, ...PersonField[]])),
    name: z.object({ family: z.string(), given: z.string() }).optional(),
    kana: z.object({ family: nullableText, given: nullableText }).optional(),
    birthDate: nullableText.optional().describe('YYYY-MM-DD'),
    sex: z.enum(SEXES).optional(),
    address: nullableText.optional(),
    phone: nullableText.optional(),
    email: nullableText.optional(),
    disability: nullableText.optional(),
    medicalHistory: nullableText.optional(),
    handbooks: z.array(z.string()).optional(),
    careLevel: nullableText.optional(),
  })
  .meta({ id: 'PersonView' });

/** A person of a shared package: who they are to the case, and the fields as they were when shared. */
export const SharedPersonSchema = PersonViewSchema.extend({ personId: z.uuid(), relation: z.string() }).meta({ id: 'SharedPerson' });

/** The catalog fields of a person view, each also `null`: heldPersonViews answers a withheld field as null. */
const heldFields = Object.fromEntries(PERSON_FIELDS.map((field) => [field, (PersonViewSchema.shape[field] as z.ZodType).nullable()])) as {
  [F in PersonField]: z.ZodNullable<(typeof PersonViewSchema.shape)[F]>;
};

/**
 * A person as the caller's departments hold them (heldPersonViews): every field asked for is present,
 * null when withheld or unknown (`withheldFields` says which), and the 宛名番号 only to the department
 * that collected the record.
 */
export const HeldPersonSchema = PersonViewSchema.extend({
  id: z.uuid(),
  version: z.int().min(1),
  residentNumber: z.string().nullable().describe('宛名番号: shown to the department that collected the record, else null'),
  ...heldFields,
}).meta({ id: 'HeldPerson' });

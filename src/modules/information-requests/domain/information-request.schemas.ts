import { z } from 'zod';
import { pageParams } from '../../../platform/http/api-contract/paging';
import { bilingual, text } from '../../../platform/http/input';
import { PERSON_FIELD_GROUPS, type PersonField, type PersonFieldGroup } from '../../referrals/domain/shared-package';
import { personTermsSchema } from '../../people/domain/people.schemas';
import { INFORMATION_REQUEST_STATES } from './information-request.machine';
import { REFERRAL_BASES } from '../../referrals/domain/referral.schemas';
import { BASIS_REASON_MISSING, needsBasisReason } from '../../referrals/domain/share-bases';

/**
 * The bases a 情報照会 between departments rests on (domain.md §5): those of a referral, with what each asks
 * decided in `referrals/domain/share-bases.ts` — 本人同意 checked at approval, 69条②2/②3 by the departments'
 * bodies, 69条②4 approved by the holding department's manager.
 */
export const INFORMATION_REQUEST_BASES = REFERRAL_BASES;
export const PERSON_FIELD_GROUP_CODES = Object.keys(PERSON_FIELD_GROUPS) as [PersonFieldGroup, ...PersonFieldGroup[]];
const fieldGroups = z.array(z.enum(PERSON_FIELD_GROUP_CODES)).min(1).max(PERSON_FIELD_GROUP_CODES.length);

export const fieldsOfGroups = (groups: readonly string[]): PersonField[] => groups.flatMap((g) => PERSON_FIELD_GROUPS[g as PersonFieldGroup] ?? []);

export const requestInformationSchema = z
  .strictObject({
    personId: z.uuid().optional().describe('A person by id; or name them in `person`'),
    person: personTermsSchema.optional().describe('The person as at the intake check (name + birth date, or 宛名番号), when the id is not known'),
    toDepartmentId: z.uuid().describe('A department holding the person (the intake check names them)'),
    /** Needed only when the caller works in more than one department and gives no case. */
    fromDepartmentId: z.uuid().optional(),
    groups: fieldGroups.describe('Field groups asked for (basic, contact, sensitive)'),
    purpose: text(1000),
    legalBasis: z.enum(INFORMATION_REQUEST_BASES),
    legalBasisReason: text(1000).optional().describe('Why the basis applies; needed for every basis but CONSENT'),
    /** A case of the requesting department: the person joins it once the request is approved. */
    caseId: z.uuid().optional(),
    relation: text(50).optional().describe('The person’s relation in the case (本人, 母 …); default 本人'),
  })
  .refine(
    (r) => (r.personId === undefined) !== (r.person === undefined),
    bilingual({ ja: '人は personId か person（氏名と生年月日、または宛名番号）のどちらか一方で指定してください。', en: 'Name the person either by personId or in person (name and birth date, or resident number).' }, ['personId']),
  )
  .refine((r) => !needsBasisReason(r.legalBasis) || !!r.legalBasisReason, bilingual(BASIS_REASON_MISSING, ['legalBasisReason']))
  .refine(
    (r) => r.relation === undefined || r.caseId !== undefined,
    bilingual({ ja: '続柄はケースを指定した場合のみ指定できます。', en: 'A relation needs a case.' }, ['relation']),
  );
export type RequestInformationInput = z.infer<typeof requestInformationSchema>;

export const INFORMATION_REQUEST_ACTIONS = { approve: 'APPROVE', decline: 'DECLINE', withdraw: 'WITHDRAW' } as const;
export type InformationRequestAction = keyof typeof INFORMATION_REQUEST_ACTIONS;
export const informationRequestActionParam = z.enum(Object.keys(INFORMATION_REQUEST_ACTIONS) as [InformationRequestAction, ...InformationRequestAction[]]);

export const informationRequestActionBodySchema = z.strictObject({
  version: z.int().min(1).optional(),
  reason: z.string().trim().max(1000).optional(),
  groups: z.array(z.enum(PERSON_FIELD_GROUP_CODES)).max(PERSON_FIELD_GROUP_CODES.length).optional().describe('approve: the groups disclosed, all requested or fewer (default: all requested)'),
});
export type InformationRequestActionBody = z.infer<typeof informationRequestActionBodySchema>;

export const informationRequestListQuery = z.strictObject({
  box: z.enum(['incoming', 'outgoing']).default('incoming').describe('incoming: asked of my departments (default); outgoing: asked by them'),
  state: z.enum(INFORMATION_REQUEST_STATES).optional(),
  ...pageParams,
});
export type InformationRequestListQuery = z.infer<typeof informationRequestListQuery>;

export const INFORMATION_REQUEST_EVENTS = {
  APPROVE: 'InformationRequestApproved',
  DECLINE: 'InformationRequestDeclined',
  WITHDRAW: 'InformationRequestWithdrawn',
  EXPIRE: 'InformationRequestExpired',
} as const;

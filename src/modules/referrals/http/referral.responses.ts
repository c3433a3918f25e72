import { z } from 'zod';
import { SharedPersonSchema } from '../../people/person-view.schema';
import { REFERRAL_OUTCOMES, REFERRAL_STATES, type ReferralOutcome } from '../domain/referral.machine';
import { REFERRAL_BASES, referralActionParam } from '../domain/referral.schemas';

const nullableText = z.string().nullable();

/** The case fields shared with a referral or a meeting (CASE_FIELDS), as they were when shared; only those chosen are present. */
export const SharedCaseValuesSchema = z.object({ issues: z.array(z.string()).optional(), summary: nullableText.optional() }).meta({ id: 'SharedCaseValues' });

/** A referral without its shared data (referralHeader): queues and command answers. */
export const ReferralSummarySchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    fromDepartmentId: z.uuid(),
    toDepartmentId: z.uuid(),
    purpose: z.string(),
    state: z.enum(REFERRAL_STATES),
    version: z.int().min(1),
    legalBasis: z.enum(REFERRAL_BASES),
    dueOn: z.iso.date().describe('Answer deadline (business days)'),
    expiresOn: z.iso.date().describe('Back to the sender after this day if still unanswered'),
    overdue: z.boolean(),
    needsAttention: z.boolean().describe('Declined, expired or returned: back in the sender’s hands'),
    declineReason: nullableText,
    returnReason: nullableText.describe('Why the sending department’s manager returned a special share (差戻し)'),
    approvedBy: z.uuid().nullable().describe('The manager who approved a special share (APPI_SPECIAL) before it left'),
    approvedAt: z.iso.datetime().nullable(),
    outcome: z.enum(REFERRAL_OUTCOMES.map((o) => o.code) as [ReferralOutcome, ...ReferralOutcome[]]).nullable(),
    outcomeNote: nullableText,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    allowedActions: z.array(referralActionParam).describe('What the caller may do now (POST …/actions/:action)'),
  })
  .meta({ id: 'ReferralSummary' });

/** A referral with exactly what was shared, as it was when shared (GetReferralQuery). */
export const ReferralDetailSchema = ReferralSummarySchema.extend({
  legalBasisReason: nullableText,
  withdrawReason: nullableText,
  holdReason: nullableText,
  shared: z.object({
    case: SharedCaseValuesSchema,
    persons: z.array(SharedPersonSchema),
  }),
}).meta({ id: 'ReferralDetail' });

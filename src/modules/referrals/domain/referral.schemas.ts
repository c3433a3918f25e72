import { z } from 'zod';
import { bilingual } from '../../../platform/http/zod-validation.pipe';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';
import { REFERRAL_OUTCOMES, REFERRAL_STATES, type ReferralOutcome } from './referral.machine';
import { pageParams } from '../../../platform/http/api-contract/paging';
import { CASE_FIELDS, PERSON_FIELDS } from './shared-package';
import { isoDate } from '../../../platform/http/input';
import { BASIS_REASON_MISSING, needsBasisReason } from './share-bases';

/** The bases a referral between departments of one municipality can rest on (domain.md §5). */
export const REFERRAL_BASES = ['CONSENT', 'APPI_INTERNAL', 'APPI_PUBLIC_BODY', 'APPI_SPECIAL'] as const;

/** What a referral shares: case fields and, per person of the case, person fields. */
const shareSchema = z.strictObject({
  case: z.array(z.enum(CASE_FIELDS)).max(CASE_FIELDS.length).default([]),
  persons: z
    .array(z.strictObject({ personId: z.uuid(), fields: z.array(z.enum(PERSON_FIELDS as [string, ...string[]])).min(1) }))
    .max(20)
    .default([]),
});
const purposeSchema = z.string().trim().min(1).max(1000);
const basisReasonSchema = z.string().trim().min(5).max(1000);

export const referCaseSchema = z
  .strictObject({
    toDepartmentId: z.uuid(),
    purpose: purposeSchema,
    /** Answer deadline; default: the tenant's number of business days from today. */
    dueOn: isoDate.optional(),
    legalBasis: z.enum(REFERRAL_BASES),
    /** Required for every basis but consent: why sharing without consent is lawful here. */
    legalBasisReason: basisReasonSchema.optional(),
    share: shareSchema,
  })
  .refine(
    (r) => !needsBasisReason(r.legalBasis) || !!r.legalBasisReason,
    bilingual(BASIS_REASON_MISSING, ['legalBasisReason']),
  )
  .refine(
    (r) => r.share.case.length + r.share.persons.length > 0,
    bilingual({ ja: '共有する項目を選んでください。', en: 'Choose what to share.' }, ['share']),
  );
export type ReferCaseInput = z.infer<typeof referCaseSchema>;

export const REFERRAL_ACTIONS = {
  approve: 'APPROVE',
  return: 'RETURN',
  resubmit: 'RESUBMIT',
  accept: 'ACCEPT',
  decline: 'DECLINE',
  withdraw: 'WITHDRAW',
  start: 'START',
  hold: 'HOLD',
  resume: 'RESUME',
  complete: 'COMPLETE',
} as const;
export type ReferralAction = keyof typeof REFERRAL_ACTIONS;
export const referralActionParam = z.enum(Object.keys(REFERRAL_ACTIONS) as [ReferralAction, ...ReferralAction[]]);

export const referralActionBodySchema = z.strictObject({
  version: z.int().min(1).optional(),
  reason: z.string().trim().max(1000).optional(),
  outcome: z.enum(REFERRAL_OUTCOMES.map((o) => o.code) as [ReferralOutcome, ...ReferralOutcome[]]).optional(),
  note: z.string().trim().max(2000).optional(),
  /** resubmit only: the preparer's revision of a returned share (omitted parts stay as they were). */
  purpose: purposeSchema.optional(),
  legalBasisReason: basisReasonSchema.optional(),
  share: shareSchema.optional(),
});
export type ReferralActionBody = z.infer<typeof referralActionBodySchema>;

/** The referral queues (GET /referrals?box=…). */
export const REFERRAL_BOX_LABELS = vocabulary('referralBox', {
  incoming: { ja: '受信（他課からの依頼）', en: 'Incoming' },
  outgoing: { ja: '送信（他課への依頼）', en: 'Outgoing' },
  'awaiting-approval': { ja: '承認待ち（課長）', en: 'Awaiting my approval' },
});

export const referralListQuery = z.strictObject({
  box: z
    .enum(REFERRAL_BOX_LABELS.codes)
    .default('incoming')
    .describe(
      'incoming: what other departments asked of mine (default); outgoing: what mine asked of others; awaiting-approval: shares of departments I manage that wait for my approval (APPI_SPECIAL)',
    ),
  state: z.enum(REFERRAL_STATES).optional().describe('Only referrals in this state'),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only unanswered past their deadline; false: only the others'),
  ...pageParams,
});
export type ReferralListQuery = z.infer<typeof referralListQuery>;

export const REFERRAL_EVENTS = {
  APPROVE: 'ReferralApproved',
  RETURN: 'ReferralReturned',
  RESUBMIT: 'ReferralResubmitted',
  ACCEPT: 'ReferralAccepted',
  DECLINE: 'ReferralDeclined',
  WITHDRAW: 'ReferralWithdrawn',
  EXPIRE: 'ReferralExpired',
  START: 'ReferralStarted',
  HOLD: 'ReferralPutOnHold',
  RESUME: 'ReferralResumed',
  COMPLETE: 'ReferralCompleted',
} as const;

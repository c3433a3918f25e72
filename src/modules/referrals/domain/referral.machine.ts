import { setup } from 'xstate';
import { labelsByCode, vocabulary } from '../../../platform/vocabulary/vocabulary';
import { COMMON_GUARDS, workflowLabels } from '../../../platform/vocabulary/workflow-labels';
import { APPROVAL_BASES } from './share-bases';

/**
 * Referral — つなぎ: one department asks another to take on part of a case.
 * Pure like the case machine; deadlines are enforced by whoever sends EXPIRE.
 * A share on a basis that needs a senior decision starts awaiting_approval instead of proposed
 * (initialReferralState): it is prepared, not sent, until the sending department's manager approves it.
 */

export const REFERRAL_STATES = [
  'awaiting_approval', // 承認待ち — prepared, not sent: the receiver sees nothing yet
  'returned', // 差戻し — the manager sent it back to its preparer with a reason
  'proposed', // 依頼
  'accepted', // 受理
  'declined', // 辞退
  'withdrawn', // 取下げ
  'expired', // 期限切れ
  'in_progress', // 対応中
  'on_hold', // 保留
  'completed', // 完了
] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];

/** Referrals the case still waits on; they block closing the case. */
export const OPEN_REFERRAL_STATES = ['awaiting_approval', 'returned', 'proposed', 'accepted', 'in_progress', 'on_hold'] as const satisfies readonly ReferralState[];

/** The receiving department sees the referral only in these; declined, withdrawn and expired end its access. */
export const VISIBLE_TO_RECEIVER_STATES = [
  'proposed',
  'accepted',
  'in_progress',
  'on_hold',
  'completed',
] as const satisfies readonly ReferralState[];

/** Where a new referral starts: sent at once, or prepared for the manager's approval. */
export const initialReferralState = (legalBasis: string): ReferralState =>
  APPROVAL_BASES.includes(legalBasis) ? 'awaiting_approval' : (referralMachine.config.initial as ReferralState);

/** 結果 — how a referral ended, recorded on COMPLETE. */
export const REFERRAL_OUTCOMES = [
  { code: 'resolved', en: 'Resolved', ja: '解決' },
  { code: 'continuing', en: 'Support continues', ja: '支援継続' },
  { code: 're_referred', en: 'Referred elsewhere', ja: 'つなぎ直し' },
  { code: 'unreachable', en: 'Unreachable', ja: '連絡不能' },
  { code: 'out_of_scope', en: 'Out of scope', ja: '対象外' },
  { code: 'cannot_accept', en: 'Cannot take on', ja: '受入困難' },
  { code: 'person_declined', en: 'Declined by the person', ja: '本人辞退' },
] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number]['code'];
export const REFERRAL_OUTCOME_LABELS = vocabulary('referralOutcome', labelsByCode(REFERRAL_OUTCOMES));

/** Who prepared the referral: its approval must come from someone else. */
export type ReferralContext = { preparers?: readonly string[] };

export type ReferralEvent =
  | { type: 'APPROVE'; by: string } // the sending department's manager lets it leave
  | { type: 'RETURN'; reason: string } // … or sends it back to its preparer
  | { type: 'RESUBMIT' } // the preparer, after revising
  | { type: 'ACCEPT' }
  | { type: 'DECLINE'; reason: string }
  | { type: 'WITHDRAW'; reason?: string }
  | { type: 'EXPIRE' } // system-sent when unanswered past deadline + grace
  | { type: 'START' }
  | { type: 'HOLD'; reason: string }
  | { type: 'RESUME' }
  | { type: 'COMPLETE'; outcome: ReferralOutcome; note?: string };

export const REFERRAL_EVENT_TYPES = [
  'APPROVE',
  'RETURN',
  'RESUBMIT',
  'ACCEPT',
  'DECLINE',
  'WITHDRAW',
  'EXPIRE',
  'START',
  'HOLD',
  'RESUME',
  'COMPLETE',
] as const satisfies readonly ReferralEvent['type'][];

const OUTCOME_CODES: ReadonlySet<string> = new Set(REFERRAL_OUTCOMES.map((o) => o.code));

export const referralMachine = setup({
  types: {
    context: {} as ReferralContext,
    events: {} as ReferralEvent,
  },
  guards: {
    // The sender must learn why it was declined or held, so blank is refused.
    hasReason: ({ event }) => 'reason' in event && typeof event.reason === 'string' && event.reason.trim() !== '',
    // Payloads come from clients; the type alone does not keep an unknown code out.
    hasValidOutcome: ({ event }) => event.type === 'COMPLETE' && OUTCOME_CODES.has(event.outcome),
    // Senior approval means a second person: nobody who prepared or revised the share approves it.
    notByPreparer: ({ context, event }) => event.type === 'APPROVE' && typeof event.by === 'string' && event.by !== '' && !(context.preparers ?? []).includes(event.by),
  },
}).createMachine({
  id: 'referral.v1',
  initial: 'proposed',
  context: {},
  states: {
    awaiting_approval: {
      on: {
        APPROVE: { target: 'proposed', guard: 'notByPreparer' },
        RETURN: { target: 'returned', guard: 'hasReason' },
        WITHDRAW: { target: 'withdrawn' },
      },
    },
    returned: {
      on: {
        RESUBMIT: { target: 'awaiting_approval' },
        WITHDRAW: { target: 'withdrawn' },
      },
    },
    proposed: {
      on: {
        ACCEPT: { target: 'accepted' },
        DECLINE: { target: 'declined', guard: 'hasReason' },
        WITHDRAW: { target: 'withdrawn' },
        EXPIRE: { target: 'expired' },
      },
    },
    accepted: {
      on: {
        START: { target: 'in_progress' },
        WITHDRAW: { target: 'withdrawn' },
      },
    },
    in_progress: {
      on: {
        HOLD: { target: 'on_hold', guard: 'hasReason' },
        COMPLETE: { target: 'completed', guard: 'hasValidOutcome' },
      },
    },
    on_hold: {
      on: {
        RESUME: { target: 'in_progress' },
        COMPLETE: { target: 'completed', guard: 'hasValidOutcome' },
      },
    },
    declined: { type: 'final' },
    withdrawn: { type: 'final' },
    expired: { type: 'final' },
    completed: { type: 'final' },
  },
});

/** What people read for the referral's codes (timeline, refusals, CSVs, charts). */
export const REFERRAL_LABELS = workflowLabels(referralMachine, {
  states: {
    awaiting_approval: { ja: '承認待ち', en: 'Awaiting approval' },
    returned: { ja: '差戻し', en: 'Returned' },
    proposed: { ja: '依頼', en: 'Proposed' },
    accepted: { ja: '受理', en: 'Accepted' },
    declined: { ja: '辞退', en: 'Declined' },
    withdrawn: { ja: '取下げ', en: 'Withdrawn' },
    expired: { ja: '期限切れ', en: 'Expired' },
    in_progress: { ja: '対応中', en: 'In progress' },
    on_hold: { ja: '保留', en: 'On hold' },
    completed: { ja: '完了', en: 'Completed' },
  } satisfies Record<ReferralState, { ja: string; en: string }>,
  events: {
    APPROVE: { ja: '承認（提供）', en: 'Approve (send)' },
    RETURN: { ja: '差戻し', en: 'Return' },
    RESUBMIT: { ja: '再申請', en: 'Resubmit' },
    ACCEPT: { ja: '受理', en: 'Accept' },
    DECLINE: { ja: '辞退', en: 'Decline' },
    WITHDRAW: { ja: '取下げ', en: 'Withdraw' },
    EXPIRE: { ja: '期限切れ', en: 'Expire' },
    START: { ja: '対応開始', en: 'Start work' },
    HOLD: { ja: '保留', en: 'Put on hold' },
    RESUME: { ja: '対応再開', en: 'Resume work' },
    COMPLETE: { ja: '完了', en: 'Complete' },
  } satisfies Record<ReferralEvent['type'], { ja: string; en: string }>,
  guards: {
    ...COMMON_GUARDS,
    hasValidOutcome: { ja: '結果の選択が必要です', en: 'An outcome must be chosen' },
    notByPreparer: { ja: '作成者以外の課長による承認が必要です', en: 'It must be approved by a manager other than the preparer' },
  },
});

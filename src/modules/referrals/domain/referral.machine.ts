import { setup } from 'xstate';
import { labelsByCode, vocabulary } from '../../../platform/vocabulary/vocabulary';
import { COMMON_GUARDS, workflowLabels } from '../../../platform/vocabulary/workflow-labels';

/**
 * Referral — つなぎ: one department asks another to take on part of a case.
 * Pure like the case machine; deadlines are enforced by whoever sends EXPIRE.
 */

export const REFERRAL_STATES = [
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
export const OPEN_REFERRAL_STATES = ['proposed', 'accepted', 'in_progress', 'on_hold'] as const satisfies readonly ReferralState[];

/** The receiving department sees the referral only in these; declined, withdrawn and expired end its access. */
export const VISIBLE_TO_RECEIVER_STATES = [
  'proposed',
  'accepted',
  'in_progress',
  'on_hold',
  'completed',
] as const satisfies readonly ReferralState[];

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

export type ReferralContext = Record<string, never>;

export type ReferralEvent =
  | { type: 'ACCEPT' }
  | { type: 'DECLINE'; reason: string }
  | { type: 'WITHDRAW'; reason?: string }
  | { type: 'EXPIRE' } // system-sent when unanswered past deadline + grace
  | { type: 'START' }
  | { type: 'HOLD'; reason: string }
  | { type: 'RESUME' }
  | { type: 'COMPLETE'; outcome: ReferralOutcome; note?: string };

export const REFERRAL_EVENT_TYPES = [
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
  },
}).createMachine({
  id: 'referral.v1',
  initial: 'proposed',
  context: {},
  states: {
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
  },
});

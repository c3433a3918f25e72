import { and, setup } from 'xstate';
import { COMMON_GUARDS, workflowLabels } from '../../../platform/vocabulary/workflow-labels';

/**
 * Case lifecycle — 包括的相談支援 (comprehensive consultation support).
 * Pure: no actions, actors or delays, so services can replay it from stored
 * (value, context) with `transition()` and get the same answer every time.
 */

export const CASE_STATES = [
  'intake', // 受付
  'assessment', // アセスメント
  'support', // 支援中
  'monitoring', // モニタリング
  'closed', // 終結 — not `final`: a closed case may be reopened
  'suspended', // 中断
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export interface CaseContext {
  /** Referrals (つなぎ) of this case still open; a case cannot close while others are acting on it. */
  openReferrals: number;
}

export type CaseEvent =
  | { type: 'START_ASSESSMENT' }
  | { type: 'START_SUPPORT' }
  | { type: 'START_MONITORING' }
  | { type: 'RESUME_SUPPORT' }
  | { type: 'CLOSE'; reason: string } // 終結
  | { type: 'SUSPEND'; reason: string } // 中断
  | { type: 'REOPEN'; reason: string }; // 再開

export const CASE_EVENT_TYPES = [
  'START_ASSESSMENT',
  'START_SUPPORT',
  'START_MONITORING',
  'RESUME_SUPPORT',
  'CLOSE',
  'SUSPEND',
  'REOPEN',
] as const satisfies readonly CaseEvent['type'][];

export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
  },
  guards: {
    // Reasons end up in the case record and audit log; a blank one explains nothing.
    hasReason: ({ event }) => 'reason' in event && typeof event.reason === 'string' && event.reason.trim() !== '',
    noOpenReferrals: ({ context }) => context.openReferrals === 0,
  },
}).createMachine({
  id: 'case.v1',
  initial: 'intake',
  context: { openReferrals: 0 },
  states: {
    intake: {
      on: {
        START_ASSESSMENT: { target: 'assessment' },
        CLOSE: { target: 'closed', guard: and(['hasReason', 'noOpenReferrals']) },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    assessment: {
      on: {
        START_SUPPORT: { target: 'support' },
        CLOSE: { target: 'closed', guard: and(['hasReason', 'noOpenReferrals']) },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    support: {
      on: {
        START_MONITORING: { target: 'monitoring' },
        CLOSE: { target: 'closed', guard: and(['hasReason', 'noOpenReferrals']) },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    monitoring: {
      on: {
        RESUME_SUPPORT: { target: 'support' },
        CLOSE: { target: 'closed', guard: and(['hasReason', 'noOpenReferrals']) },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    closed: {
      // Reopening goes back to assessment: circumstances changed, so the plan is redone.
      on: { REOPEN: { target: 'assessment', guard: 'hasReason' } },
    },
    suspended: {
      on: { REOPEN: { target: 'assessment', guard: 'hasReason' } },
    },
  },
});

/** What people read for the case's codes (timeline, refusals, CSVs, charts). */
export const CASE_LABELS = workflowLabels(caseMachine, {
  states: {
    intake: { ja: '受付', en: 'Intake' },
    assessment: { ja: 'アセスメント', en: 'Assessment' },
    support: { ja: '支援中', en: 'Support' },
    monitoring: { ja: 'モニタリング', en: 'Monitoring' },
    closed: { ja: '終結', en: 'Closed' },
    suspended: { ja: '中断', en: 'Suspended' },
  } satisfies Record<CaseState, { ja: string; en: string }>,
  events: {
    START_ASSESSMENT: { ja: 'アセスメント開始', en: 'Start assessment' },
    START_SUPPORT: { ja: '支援開始', en: 'Start support' },
    START_MONITORING: { ja: 'モニタリング開始', en: 'Start monitoring' },
    RESUME_SUPPORT: { ja: '支援再開', en: 'Resume support' },
    CLOSE: { ja: '終結', en: 'Close' },
    SUSPEND: { ja: '中断', en: 'Suspend' },
    REOPEN: { ja: '再開', en: 'Reopen' },
  } satisfies Record<CaseEvent['type'], { ja: string; en: string }>,
  guards: {
    ...COMMON_GUARDS,
    noOpenReferrals: { ja: '対応中のつなぎがすべて終わっている必要があります', en: 'Every open referral must be finished first' },
  },
});

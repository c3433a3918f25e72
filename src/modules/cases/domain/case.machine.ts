import { and, setup } from 'xstate';

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

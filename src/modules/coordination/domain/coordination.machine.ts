import { and, setup } from 'xstate';
import { COMMON_GUARDS, workflowLabels } from '../../../platform/vocabulary/workflow-labels';

/**
 * Coordination — 多機関協働: a case escalated because no single department can carry it.
 * Two tracks out of screening: with the person's consent the case is assessed, planned and
 * decided at a 重層的支援会議; without it, 支援会議 (社会福祉法 106条の6) shares information,
 * watches and reaches out until consent is obtained.
 * Pure like the case machine: services replay it from stored (value, context).
 */

export const COORDINATION_STATES = [
  'screening', // スクリーニング
  'shien_kaigi', // 支援会議トラック — 情報共有・見守り・アウトリーチ (同意なし)
  'assessment', // インテーク・アセスメント
  'planning', // 支援プラン作成
  'awaiting_approval', // 重層的支援会議での承認待ち
  'support', // 支援の実施 (支援決定の後)
  'monitoring', // モニタリング
  'replanning', // 再プラン
  'evaluation', // 評価
  'closed', // 終結 — final
  'suspended', // 中断
] as const;
export type CoordinationState = (typeof COORDINATION_STATES)[number];

export interface CoordinationContext {
  /** An active consent covers the case; 重層的支援会議 and the consent track need it. */
  hasConsent: boolean;
  /** Tasks (per department) on the current plan, cancelled ones excluded. */
  taskCount: number;
  /** Tasks still open; the case cannot close while a department is still acting. */
  openTasks: number;
  /** The plan was on the agenda of the 重層的支援会議 named in the approval. */
  approvedAtJusoMeeting: boolean;
}

export type CoordinationEvent =
  | { type: 'START_CONSENT_TRACK' }
  | { type: 'START_SHIEN_KAIGI_TRACK' }
  | { type: 'CONSENT_OBTAINED' }
  | { type: 'DRAFT_PLAN' }
  | { type: 'SUBMIT_PLAN' }
  | { type: 'APPROVE_PLAN' } // 支援決定
  | { type: 'RETURN_PLAN'; reason: string } // 差戻し
  | { type: 'START_MONITORING' }
  | { type: 'REPLAN'; reason: string } // 再プラン
  | { type: 'RESUME_MONITORING' }
  | { type: 'EVALUATE' } // 評価
  | { type: 'CLOSE'; reason: string } // 終結
  | { type: 'SUSPEND'; reason: string } // 中断
  | { type: 'REOPEN'; reason: string }; // 再開

export const COORDINATION_EVENT_TYPES = [
  'START_CONSENT_TRACK',
  'START_SHIEN_KAIGI_TRACK',
  'CONSENT_OBTAINED',
  'DRAFT_PLAN',
  'SUBMIT_PLAN',
  'APPROVE_PLAN',
  'RETURN_PLAN',
  'START_MONITORING',
  'REPLAN',
  'RESUME_MONITORING',
  'EVALUATE',
  'CLOSE',
  'SUSPEND',
  'REOPEN',
] as const satisfies readonly CoordinationEvent['type'][];

/** URL action names (kebab-case) → machine events. */
export const COORDINATION_ACTIONS = {
  'start-consent-track': 'START_CONSENT_TRACK',
  'start-shien-kaigi-track': 'START_SHIEN_KAIGI_TRACK',
  'consent-obtained': 'CONSENT_OBTAINED',
  'draft-plan': 'DRAFT_PLAN',
  'submit-plan': 'SUBMIT_PLAN',
  'approve-plan': 'APPROVE_PLAN',
  'return-plan': 'RETURN_PLAN',
  'start-monitoring': 'START_MONITORING',
  replan: 'REPLAN',
  'resume-monitoring': 'RESUME_MONITORING',
  evaluate: 'EVALUATE',
  close: 'CLOSE',
  suspend: 'SUSPEND',
  reopen: 'REOPEN',
} as const satisfies Record<string, CoordinationEvent['type']>;

/** Domain events of a coordination case, past tense, one name per fact. */
export const COORDINATION_EVENTS = {
  START_CONSENT_TRACK: 'CoordinationConsentTrackStarted',
  START_SHIEN_KAIGI_TRACK: 'CoordinationShienKaigiTrackStarted',
  CONSENT_OBTAINED: 'CoordinationConsentObtained',
  DRAFT_PLAN: 'SupportPlanDraftingStarted',
  SUBMIT_PLAN: 'SupportPlanSubmitted',
  APPROVE_PLAN: 'SupportPlanApproved',
  RETURN_PLAN: 'SupportPlanReturned',
  START_MONITORING: 'CoordinationMonitoringStarted',
  REPLAN: 'CoordinationReplanningStarted',
  RESUME_MONITORING: 'CoordinationMonitoringResumed',
  EVALUATE: 'CoordinationEvaluationStarted',
  CLOSE: 'CoordinationClosed',
  SUSPEND: 'CoordinationSuspended',
  REOPEN: 'CoordinationReopened',
} as const satisfies Record<CoordinationEvent['type'], string>;

export const coordinationMachine = setup({
  types: {
    context: {} as CoordinationContext,
    events: {} as CoordinationEvent,
  },
  guards: {
    // Reasons end up in the case record and audit log; a blank one explains nothing.
    hasReason: ({ event }) => 'reason' in event && typeof event.reason === 'string' && event.reason.trim() !== '',
    hasConsent: ({ context }) => context.hasConsent,
    planHasTasks: ({ context }) => context.taskCount > 0,
    noOpenTasks: ({ context }) => context.openTasks === 0,
    approvedAtJusoMeeting: ({ context }) => context.approvedAtJusoMeeting,
  },
}).createMachine({
  id: 'coordination.v1',
  initial: 'screening',
  context: { hasConsent: false, taskCount: 0, openTasks: 0, approvedAtJusoMeeting: false },
  states: {
    screening: {
      on: {
        START_CONSENT_TRACK: { target: 'assessment', guard: 'hasConsent' },
        START_SHIEN_KAIGI_TRACK: { target: 'shien_kaigi' },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    shien_kaigi: {
      on: {
        CONSENT_OBTAINED: { target: 'assessment', guard: 'hasConsent' },
        // Watched without consent, the case can still end: moved away, risk resolved.
        CLOSE: { target: 'closed', guard: 'hasReason' },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    assessment: {
      on: {
        DRAFT_PLAN: { target: 'planning' },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    planning: {
      on: {
        SUBMIT_PLAN: { target: 'awaiting_approval', guard: 'planHasTasks' },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    awaiting_approval: {
      on: {
        // 重層的支援会議 may only decide on cases with consent (sharing there needs it).
        APPROVE_PLAN: { target: 'support', guard: and(['hasConsent', 'planHasTasks', 'approvedAtJusoMeeting']) },
        RETURN_PLAN: { target: 'planning', guard: 'hasReason' },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    support: {
      on: {
        START_MONITORING: { target: 'monitoring' },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    monitoring: {
      on: {
        REPLAN: { target: 'replanning', guard: 'hasReason' },
        EVALUATE: { target: 'evaluation' },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    replanning: {
      on: {
        RESUME_MONITORING: { target: 'monitoring', guard: 'planHasTasks' },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    evaluation: {
      on: {
        CLOSE: { target: 'closed', guard: and(['hasReason', 'noOpenTasks']) },
        SUSPEND: { target: 'suspended', guard: 'hasReason' },
      },
    },
    closed: { type: 'final' },
    suspended: {
      // Reopening goes back to screening: circumstances changed, so the track is chosen again.
      on: { REOPEN: { target: 'screening', guard: 'hasReason' } },
    },
  },
});

/** What people read for the coordination case's codes (timeline, refusals, CSVs, charts). */
export const COORDINATION_LABELS = workflowLabels(coordinationMachine, {
  states: {
    screening: { ja: 'スクリーニング', en: 'Screening' },
    shien_kaigi: { ja: '支援会議（同意なし）', en: 'Support meeting track (no consent)' },
    assessment: { ja: 'インテーク・アセスメント', en: 'Intake and assessment' },
    planning: { ja: '支援プラン作成', en: 'Planning' },
    awaiting_approval: { ja: '重層的支援会議の承認待ち', en: 'Awaiting approval' },
    support: { ja: '支援の実施', en: 'Support' },
    monitoring: { ja: 'モニタリング', en: 'Monitoring' },
    replanning: { ja: '再プラン', en: 'Replanning' },
    evaluation: { ja: '評価', en: 'Evaluation' },
    closed: { ja: '終結', en: 'Closed' },
    suspended: { ja: '中断', en: 'Suspended' },
  } satisfies Record<CoordinationState, { ja: string; en: string }>,
  events: {
    START_CONSENT_TRACK: { ja: '同意ありで支援を開始', en: 'Start the consent track' },
    START_SHIEN_KAIGI_TRACK: { ja: '支援会議で見守りを開始', en: 'Start the support meeting track' },
    CONSENT_OBTAINED: { ja: '同意を取得', en: 'Consent obtained' },
    DRAFT_PLAN: { ja: '支援プラン作成開始', en: 'Draft the plan' },
    SUBMIT_PLAN: { ja: '支援プランを会議に提出', en: 'Submit the plan' },
    APPROVE_PLAN: { ja: '支援決定', en: 'Approve the plan' },
    RETURN_PLAN: { ja: '差戻し', en: 'Return the plan' },
    START_MONITORING: { ja: 'モニタリング開始', en: 'Start monitoring' },
    REPLAN: { ja: '再プラン', en: 'Replan' },
    RESUME_MONITORING: { ja: 'モニタリング再開', en: 'Resume monitoring' },
    EVALUATE: { ja: '評価', en: 'Evaluate' },
    CLOSE: { ja: '終結', en: 'Close' },
    SUSPEND: { ja: '中断', en: 'Suspend' },
    REOPEN: { ja: '再開', en: 'Reopen' },
  } satisfies Record<CoordinationEvent['type'], { ja: string; en: string }>,
  guards: {
    ...COMMON_GUARDS,
    hasConsent: { ja: '本人同意の記録が必要です', en: 'The person’s consent must be recorded' },
    planHasTasks: { ja: '支援プランにタスクが必要です', en: 'The plan needs at least one task' },
    noOpenTasks: { ja: '未完了のタスクがすべて終わっている必要があります', en: 'Every open task must be finished first' },
    approvedAtJusoMeeting: { ja: '重層的支援会議での承認の記録が必要です', en: 'The approval at a multi-layered support meeting must be recorded' },
  },
});

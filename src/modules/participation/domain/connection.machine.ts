import { setup } from 'xstate';
import { workflowLabels } from '../../../platform/vocabulary/workflow-labels';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/**
 * つなぎ先 (a connection of a person to a resource): proposed (picked, consent recorded) → introduced
 * (the host was told: the disclosure) → started (the person takes part) → continuing (it held at a
 * follow-up), or ended with a reason at any point. Follow-ups record a note and the next date without
 * moving the state. Pure: who may do what is the ability's.
 */
export const CONNECTION_STATES = ['proposed', 'introduced', 'started', 'continuing', 'ended'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** 終了理由 — why a connection ended; the figures count 就労に移行 as a placement. */
export const CONNECTION_END_REASON_LABELS = vocabulary('connectionEndReason', {
  not_a_fit: { ja: '合わなかった', en: 'Not a fit' },
  health: { ja: '体調', en: 'Health' },
  moved_to_work: { ja: '就労に移行', en: 'Moved into work' },
  moved_away: { ja: '転居', en: 'Moved away' },
  goal_reached: { ja: '目的を達成', en: 'Goal reached' },
  declined: { ja: '本人が希望しなくなった', en: 'No longer wanted' },
  other: { ja: 'その他', en: 'Other' },
});
export const CONNECTION_END_REASONS = CONNECTION_END_REASON_LABELS.codes;

export type ConnectionEvent =
  | { type: 'INTRODUCE' }
  | { type: 'START' }
  | { type: 'CONTINUE' }
  | { type: 'FOLLOW_UP' }
  | { type: 'END'; reason?: string };

export const connectionMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as ConnectionEvent },
  guards: {
    // The figures and the next counselor need to know why it ended: one of the listed reasons.
    hasReason: ({ event }) => event.type === 'END' && CONNECTION_END_REASON_LABELS.has(event.reason),
  },
}).createMachine({
  id: 'participation-connection.v1',
  initial: 'proposed',
  context: {},
  states: {
    proposed: { on: { INTRODUCE: 'introduced', END: { target: 'ended', guard: 'hasReason' } } },
    introduced: { on: { START: 'started', FOLLOW_UP: 'introduced', END: { target: 'ended', guard: 'hasReason' } } },
    started: { on: { CONTINUE: 'continuing', FOLLOW_UP: 'started', END: { target: 'ended', guard: 'hasReason' } } },
    continuing: { on: { FOLLOW_UP: 'continuing', END: { target: 'ended', guard: 'hasReason' } } },
    ended: { type: 'final' },
  },
});

export const CONNECTION_LABELS = workflowLabels(connectionMachine, {
  states: {
    proposed: { ja: '提案', en: 'Proposed' },
    introduced: { ja: '紹介済み', en: 'Introduced' },
    started: { ja: '参加開始', en: 'Started' },
    continuing: { ja: '継続中', en: 'Continuing' },
    ended: { ja: '終了', en: 'Ended' },
  } satisfies Record<ConnectionState, { ja: string; en: string }>,
  events: {
    INTRODUCE: { ja: 'つなぎ先へ紹介', en: 'Introduce to the host' },
    START: { ja: '参加開始', en: 'Record the start' },
    CONTINUE: { ja: '継続を確認', en: 'Confirm it continues' },
    FOLLOW_UP: { ja: 'フォローアップの記録', en: 'Record a follow-up' },
    END: { ja: '終了', en: 'End' },
  } satisfies Record<ConnectionEvent['type'], { ja: string; en: string }>,
  guards: { hasReason: { ja: '終了理由を一覧から選ぶ必要があります', en: 'An end reason from the list is required' } },
});

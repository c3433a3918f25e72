import { and, setup } from 'xstate';
import { COMMON_GUARDS, workflowLabels } from '../../../platform/vocabulary/workflow-labels';

/**
 * DV等支援措置 (a DV/stalking/abuse support measure: the person's address must not reach the abuser).
 * Setting, extending and lifting are each a request by a counselor, approved by the department's manager
 * (domain.md §4: two people). It protects from the moment it is requested — a protective measure never waits
 * for its approval — until it is lifted (approved), declined, or it lapses after its end date (the sweep).
 * Pure: whether the caller is the department's manager is the ability's; that the approver is not the
 * requester is decided here, so both sides of the two-person rule are in the record's own history.
 */
export const DV_MEASURE_STATES = ['requested', 'active', 'extension_requested', 'lift_requested', 'declined', 'lifted', 'lapsed'] as const;
export type DvMeasureState = (typeof DV_MEASURE_STATES)[number];
/** The states in which the measure withholds (the migration's person_dv_protectors lists the same). */
export const PROTECTING_STATES: readonly DvMeasureState[] = ['requested', 'active', 'extension_requested', 'lift_requested'];

export interface DvMeasureContext {
  /** Who made the request now waiting for a decision. */
  requestedBy: string | null;
}

export type DvMeasureEvent =
  | { type: 'APPROVE'; by: string }
  | { type: 'DECLINE'; by: string; reason: string }
  | { type: 'REQUEST_EXTENSION'; by: string }
  | { type: 'REQUEST_LIFT'; by: string; reason: string }
  | { type: 'LAPSE' };

export const dvMeasureMachine = setup({
  types: { context: {} as DvMeasureContext, events: {} as DvMeasureEvent },
  guards: {
    // 二人の承認: whoever asked cannot be the second person.
    notOwnRequest: ({ context, event }) => 'by' in event && typeof event.by === 'string' && event.by !== context.requestedBy,
    hasReason: ({ event }) => 'reason' in event && typeof event.reason === 'string' && event.reason.trim() !== '',
  },
}).createMachine({
  id: 'dv-measure.v1',
  initial: 'requested',
  context: { requestedBy: null },
  states: {
    requested: {
      on: {
        APPROVE: { target: 'active', guard: 'notOwnRequest' },
        DECLINE: { target: 'declined', guard: and(['notOwnRequest', 'hasReason']) },
        LAPSE: { target: 'lapsed' },
      },
    },
    active: {
      on: {
        REQUEST_EXTENSION: { target: 'extension_requested' },
        REQUEST_LIFT: { target: 'lift_requested', guard: 'hasReason' },
        LAPSE: { target: 'lapsed' },
      },
    },
    // A declined extension or lift leaves the measure as it was.
    extension_requested: {
      on: {
        APPROVE: { target: 'active', guard: 'notOwnRequest' },
        DECLINE: { target: 'active', guard: and(['notOwnRequest', 'hasReason']) },
        LAPSE: { target: 'lapsed' },
      },
    },
    lift_requested: {
      on: {
        APPROVE: { target: 'lifted', guard: 'notOwnRequest' },
        DECLINE: { target: 'active', guard: and(['notOwnRequest', 'hasReason']) },
        LAPSE: { target: 'lapsed' },
      },
    },
    declined: { type: 'final' },
    lifted: { type: 'final' },
    lapsed: { type: 'final' },
  },
});

export const DV_MEASURE_LABELS = workflowLabels(dvMeasureMachine, {
  states: {
    requested: { ja: '設定申請中（保護中）', en: 'Requested (protecting)' },
    active: { ja: '支援措置中', en: 'Active' },
    extension_requested: { ja: '延長申請中', en: 'Extension requested' },
    lift_requested: { ja: '解除申請中', en: 'Lift requested' },
    declined: { ja: '設定不承認', en: 'Declined' },
    lifted: { ja: '解除', en: 'Lifted' },
    lapsed: { ja: '期間満了', en: 'Lapsed' },
  } satisfies Record<DvMeasureState, { ja: string; en: string }>,
  events: {
    APPROVE: { ja: '承認', en: 'Approve' },
    DECLINE: { ja: '不承認', en: 'Decline' },
    REQUEST_EXTENSION: { ja: '延長の申請', en: 'Request extension' },
    REQUEST_LIFT: { ja: '解除の申請', en: 'Request lift' },
    LAPSE: { ja: '期間満了', en: 'Lapse' },
  } satisfies Record<DvMeasureEvent['type'], { ja: string; en: string }>,
  guards: {
    ...COMMON_GUARDS,
    notOwnRequest: { ja: '申請した本人は承認・不承認できません（課長など別の職員の承認が必要です）', en: 'The requester cannot decide their own request: another person (the department’s manager) must' },
  },
});

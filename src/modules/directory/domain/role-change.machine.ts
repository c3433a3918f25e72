import { setup } from 'xstate';
import { COMMON_GUARDS, workflowLabels } from '../../../platform/vocabulary/workflow-labels';

/**
 * Role change request — 権限付与申請: roles that open personal data are given only when someone other
 * than the requester and the staff member concerned approves (four eyes, like the auditors' access
 * grant). Pure: who may decide is the ability's business; applying the roles is the handler's.
 */

export const ROLE_CHANGE_STATES = [
  'requested', // 申請中
  'approved', // 承認（付与済み）
  'declined', // 却下
  'withdrawn', // 取下げ
] as const;
export type RoleChangeState = (typeof ROLE_CHANGE_STATES)[number];

export type RoleChangeEvent = { type: 'APPROVE' } | { type: 'DECLINE'; reason: string } | { type: 'WITHDRAW' };

export const ROLE_CHANGE_EVENT_TYPES = ['APPROVE', 'DECLINE', 'WITHDRAW'] as const satisfies readonly RoleChangeEvent['type'][];

export const roleChangeMachine = setup({
  types: {
    context: {} as Record<string, never>,
    events: {} as RoleChangeEvent,
  },
  guards: {
    // The requester must learn why, and an auditor may ask later.
    hasReason: ({ event }) => 'reason' in event && typeof event.reason === 'string' && event.reason.trim() !== '',
  },
}).createMachine({
  id: 'role-change.v1',
  initial: 'requested',
  context: {},
  states: {
    requested: {
      on: {
        APPROVE: { target: 'approved' },
        DECLINE: { target: 'declined', guard: 'hasReason' },
        WITHDRAW: { target: 'withdrawn' },
      },
    },
    approved: { type: 'final' },
    declined: { type: 'final' },
    withdrawn: { type: 'final' },
  },
});

/** What people read for the role change's codes (timeline, refusals, CSVs, charts). */
export const ROLE_CHANGE_LABELS = workflowLabels(roleChangeMachine, {
  states: {
    requested: { ja: '申請中', en: 'Requested' },
    approved: { ja: '承認', en: 'Approved' },
    declined: { ja: '却下', en: 'Declined' },
    withdrawn: { ja: '取下げ', en: 'Withdrawn' },
  } satisfies Record<RoleChangeState, { ja: string; en: string }>,
  events: {
    APPROVE: { ja: '承認', en: 'Approve' },
    DECLINE: { ja: '却下', en: 'Decline' },
    WITHDRAW: { ja: '取下げ', en: 'Withdraw' },
  } satisfies Record<RoleChangeEvent['type'], { ja: string; en: string }>,
  guards: { ...COMMON_GUARDS },
});

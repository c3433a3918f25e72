import { setup } from 'xstate';
import { COMMON_GUARDS, workflowLabels } from '../../../platform/vocabulary/workflow-labels';

/**
 * Access grant — 監査のための閲覧特例: an auditor asks to read one case's contents, and someone else
 * decides. Pure: who may decide is the ability's business; a grant lapses when its time is up, which
 * is read from `expires_at` (see accessGrantState), so no job has to send EXPIRE.
 */

export const ACCESS_GRANT_STATES = [
  'requested', // 申請中
  'granted', // 許可
  'declined', // 不許可
  'revoked', // 取消
  'expired', // 期限切れ
] as const;
export type AccessGrantState = (typeof ACCESS_GRANT_STATES)[number];

export type AccessGrantEvent =
  | { type: 'APPROVE' }
  | { type: 'DECLINE'; reason: string }
  | { type: 'REVOKE'; reason?: string } // the requester withdraws or ends it, or an administrator ends it
  | { type: 'EXPIRE' };

export const ACCESS_GRANT_EVENT_TYPES = ['APPROVE', 'DECLINE', 'REVOKE', 'EXPIRE'] as const satisfies readonly AccessGrantEvent['type'][];

export const accessGrantMachine = setup({
  types: {
    context: {} as Record<string, never>,
    events: {} as AccessGrantEvent,
  },
  guards: {
    // The auditor must learn why, and a 審査会 may ask later.
    hasReason: ({ event }) => 'reason' in event && typeof event.reason === 'string' && event.reason.trim() !== '',
  },
}).createMachine({
  id: 'access-grant.v1',
  initial: 'requested',
  context: {},
  states: {
    requested: {
      on: {
        APPROVE: { target: 'granted' },
        DECLINE: { target: 'declined', guard: 'hasReason' },
        REVOKE: { target: 'revoked' },
      },
    },
    granted: {
      on: {
        REVOKE: { target: 'revoked' },
        EXPIRE: { target: 'expired' },
      },
    },
    declined: { type: 'final' },
    revoked: { type: 'final' },
    expired: { type: 'final' },
  },
});

/** The state as it stands at `now`: a granted row past its `expiresAt` is expired, whatever is stored. */
export function accessGrantState(grant: { state: string; expiresAt?: Date | null }, now: Date): AccessGrantState {
  if (grant.state === 'granted' && grant.expiresAt && grant.expiresAt.getTime() <= now.getTime()) return 'expired';
  return grant.state as AccessGrantState;
}

/** What people read for the access grant's codes (timeline, refusals, CSVs, charts). */
export const ACCESS_GRANT_LABELS = workflowLabels(accessGrantMachine, {
  states: {
    requested: { ja: '申請中', en: 'Requested' },
    granted: { ja: '許可', en: 'Granted' },
    declined: { ja: '不許可', en: 'Declined' },
    revoked: { ja: '取消', en: 'Revoked' },
    expired: { ja: '期限切れ', en: 'Expired' },
  } satisfies Record<AccessGrantState, { ja: string; en: string }>,
  events: {
    APPROVE: { ja: '許可', en: 'Approve' },
    DECLINE: { ja: '不許可', en: 'Decline' },
    REVOKE: { ja: '取消', en: 'Revoke' },
    EXPIRE: { ja: '期限切れ', en: 'Expire' },
  } satisfies Record<AccessGrantEvent['type'], { ja: string; en: string }>,
  guards: { ...COMMON_GUARDS },
});

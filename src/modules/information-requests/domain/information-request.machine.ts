import { setup } from 'xstate';
import { COMMON_GUARDS, workflowLabels } from '../../../platform/vocabulary/workflow-labels';

/**
 * 情報照会: asked → approved (a disclosure with receipts), declined with a reason, withdrawn by the
 * requester, or expired unanswered (sent by the sweep). Pure: who may send what is the ability's.
 */
export const INFORMATION_REQUEST_STATES = ['requested', 'approved', 'declined', 'withdrawn', 'expired'] as const;
export type InformationRequestState = (typeof INFORMATION_REQUEST_STATES)[number];

export type InformationRequestEvent =
  | { type: 'APPROVE'; groups: string[] }
  | { type: 'DECLINE'; reason: string }
  | { type: 'WITHDRAW'; reason?: string }
  | { type: 'EXPIRE' };

export const informationRequestMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as InformationRequestEvent },
  guards: {
    // The requester must learn why: blank is refused.
    hasReason: ({ event }) => 'reason' in event && typeof event.reason === 'string' && event.reason.trim() !== '',
    // An approval that discloses nothing is a decline, and must say why.
    choosesFields: ({ event }) => event.type === 'APPROVE' && Array.isArray(event.groups) && event.groups.length > 0,
  },
}).createMachine({
  id: 'information-request.v1',
  initial: 'requested',
  context: {},
  states: {
    requested: {
      on: {
        APPROVE: { target: 'approved', guard: 'choosesFields' },
        DECLINE: { target: 'declined', guard: 'hasReason' },
        WITHDRAW: { target: 'withdrawn' },
        EXPIRE: { target: 'expired' },
      },
    },
    approved: { type: 'final' },
    declined: { type: 'final' },
    withdrawn: { type: 'final' },
    expired: { type: 'final' },
  },
});

export const INFORMATION_REQUEST_LABELS = workflowLabels(informationRequestMachine, {
  states: {
    requested: { ja: '照会中', en: 'Requested' },
    approved: { ja: '承認（提供済み）', en: 'Approved (disclosed)' },
    declined: { ja: '不承認', en: 'Declined' },
    withdrawn: { ja: '取下げ', en: 'Withdrawn' },
    expired: { ja: '期限切れ', en: 'Expired' },
  } satisfies Record<InformationRequestState, { ja: string; en: string }>,
  events: {
    APPROVE: { ja: '承認（提供）', en: 'Approve (disclose)' },
    DECLINE: { ja: '不承認', en: 'Decline' },
    WITHDRAW: { ja: '取下げ', en: 'Withdraw' },
    EXPIRE: { ja: '期限切れ', en: 'Expire' },
  } satisfies Record<InformationRequestEvent['type'], { ja: string; en: string }>,
  guards: {
    ...COMMON_GUARDS,
    choosesFields: { ja: '提供する項目を1つ以上選ぶ必要があります', en: 'At least one field group must be chosen' },
  },
});

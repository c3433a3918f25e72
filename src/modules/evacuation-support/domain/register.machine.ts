import { setup } from 'xstate';
import { labelsByCode, vocabulary } from '../../../platform/vocabulary/vocabulary';
import { workflowLabels } from '../../../platform/vocabulary/workflow-labels';

/**
 * Register entry — one person on the 避難行動要支援者名簿 (register of people who cannot evacuate
 * alone). The yearly cycle: candidates are extracted, the 登録・更新案内 (registration or renewal
 * notice) goes out in a mail merge, the answer records whether the entry may be provided to
 * supporters in normal times; removal ends the entry at any time.
 * Pure like the other machines: services replay it from the stored state.
 */

export const REGISTER_STATES = [
  'candidate', // 候補
  'notice_sent', // 案内送付
  'awaiting_answer', // 回答待ち
  'registered', // 登録
  'declined', // 辞退 — final
  'renewal_notice_sent', // 更新案内
  'removed', // 削除 — final
] as const;
export type RegisterState = (typeof REGISTER_STATES)[number];

/**
 * 平常時の名簿提供 (normal-time provision, 49条の11②): the person consented, refused, or the
 * municipality's 条例 allows it unless they refuse. Whether 'ordinance' is open to a tenant is the
 * service's check (its provision model), not the machine's. Someone who refused is still registered:
 * in a disaster the register is provided without consent (49条の11③).
 */
export const PROVISION_ANSWERS = [
  { code: 'consent', en: 'Consented', ja: '同意' },
  { code: 'refused', en: 'Refused', ja: '不同意' },
  { code: 'ordinance', en: 'Under the ordinance', ja: '条例による提供' },
] as const;
export type ProvisionAnswer = (typeof PROVISION_ANSWERS)[number]['code'];
export const PROVISION_ANSWER_LABELS = vocabulary('provisionAnswer', labelsByCode(PROVISION_ANSWERS));

/** 削除事由 — why an entry left the register; supporters holding it must then return or destroy it. */
export const REMOVAL_REASONS = [
  { code: 'death', en: 'Death', ja: '死亡' },
  { code: 'moved_out', en: 'Moved out', ja: '転出' },
  { code: 'facility', en: 'In a facility or long-term hospital stay', ja: '施設入所・長期入院' },
  { code: 'not_eligible', en: 'No longer eligible', ja: '非該当' },
  { code: 'own_request', en: 'At their own request', ja: '本人申出' },
] as const;
export type RemovalReason = (typeof REMOVAL_REASONS)[number]['code'];
export const REMOVAL_REASON_LABELS = vocabulary('removalReason', labelsByCode(REMOVAL_REASONS));

export type RegisterContext = Record<string, never>;

export type RegisterEvent =
  | { type: 'SEND_NOTICE' }
  | { type: 'MARK_MAILED' } // the notices went out in the mail merge
  | { type: 'REGISTER'; provision: ProvisionAnswer }
  | { type: 'DECLINE' } // the person asks not to be registered
  | { type: 'SEND_RENEWAL' }
  | { type: 'RENEW'; provision: ProvisionAnswer }
  | { type: 'REMOVE'; reason: RemovalReason };

export const REGISTER_EVENT_TYPES = [
  'SEND_NOTICE',
  'MARK_MAILED',
  'REGISTER',
  'DECLINE',
  'SEND_RENEWAL',
  'RENEW',
  'REMOVE',
] as const satisfies readonly RegisterEvent['type'][];

/** URL action names (kebab-case) → machine events. */
export const REGISTER_ACTIONS = {
  'send-notice': 'SEND_NOTICE',
  'mark-mailed': 'MARK_MAILED',
  register: 'REGISTER',
  decline: 'DECLINE',
  'send-renewal': 'SEND_RENEWAL',
  renew: 'RENEW',
  remove: 'REMOVE',
} as const satisfies Record<string, RegisterEvent['type']>;
export type RegisterAction = keyof typeof REGISTER_ACTIONS;

/** Domain events of a register entry, past tense, one name per fact. */
export const REGISTER_EVENTS = {
  SEND_NOTICE: 'RegisterNoticeSent',
  MARK_MAILED: 'RegisterNoticeMailed',
  REGISTER: 'RegisterEntryRegistered',
  DECLINE: 'RegisterEntryDeclined',
  SEND_RENEWAL: 'RegisterRenewalSent',
  RENEW: 'RegisterEntryRenewed',
  REMOVE: 'RegisterEntryRemoved',
} as const satisfies Record<RegisterEvent['type'], string>;

const PROVISION_CODES: ReadonlySet<string> = new Set(PROVISION_ANSWERS.map((a) => a.code));
const REMOVAL_CODES: ReadonlySet<string> = new Set(REMOVAL_REASONS.map((r) => r.code));

export const registerMachine = setup({
  types: {
    context: {} as RegisterContext,
    events: {} as RegisterEvent,
  },
  guards: {
    // Payloads come from clients; the answer decides who may see the entry, so it must be a known one.
    hasProvisionAnswer: ({ event }) =>
      (event.type === 'REGISTER' || event.type === 'RENEW') && typeof event.provision === 'string' && PROVISION_CODES.has(event.provision),
    // The reason decides follow-up (return tasks, re-extraction), so free text is not enough.
    hasRemovalReason: ({ event }) => event.type === 'REMOVE' && typeof event.reason === 'string' && REMOVAL_CODES.has(event.reason),
  },
}).createMachine({
  id: 'register.v1',
  initial: 'candidate',
  context: {},
  states: {
    candidate: {
      on: {
        SEND_NOTICE: { target: 'notice_sent' },
        // Someone who applied themselves answers on the application form: no notice needed.
        REGISTER: { target: 'registered', guard: 'hasProvisionAnswer' },
        REMOVE: { target: 'removed', guard: 'hasRemovalReason' },
      },
    },
    notice_sent: {
      on: {
        MARK_MAILED: { target: 'awaiting_answer' },
        // An answer can arrive before the batch is marked mailed (handed over at the counter).
        REGISTER: { target: 'registered', guard: 'hasProvisionAnswer' },
        DECLINE: { target: 'declined' },
        REMOVE: { target: 'removed', guard: 'hasRemovalReason' },
      },
    },
    awaiting_answer: {
      on: {
        REGISTER: { target: 'registered', guard: 'hasProvisionAnswer' },
        DECLINE: { target: 'declined' },
        REMOVE: { target: 'removed', guard: 'hasRemovalReason' },
      },
    },
    registered: {
      on: {
        SEND_RENEWAL: { target: 'renewal_notice_sent' },
        // 登録辞退 once registered is a removal with reason own_request, so supporters return copies.
        REMOVE: { target: 'removed', guard: 'hasRemovalReason' },
      },
    },
    declined: { type: 'final' },
    renewal_notice_sent: {
      on: {
        RENEW: { target: 'registered', guard: 'hasProvisionAnswer' },
        REMOVE: { target: 'removed', guard: 'hasRemovalReason' },
      },
    },
    removed: { type: 'final' },
  },
});

/** What people read for the register entry's codes (timeline, refusals, CSVs, charts). */
export const REGISTER_LABELS = workflowLabels(registerMachine, {
  states: {
    candidate: { ja: '候補', en: 'Candidate' },
    notice_sent: { ja: '案内送付', en: 'Notice sent' },
    awaiting_answer: { ja: '回答待ち', en: 'Awaiting answer' },
    registered: { ja: '登録', en: 'Registered' },
    declined: { ja: '辞退', en: 'Declined' },
    renewal_notice_sent: { ja: '更新案内', en: 'Renewal notice sent' },
    removed: { ja: '削除', en: 'Removed' },
  } satisfies Record<RegisterState, { ja: string; en: string }>,
  events: {
    SEND_NOTICE: { ja: '登録案内の送付', en: 'Send the notice' },
    MARK_MAILED: { ja: '郵送済み', en: 'Mark mailed' },
    REGISTER: { ja: '登録', en: 'Register' },
    DECLINE: { ja: '辞退', en: 'Decline' },
    SEND_RENEWAL: { ja: '更新案内の送付', en: 'Send the renewal notice' },
    RENEW: { ja: '更新', en: 'Renew' },
    REMOVE: { ja: '削除', en: 'Remove' },
  } satisfies Record<RegisterEvent['type'], { ja: string; en: string }>,
  guards: {
    hasProvisionAnswer: { ja: '平常時の名簿提供についての回答が必要です', en: 'An answer on normal-time provision is required' },
    hasRemovalReason: { ja: '削除事由の選択が必要です', en: 'A removal reason must be chosen' },
  },
});

import { initialTransition, transition } from 'xstate';
import {
  initialReferralState,
  OPEN_REFERRAL_STATES,
  REFERRAL_EVENT_TYPES,
  REFERRAL_OUTCOMES,
  REFERRAL_STATES,
  VISIBLE_TO_RECEIVER_STATES,
  referralMachine,
  type ReferralEvent,
  type ReferralState,
} from './referral.machine';

/** A valid event of each type: payload guards pass, so only the state decides. */
const event = (type: ReferralEvent['type']): ReferralEvent =>
  ({ type, reason: '担当者不在', outcome: 'resolved', by: 'manager' }) as ReferralEvent;
const at = (value: ReferralState) => referralMachine.resolveState({ value, context: { preparers: ['counselor'] } });

const ALLOWED: Record<ReferralState, Partial<Record<ReferralEvent['type'], ReferralState>>> = {
  awaiting_approval: { APPROVE: 'proposed', RETURN: 'returned', WITHDRAW: 'withdrawn' },
  returned: { RESUBMIT: 'awaiting_approval', WITHDRAW: 'withdrawn' },
  proposed: { ACCEPT: 'accepted', DECLINE: 'declined', WITHDRAW: 'withdrawn', EXPIRE: 'expired' },
  accepted: { START: 'in_progress', WITHDRAW: 'withdrawn' },
  in_progress: { HOLD: 'on_hold', COMPLETE: 'completed' },
  on_hold: { RESUME: 'in_progress', COMPLETE: 'completed' },
  declined: {},
  withdrawn: {},
  expired: {},
  completed: {},
};

describe('referralMachine', () => {
  it('is versioned and starts proposed', () => {
    expect(referralMachine.id).toBe('referral.v1');
    expect(initialTransition(referralMachine)[0].value).toBe('proposed');
  });

  const pairs = REFERRAL_STATES.flatMap((state) =>
    REFERRAL_EVENT_TYPES.map((type) => [state, type, ALLOWED[state][type]] as const),
  );
  it.each(pairs)('%s + %s → %s (undefined = refused)', (state, type, target) => {
    const snapshot = at(state);
    expect(snapshot.can(event(type))).toBe(target !== undefined);
    const [next] = transition(referralMachine, snapshot, event(type));
    expect(next.value).toBe(target ?? state);
  });

  it.each(['declined', 'withdrawn', 'expired', 'completed'] as const)('%s is final', (state) => {
    expect(at(state).status).toBe('done');
  });

  it.each(['', '  '])('refuses DECLINE and HOLD with blank reason %j', (reason) => {
    expect(at('proposed').can({ type: 'DECLINE', reason })).toBe(false);
    expect(at('in_progress').can({ type: 'HOLD', reason })).toBe(false);
  });

  it('lets the sender withdraw without a reason', () => {
    expect(at('proposed').can({ type: 'WITHDRAW' })).toBe(true);
    expect(at('accepted').can({ type: 'WITHDRAW' })).toBe(true);
  });

  it.each(REFERRAL_OUTCOMES.map((o) => o.code))('completes with outcome %s', (outcome) => {
    expect(at('in_progress').can({ type: 'COMPLETE', outcome })).toBe(true);
    expect(at('on_hold').can({ type: 'COMPLETE', outcome, note: '済' })).toBe(true);
  });

  it('refuses COMPLETE with an unknown or missing outcome', () => {
    expect(at('in_progress').can({ type: 'COMPLETE', outcome: 'done' } as unknown as ReferralEvent)).toBe(false);
    expect(at('in_progress').can({ type: 'COMPLETE' } as unknown as ReferralEvent)).toBe(false);
  });

  it('has a Japanese label for every outcome, codes unique', () => {
    const codes = REFERRAL_OUTCOMES.map((o) => o.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const o of REFERRAL_OUTCOMES) expect(o.ja).toMatch(/\S/);
  });

  it('open states are exactly the non-final, non-completed ones', () => {
    const open = REFERRAL_STATES.filter((s) => at(s).status === 'active');
    expect([...OPEN_REFERRAL_STATES].sort()).toEqual([...open].sort());
  });

  it('receiver sees sent open referrals and completed ones only: nothing prepared or returned', () => {
    const unsent = ['awaiting_approval', 'returned'];
    expect([...VISIBLE_TO_RECEIVER_STATES].sort()).toEqual([...OPEN_REFERRAL_STATES.filter((s) => !unsent.includes(s)), 'completed'].sort());
  });

  describe('要配慮個人情報 shares (APPI_SPECIAL)', () => {
    it('start awaiting the manager’s approval; every other basis is sent at once', () => {
      expect(initialReferralState('APPI_SPECIAL')).toBe('awaiting_approval');
      for (const basis of ['CONSENT', 'APPI_INTERNAL', 'APPI_PUBLIC_BODY']) expect(initialReferralState(basis)).toBe('proposed');
    });

    it('refuses an approval by the preparer, or by nobody', () => {
      expect(at('awaiting_approval').can({ type: 'APPROVE', by: 'counselor' })).toBe(false);
      expect(at('awaiting_approval').can({ type: 'APPROVE', by: '' })).toBe(false);
      expect(at('awaiting_approval').can({ type: 'APPROVE', by: 'manager' })).toBe(true);
    });

    it.each(['', '  '])('refuses RETURN with blank reason %j', (reason) => {
      expect(at('awaiting_approval').can({ type: 'RETURN', reason })).toBe(false);
    });
  });
});

import { initialTransition, transition } from 'xstate';
import { acceptedEvents, chartOf, nextState } from '../../../platform/workflow/workflow';
import {
  PROVISION_ANSWERS,
  REGISTER_ACTIONS,
  REGISTER_EVENT_TYPES,
  REGISTER_EVENTS,
  REGISTER_STATES,
  REMOVAL_REASONS,
  registerMachine,
  type RegisterEvent,
  type RegisterState,
} from './register.machine';

type EventType = RegisterEvent['type'];

/** A valid event of each type: payload guards pass, so only the state decides. */
const event = (type: EventType): RegisterEvent => ({ type, provision: 'consent', reason: 'death' }) as RegisterEvent;
const at = (value: RegisterState) => registerMachine.resolveState({ value, context: {} });
/** An event with a payload the type does not allow, as a client could send it. */
const raw = (payload: Record<string, unknown>) => payload as unknown as RegisterEvent;

/** Every allowed move; any state × event pair missing here must be refused. */
const ALLOWED: Record<RegisterState, Partial<Record<EventType, RegisterState>>> = {
  candidate: { SEND_NOTICE: 'notice_sent', REGISTER: 'registered', REMOVE: 'removed' },
  notice_sent: { MARK_MAILED: 'awaiting_answer', REGISTER: 'registered', DECLINE: 'declined', REMOVE: 'removed' },
  awaiting_answer: { REGISTER: 'registered', DECLINE: 'declined', REMOVE: 'removed' },
  registered: { SEND_RENEWAL: 'renewal_notice_sent', REMOVE: 'removed' },
  declined: {},
  renewal_notice_sent: { RENEW: 'registered', REMOVE: 'removed' },
  removed: {},
};

describe('registerMachine', () => {
  it('is versioned and starts as a candidate with an empty context', () => {
    expect(registerMachine.id).toBe('register.v1');
    const [snapshot] = initialTransition(registerMachine);
    expect(snapshot.value).toBe('candidate');
    expect(snapshot.context).toEqual({});
  });

  describe('state × event', () => {
    const pairs = REGISTER_STATES.flatMap((state) => REGISTER_EVENT_TYPES.map((type) => [state, type, ALLOWED[state][type]] as const));
    it.each(pairs)('%s + %s → %s (undefined = refused)', (state, type, target) => {
      const snapshot = at(state);
      expect(snapshot.can(event(type))).toBe(target !== undefined);
      const [next] = transition(registerMachine, snapshot, event(type));
      expect(next.value).toBe(target ?? state);
      expect(nextState(registerMachine, state, {}, event(type))).toEqual(
        target === undefined ? { ok: false, reason: 'not_allowed_in_state' } : { ok: true, value: target, context: {} },
      );
    });
  });

  it.each(['declined', 'removed'] as const)('%s is final and accepts nothing more', (state) => {
    expect(at(state).status).toBe('done');
    expect(acceptedEvents(registerMachine, state, {}, (type) => event(type as EventType))).toEqual([]);
  });

  it('only declined and removed are final', () => {
    expect(REGISTER_STATES.filter((s) => at(s).status === 'done')).toEqual(['declined', 'removed']);
  });

  describe('guards name themselves when they refuse', () => {
    const provisionMoves: [RegisterState, 'REGISTER' | 'RENEW'][] = [
      ['candidate', 'REGISTER'],
      ['notice_sent', 'REGISTER'],
      ['awaiting_answer', 'REGISTER'],
      ['renewal_notice_sent', 'RENEW'],
    ];
    describe.each(provisionMoves)('%s + %s needs a provision answer', (state, type) => {
      it.each(PROVISION_ANSWERS.map((a) => a.code))('accepts %s', (provision) => {
        expect(nextState(registerMachine, state, {}, { type, provision })).toEqual({ ok: true, value: 'registered', context: {} });
      });
      it.each([
        ['an unknown answer', { provision: 'maybe' }],
        ['a blank answer', { provision: '' }],
        ['a Japanese label instead of the code', { provision: '同意' }],
        ['a missing answer', {}],
        ['a non-string answer', { provision: true }],
      ])('refuses %s, naming hasProvisionAnswer', (_, payload) => {
        expect(nextState(registerMachine, state, {}, raw({ type, ...payload }))).toEqual({
          ok: false,
          reason: 'guard_failed',
          guards: ['hasProvisionAnswer'],
        });
      });
    });

    const removable: RegisterState[] = ['candidate', 'notice_sent', 'awaiting_answer', 'registered', 'renewal_notice_sent'];
    describe.each(removable)('%s + REMOVE needs a removal reason', (state) => {
      it.each(REMOVAL_REASONS.map((r) => r.code))('accepts %s', (reason) => {
        expect(nextState(registerMachine, state, {}, { type: 'REMOVE', reason })).toEqual({ ok: true, value: 'removed', context: {} });
      });
      it.each([
        ['free text', { reason: '引っ越したため' }],
        ['a blank reason', { reason: ' ' }],
        ['a missing reason', {}],
        ['a code from the provision list', { reason: 'refused' }],
      ])('refuses %s, naming hasRemovalReason', (_, payload) => {
        expect(nextState(registerMachine, state, {}, raw({ type: 'REMOVE', ...payload }))).toEqual({
          ok: false,
          reason: 'guard_failed',
          guards: ['hasRemovalReason'],
        });
      });
    });

    it('needs no payload to decline', () => {
      expect(nextState(registerMachine, 'awaiting_answer', {}, { type: 'DECLINE' })).toEqual({ ok: true, value: 'declined', context: {} });
    });
  });

  it('offers a client only what the state allows', () => {
    const probe = (type: string) => event(type as EventType);
    expect(acceptedEvents(registerMachine, 'candidate', {}, probe)).toEqual(['SEND_NOTICE', 'REGISTER', 'REMOVE']);
    expect(acceptedEvents(registerMachine, 'notice_sent', {}, probe)).toEqual(['MARK_MAILED', 'REGISTER', 'DECLINE', 'REMOVE']);
    expect(acceptedEvents(registerMachine, 'registered', {}, probe)).toEqual(['SEND_RENEWAL', 'REMOVE']);
  });

  /** Runs `steps` through nextState, as the service does, checking each landing state. */
  const walk = (from: RegisterState, steps: [RegisterEvent, RegisterState][]) => {
    let value: string = from;
    for (const [e, expected] of steps) {
      expect(nextState(registerMachine, value, {}, e)).toEqual({ ok: true, value: expected, context: {} });
      value = expected;
    }
    return value;
  };

  it('walks the yearly cycle: notice, answer, two renewals, removal', () => {
    walk('candidate', [
      [{ type: 'SEND_NOTICE' }, 'notice_sent'],
      [{ type: 'MARK_MAILED' }, 'awaiting_answer'],
      [{ type: 'REGISTER', provision: 'refused' }, 'registered'],
      [{ type: 'SEND_RENEWAL' }, 'renewal_notice_sent'],
      [{ type: 'RENEW', provision: 'consent' }, 'registered'],
      [{ type: 'SEND_RENEWAL' }, 'renewal_notice_sent'],
      [{ type: 'RENEW', provision: 'ordinance' }, 'registered'],
      [{ type: 'REMOVE', reason: 'facility' }, 'removed'],
    ]);
  });

  it('registers someone who applied themselves straight from candidate', () => {
    walk('candidate', [[{ type: 'REGISTER', provision: 'consent' }, 'registered']]);
  });

  it('lets someone registered leave on their own request, but not "decline"', () => {
    expect(nextState(registerMachine, 'registered', {}, { type: 'DECLINE' })).toEqual({ ok: false, reason: 'not_allowed_in_state' });
    walk('registered', [[{ type: 'REMOVE', reason: 'own_request' }, 'removed']]);
  });

  it('does not renew without a renewal notice', () => {
    expect(nextState(registerMachine, 'registered', {}, { type: 'RENEW', provision: 'consent' })).toEqual({
      ok: false,
      reason: 'not_allowed_in_state',
    });
  });

  describe('code lists', () => {
    it.each([
      ['PROVISION_ANSWERS', PROVISION_ANSWERS, ['consent', 'refused', 'ordinance']],
      ['REMOVAL_REASONS', REMOVAL_REASONS, ['death', 'moved_out', 'facility', 'not_eligible', 'own_request']],
    ] as const)('%s: codes as specified, each with a Japanese label', (_, list, codes) => {
      expect(list.map((item) => item.code)).toEqual(codes);
      for (const item of list) expect(item.ja).toMatch(/\S/);
    });

    it('labels removal reasons and answers in Japanese', () => {
      expect(Object.fromEntries(REMOVAL_REASONS.map((r) => [r.code, r.ja]))).toEqual({
        death: '死亡',
        moved_out: '転出',
        facility: '施設入所・長期入院',
        not_eligible: '非該当',
        own_request: '本人申出',
      });
      expect(Object.fromEntries(PROVISION_ANSWERS.map((a) => [a.code, a.ja]))).toEqual({
        consent: '同意',
        refused: '不同意',
        ordinance: '条例による提供',
      });
    });
  });

  describe('maps', () => {
    it('gives every event exactly one kebab-case URL action', () => {
      expect(REGISTER_ACTIONS).toEqual({
        'send-notice': 'SEND_NOTICE',
        'mark-mailed': 'MARK_MAILED',
        register: 'REGISTER',
        decline: 'DECLINE',
        'send-renewal': 'SEND_RENEWAL',
        renew: 'RENEW',
        remove: 'REMOVE',
      });
      expect(Object.values(REGISTER_ACTIONS).sort()).toEqual([...REGISTER_EVENT_TYPES].sort());
    });

    it('names a distinct past-tense domain event for every event', () => {
      expect(Object.keys(REGISTER_EVENTS).sort()).toEqual([...REGISTER_EVENT_TYPES].sort());
      expect(new Set(Object.values(REGISTER_EVENTS)).size).toBe(REGISTER_EVENT_TYPES.length);
      expect(REGISTER_EVENTS).toMatchObject({ REGISTER: 'RegisterEntryRegistered', REMOVE: 'RegisterEntryRemoved', MARK_MAILED: 'RegisterNoticeMailed' });
    });
  });

  describe('chartOf', () => {
    const chart = chartOf(registerMachine);

    it('lists every state, candidate first, declined and removed final', () => {
      expect(chart.id).toBe('register.v1');
      expect(chart.initial).toBe('candidate');
      expect(chart.states.map((s) => s.name)).toEqual([...REGISTER_STATES]);
      expect(chart.states.filter((s) => s.final).map((s) => s.name)).toEqual(['declined', 'removed']);
    });

    it('shows the payload guards', () => {
      const renewal = chart.states.find((s) => s.name === 'renewal_notice_sent')!;
      expect(renewal.transitions).toEqual([
        { event: 'RENEW', target: 'registered', guards: ['hasProvisionAnswer'] },
        { event: 'REMOVE', target: 'removed', guards: ['hasRemovalReason'] },
      ]);
    });

    it('agrees with the table of allowed moves', () => {
      for (const state of chart.states) {
        const moves = Object.fromEntries(state.transitions.map((t) => [t.event, t.target]));
        expect(moves).toEqual(ALLOWED[state.name as RegisterState]);
      }
    });
  });
});

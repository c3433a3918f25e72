import { initialTransition, transition } from 'xstate';
import { acceptedEvents, chartOf, nextState } from '../../../platform/workflow/workflow';
import {
  COORDINATION_ACTIONS,
  COORDINATION_EVENT_TYPES,
  COORDINATION_EVENTS,
  COORDINATION_STATES,
  coordinationMachine,
  type CoordinationContext,
  type CoordinationEvent,
  type CoordinationState,
} from './coordination.machine';

type EventType = CoordinationEvent['type'];

const event = (type: EventType, reason = '本人の希望'): CoordinationEvent => ({ type, reason }) as CoordinationEvent;
/** Every guard holds: consent, a plan with tasks, none open, approved at a 重層的支援会議. */
const READY: CoordinationContext = { hasConsent: true, taskCount: 2, openTasks: 0, approvedAtJusoMeeting: true };
const ctx = (overrides: Partial<CoordinationContext> = {}): CoordinationContext => ({ ...READY, ...overrides });
const at = (value: CoordinationState, context = READY) => coordinationMachine.resolveState({ value, context });

const ACTIVE: CoordinationState[] = [
  'screening',
  'shien_kaigi',
  'assessment',
  'planning',
  'awaiting_approval',
  'support',
  'monitoring',
  'replanning',
  'evaluation',
];

/** Every allowed move; any state × event pair missing here must be refused. */
const ALLOWED: Record<CoordinationState, Partial<Record<EventType, CoordinationState>>> = {
  screening: { START_CONSENT_TRACK: 'assessment', START_SHIEN_KAIGI_TRACK: 'shien_kaigi', SUSPEND: 'suspended' },
  shien_kaigi: { CONSENT_OBTAINED: 'assessment', CLOSE: 'closed', SUSPEND: 'suspended' },
  assessment: { DRAFT_PLAN: 'planning', SUSPEND: 'suspended' },
  planning: { SUBMIT_PLAN: 'awaiting_approval', SUSPEND: 'suspended' },
  awaiting_approval: { APPROVE_PLAN: 'support', RETURN_PLAN: 'planning', SUSPEND: 'suspended' },
  support: { START_MONITORING: 'monitoring', SUSPEND: 'suspended' },
  monitoring: { REPLAN: 'replanning', EVALUATE: 'evaluation', SUSPEND: 'suspended' },
  replanning: { RESUME_MONITORING: 'monitoring', SUSPEND: 'suspended' },
  evaluation: { CLOSE: 'closed', SUSPEND: 'suspended' },
  closed: {},
  suspended: { REOPEN: 'screening' },
};

describe('coordinationMachine', () => {
  it('is versioned and starts at screening with nothing known yet', () => {
    expect(coordinationMachine.id).toBe('coordination.v1');
    const [snapshot] = initialTransition(coordinationMachine);
    expect(snapshot.value).toBe('screening');
    expect(snapshot.context).toEqual({ hasConsent: false, taskCount: 0, openTasks: 0, approvedAtJusoMeeting: false });
  });

  describe('state × event', () => {
    const pairs = COORDINATION_STATES.flatMap((state) =>
      COORDINATION_EVENT_TYPES.map((type) => [state, type, ALLOWED[state][type]] as const),
    );
    it.each(pairs)('%s + %s → %s (undefined = refused)', (state, type, target) => {
      const snapshot = at(state);
      expect(snapshot.can(event(type))).toBe(target !== undefined);
      const [next] = transition(coordinationMachine, snapshot, event(type));
      expect(next.value).toBe(target ?? state);
      expect(nextState(coordinationMachine, state, READY, event(type))).toEqual(
        target === undefined
          ? { ok: false, reason: 'not_allowed_in_state' }
          : { ok: true, value: target, context: READY },
      );
    });
  });

  describe('guards name themselves when they refuse', () => {
    it.each([
      ['screening', 'START_CONSENT_TRACK', { hasConsent: false }, ['hasConsent']],
      ['shien_kaigi', 'CONSENT_OBTAINED', { hasConsent: false }, ['hasConsent']],
      ['planning', 'SUBMIT_PLAN', { taskCount: 0 }, ['planHasTasks']],
      ['awaiting_approval', 'APPROVE_PLAN', { hasConsent: false }, ['hasConsent']],
      ['awaiting_approval', 'APPROVE_PLAN', { taskCount: 0 }, ['planHasTasks']],
      ['awaiting_approval', 'APPROVE_PLAN', { approvedAtJusoMeeting: false }, ['approvedAtJusoMeeting']],
      [
        'awaiting_approval',
        'APPROVE_PLAN',
        { hasConsent: false, taskCount: 0, approvedAtJusoMeeting: false },
        ['hasConsent', 'planHasTasks', 'approvedAtJusoMeeting'],
      ],
      ['replanning', 'RESUME_MONITORING', { taskCount: 0 }, ['planHasTasks']],
      ['evaluation', 'CLOSE', { openTasks: 1 }, ['noOpenTasks']],
    ] as const)('%s + %s with %j → %j', (state, type, overrides, guards) => {
      expect(nextState(coordinationMachine, state, ctx(overrides), event(type))).toEqual({
        ok: false,
        reason: 'guard_failed',
        guards,
      });
    });

    it('names both guards when CLOSE has neither a reason nor all tasks done', () => {
      expect(nextState(coordinationMachine, 'evaluation', ctx({ openTasks: 3 }), event('CLOSE', ' '))).toEqual({
        ok: false,
        reason: 'guard_failed',
        guards: ['hasReason', 'noOpenTasks'],
      });
    });

    const needsReason: [CoordinationState, EventType][] = [
      ['awaiting_approval', 'RETURN_PLAN'],
      ['monitoring', 'REPLAN'],
      ['evaluation', 'CLOSE'],
      ['shien_kaigi', 'CLOSE'],
      ['suspended', 'REOPEN'],
      ...ACTIVE.map((state): [CoordinationState, EventType] => [state, 'SUSPEND']),
    ];
    describe.each(needsReason)('%s + %s needs a reason', (state, type) => {
      it.each(['', '   ', '\n'])('refuses %j, naming hasReason', (reason) => {
        expect(nextState(coordinationMachine, state, READY, event(type, reason))).toEqual({
          ok: false,
          reason: 'guard_failed',
          guards: ['hasReason'],
        });
      });
      it('refuses a missing reason', () => {
        expect(at(state).can({ type } as CoordinationEvent)).toBe(false);
      });
    });
  });

  it('closes a 支援会議 case without consent and with tasks open, given a reason', () => {
    const result = nextState(coordinationMachine, 'shien_kaigi', ctx({ hasConsent: false, openTasks: 2 }), event('CLOSE', '転出'));
    expect(result).toMatchObject({ ok: true, value: 'closed' });
  });

  it('is final when closed, and accepts nothing more', () => {
    expect(at('closed').status).toBe('done');
    expect(acceptedEvents(coordinationMachine, 'closed', READY, (type) => event(type as EventType))).toEqual([]);
  });

  it('suspends from every active state and reopens into screening, keeping context', () => {
    for (const state of ACTIVE) {
      expect(nextState(coordinationMachine, state, READY, event('SUSPEND', '入院'))).toMatchObject({ ok: true, value: 'suspended' });
    }
    const context = ctx({ hasConsent: false, openTasks: 1 });
    expect(nextState(coordinationMachine, 'suspended', context, event('REOPEN', '退院'))).toEqual({
      ok: true,
      value: 'screening',
      context,
    });
  });

  it('offers a client only what the state and context allow', () => {
    const probe = (type: string) => event(type as EventType, '理由');
    expect(acceptedEvents(coordinationMachine, 'awaiting_approval', READY, probe)).toEqual(['APPROVE_PLAN', 'RETURN_PLAN', 'SUSPEND']);
    expect(acceptedEvents(coordinationMachine, 'awaiting_approval', ctx({ hasConsent: false }), probe)).toEqual([
      'RETURN_PLAN',
      'SUSPEND',
    ]);
    expect(acceptedEvents(coordinationMachine, 'screening', ctx({ hasConsent: false }), probe)).toEqual([
      'START_SHIEN_KAIGI_TRACK',
      'SUSPEND',
    ]);
  });

  /** Runs `steps` through nextState, as the service does, checking each landing state. */
  const walk = (from: CoordinationState, steps: [CoordinationEvent, CoordinationContext, CoordinationState][]) => {
    let value: string = from;
    for (const [e, context, expected] of steps) {
      const result = nextState(coordinationMachine, value, context, e);
      expect(result).toEqual({ ok: true, value: expected, context });
      value = expected;
    }
    return value;
  };

  it('walks the consent track from screening to 終結', () => {
    const draft = ctx({ taskCount: 0, openTasks: 0, approvedAtJusoMeeting: false });
    const planned = ctx({ taskCount: 3, openTasks: 3, approvedAtJusoMeeting: false });
    const approved = ctx({ taskCount: 3, openTasks: 3 });
    const done = ctx({ taskCount: 3, openTasks: 0, approvedAtJusoMeeting: false });
    const end = walk('screening', [
      [event('START_CONSENT_TRACK'), draft, 'assessment'],
      [event('DRAFT_PLAN'), draft, 'planning'],
      [event('SUBMIT_PLAN'), planned, 'awaiting_approval'],
      [event('RETURN_PLAN', '目標が曖昧'), planned, 'planning'],
      [event('SUBMIT_PLAN'), planned, 'awaiting_approval'],
      [event('APPROVE_PLAN'), approved, 'support'],
      [event('START_MONITORING'), planned, 'monitoring'],
      [event('REPLAN', '就労先が決まった'), planned, 'replanning'],
      [event('RESUME_MONITORING'), planned, 'monitoring'],
      [event('EVALUATE'), planned, 'evaluation'],
      [event('CLOSE', '目標達成'), done, 'closed'],
    ]);
    expect(at(end as CoordinationState, done).status).toBe('done');
  });

  it('moves a 支援会議 case onto the consent track once consent is obtained', () => {
    const noConsent = ctx({ hasConsent: false, taskCount: 0, approvedAtJusoMeeting: false });
    expect(nextState(coordinationMachine, 'screening', noConsent, event('START_CONSENT_TRACK'))).toEqual({
      ok: false,
      reason: 'guard_failed',
      guards: ['hasConsent'],
    });
    walk('screening', [[event('START_SHIEN_KAIGI_TRACK'), noConsent, 'shien_kaigi']]);
    expect(nextState(coordinationMachine, 'shien_kaigi', noConsent, event('CONSENT_OBTAINED'))).toEqual({
      ok: false,
      reason: 'guard_failed',
      guards: ['hasConsent'],
    });
    const consented = { ...noConsent, hasConsent: true };
    walk('shien_kaigi', [
      [event('CONSENT_OBTAINED'), consented, 'assessment'],
      [event('DRAFT_PLAN'), consented, 'planning'],
      [event('SUBMIT_PLAN'), { ...consented, taskCount: 1 }, 'awaiting_approval'],
      [event('APPROVE_PLAN'), { ...consented, taskCount: 1, approvedAtJusoMeeting: true }, 'support'],
    ]);
  });

  it('refuses 支援決定 once consent was withdrawn before the meeting', () => {
    expect(nextState(coordinationMachine, 'awaiting_approval', ctx({ hasConsent: false }), event('APPROVE_PLAN'))).toEqual({
      ok: false,
      reason: 'guard_failed',
      guards: ['hasConsent'],
    });
  });

  describe('maps', () => {
    it('gives every event exactly one URL action', () => {
      expect(Object.values(COORDINATION_ACTIONS).sort()).toEqual([...COORDINATION_EVENT_TYPES].sort());
      expect(Object.keys(COORDINATION_ACTIONS).every((action) => /^[a-z]+(-[a-z]+)*$/.test(action))).toBe(true);
    });

    it('names a distinct past-tense domain event for every event', () => {
      expect(Object.keys(COORDINATION_EVENTS).sort()).toEqual([...COORDINATION_EVENT_TYPES].sort());
      expect(new Set(Object.values(COORDINATION_EVENTS)).size).toBe(COORDINATION_EVENT_TYPES.length);
      expect(COORDINATION_EVENTS.APPROVE_PLAN).toBe('SupportPlanApproved');
    });
  });

  describe('chartOf', () => {
    const chart = chartOf(coordinationMachine);

    it('lists every state, screening first, only closed final', () => {
      expect(chart.id).toBe('coordination.v1');
      expect(chart.initial).toBe('screening');
      expect(chart.states.map((s) => s.name)).toEqual([...COORDINATION_STATES]);
      expect(chart.states.filter((s) => s.final).map((s) => s.name)).toEqual(['closed']);
    });

    it('shows the APPROVE_PLAN guards', () => {
      const awaiting = chart.states.find((s) => s.name === 'awaiting_approval')!;
      expect(awaiting.transitions).toContainEqual({
        event: 'APPROVE_PLAN',
        target: 'support',
        guards: ['hasConsent', 'planHasTasks', 'approvedAtJusoMeeting'],
      });
    });

    it('agrees with the table of allowed moves', () => {
      for (const state of chart.states) {
        const moves = Object.fromEntries(state.transitions.map((t) => [t.event, t.target]));
        expect(moves).toEqual(ALLOWED[state.name as CoordinationState]);
      }
    });
  });
});

import { and, setup } from 'xstate';
import { CASE_STATES, caseMachine } from '../../modules/cases/domain/case.machine';
import { REFERRAL_STATES, referralMachine } from '../../modules/referrals/domain/referral.machine';
import { acceptedEvents, chartOf, nextState } from './workflow';

const probe = (type: string) => ({ type, reason: 'x', outcome: 'resolved' });

describe('nextState', () => {
  it('returns the next value and context', () => {
    expect(nextState(caseMachine, 'intake', { openReferrals: 0 }, { type: 'START_ASSESSMENT' })).toEqual({
      ok: true,
      value: 'assessment',
      context: { openReferrals: 0 },
    });
  });

  it('refuses an event the state does not handle', () => {
    expect(nextState(caseMachine, 'closed', { openReferrals: 0 }, { type: 'START_SUPPORT' })).toEqual({
      ok: false,
      reason: 'not_allowed_in_state',
    });
    expect(nextState(referralMachine, 'completed', {}, { type: 'RESUME' })).toEqual({
      ok: false,
      reason: 'not_allowed_in_state',
    });
  });

  it('names only the guard that refused CLOSE while referrals are open', () => {
    expect(nextState(caseMachine, 'support', { openReferrals: 1 }, { type: 'CLOSE', reason: '目標達成' })).toEqual({
      ok: false,
      reason: 'guard_failed',
      guards: ['noOpenReferrals'],
    });
  });

  it('names every guard that refused', () => {
    expect(nextState(caseMachine, 'support', { openReferrals: 1 }, { type: 'CLOSE', reason: ' ' })).toEqual({
      ok: false,
      reason: 'guard_failed',
      guards: ['hasReason', 'noOpenReferrals'],
    });
    expect(nextState(caseMachine, 'suspended', { openReferrals: 0 }, { type: 'REOPEN', reason: '' })).toEqual({
      ok: false,
      reason: 'guard_failed',
      guards: ['hasReason'],
    });
  });

  it('reopens a closed case', () => {
    const result = nextState(caseMachine, 'closed', { openReferrals: 0 }, { type: 'REOPEN', reason: '再相談' });
    expect(result).toMatchObject({ ok: true, value: 'assessment' });
  });

  it('throws on a state the machine does not have', () => {
    expect(() => nextState(caseMachine, 'nowhere', { openReferrals: 0 }, { type: 'START_ASSESSMENT' })).toThrow(
      "case.v1 has no state 'nowhere'",
    );
  });

  it('falls back to naming all guards when no single one can be blamed', () => {
    const machine = setup({ guards: { ok: () => true } }).createMachine({
      id: 'not.v1',
      initial: 'a',
      states: { a: { on: { GO: { target: 'b', guard: ({ context }) => context === null } } }, b: {} },
    });
    expect(nextState(machine, 'a', {}, { type: 'GO' })).toEqual({ ok: false, reason: 'guard_failed', guards: ['(inline)'] });
  });
});

describe('acceptedEvents', () => {
  it.each([
    ['intake', 0, ['START_ASSESSMENT', 'CLOSE', 'SUSPEND']],
    ['support', 2, ['START_MONITORING', 'SUSPEND']],
    ['closed', 0, ['REOPEN']],
  ] as const)('case in %s with %i open referrals accepts %j', (state, openReferrals, expected) => {
    expect(acceptedEvents(caseMachine, state, { openReferrals }, probe)).toEqual(expected);
  });

  it.each([
    ['proposed', ['ACCEPT', 'DECLINE', 'WITHDRAW', 'EXPIRE']],
    ['on_hold', ['RESUME', 'COMPLETE']],
    ['expired', []],
  ] as const)('referral in %s accepts %j', (state, expected) => {
    expect(acceptedEvents(referralMachine, state, {}, probe)).toEqual(expected);
  });
});

describe('chartOf', () => {
  it('lists every case state with its transitions and guards', () => {
    const chart = chartOf(caseMachine);
    expect(chart.id).toBe('case.v1');
    expect(chart.initial).toBe('intake');
    expect(chart.states.map((s) => s.name)).toEqual([...CASE_STATES]);
    expect(chart.states.every((s) => !s.final)).toBe(true);
    const support = chart.states.find((s) => s.name === 'support')!;
    expect(support.transitions).toEqual([
      { event: 'START_MONITORING', target: 'monitoring', guards: [] },
      { event: 'CLOSE', target: 'closed', guards: ['hasReason', 'noOpenReferrals'] },
      { event: 'SUSPEND', target: 'suspended', guards: ['hasReason'] },
    ]);
  });

  it('marks terminal referral states final', () => {
    const chart = chartOf(referralMachine);
    expect(chart.initial).toBe('proposed');
    expect(chart.states.map((s) => s.name).sort()).toEqual([...REFERRAL_STATES].sort());
    expect(chart.states.filter((s) => s.final).map((s) => s.name)).toEqual(['declined', 'withdrawn', 'expired', 'completed']);
    const inProgress = chart.states.find((s) => s.name === 'in_progress')!;
    expect(inProgress.transitions).toContainEqual({ event: 'COMPLETE', target: 'completed', guards: ['hasValidOutcome'] });
  });

  it('normalizes targets, arrays of transitions, nested guards and root transitions', () => {
    const machine = setup({ guards: { a: () => true, b: () => true, c: () => true } }).createMachine({
      id: 'demo.v1',
      initial: 'x',
      on: { RESET: '.x' },
      states: {
        x: { on: { GO: [{ target: 'y', guard: and(['a', and(['b', { type: 'c' }])]) }, { target: '#demo-y' }] } },
        // Dotted machine ids break '#machine.state' targets in XState, hence an explicit state id.
        y: { id: 'demo-y', type: 'final' },
      },
    });
    expect(chartOf(machine).states).toEqual([
      {
        name: 'x',
        final: false,
        transitions: [
          { event: 'GO', target: 'y', guards: ['a', 'b', 'c'] },
          { event: 'GO', target: 'y', guards: [] },
          { event: 'RESET', target: 'x', guards: [] },
        ],
      },
      { name: 'y', final: true, transitions: [] },
    ]);
  });
});

import { initialTransition, transition } from 'xstate';
import { CASE_EVENT_TYPES, CASE_STATES, caseMachine, type CaseEvent, type CaseState } from './case.machine';

const event = (type: CaseEvent['type'], reason = '本人の希望'): CaseEvent => ({ type, reason }) as CaseEvent;
const at = (value: CaseState, openReferrals = 0) => caseMachine.resolveState({ value, context: { openReferrals } });

/** Every allowed move; any state × event pair missing here must be refused. */
const ALLOWED: Record<CaseState, Partial<Record<CaseEvent['type'], CaseState>>> = {
  intake: { START_ASSESSMENT: 'assessment', CLOSE: 'closed', SUSPEND: 'suspended' },
  assessment: { START_SUPPORT: 'support', CLOSE: 'closed', SUSPEND: 'suspended' },
  support: { START_MONITORING: 'monitoring', CLOSE: 'closed', SUSPEND: 'suspended' },
  monitoring: { RESUME_SUPPORT: 'support', CLOSE: 'closed', SUSPEND: 'suspended' },
  closed: { REOPEN: 'assessment' },
  suspended: { REOPEN: 'assessment' },
};

describe('caseMachine', () => {
  it('is versioned and starts at intake with no open referrals', () => {
    expect(caseMachine.id).toBe('case.v1');
    const [snapshot] = initialTransition(caseMachine);
    expect(snapshot.value).toBe('intake');
    expect(snapshot.context).toEqual({ openReferrals: 0 });
  });

  const pairs = CASE_STATES.flatMap((state) => CASE_EVENT_TYPES.map((type) => [state, type, ALLOWED[state][type]] as const));
  it.each(pairs)('%s + %s → %s (undefined = refused)', (state, type, target) => {
    const snapshot = at(state);
    expect(snapshot.can(event(type))).toBe(target !== undefined);
    const [next] = transition(caseMachine, snapshot, event(type));
    expect(next.value).toBe(target ?? state);
  });

  describe.each(['CLOSE', 'SUSPEND', 'REOPEN'] as const)('%s needs a reason', (type) => {
    const from: CaseState = type === 'REOPEN' ? 'closed' : 'support';
    it.each(['', '   ', '\n'])('refuses %j', (reason) => {
      expect(at(from).can(event(type, reason))).toBe(false);
    });
    it('refuses a missing reason', () => {
      expect(at(from).can({ type } as CaseEvent)).toBe(false);
    });
  });

  it('cannot close while referrals are open, but can suspend', () => {
    const snapshot = at('support', 2);
    expect(snapshot.can(event('CLOSE'))).toBe(false);
    expect(snapshot.can(event('SUSPEND'))).toBe(true);
    expect(at('support', 0).can(event('CLOSE'))).toBe(true);
  });

  it.each(['closed', 'suspended'] as const)('reopens from %s into assessment, keeping context', (state) => {
    const [next] = transition(caseMachine, at(state, 1), event('REOPEN'));
    expect(next.value).toBe('assessment');
    expect(next.context).toEqual({ openReferrals: 1 });
    expect(next.status).toBe('active');
  });

  it('is not final when closed, so a closed case stays reopenable', () => {
    expect(at('closed').status).toBe('active');
  });

  it('walks the whole lifecycle', () => {
    const steps: [CaseEvent['type'], CaseState][] = [
      ['START_ASSESSMENT', 'assessment'],
      ['START_SUPPORT', 'support'],
      ['START_MONITORING', 'monitoring'],
      ['RESUME_SUPPORT', 'support'],
      ['START_MONITORING', 'monitoring'],
      ['CLOSE', 'closed'],
      ['REOPEN', 'assessment'],
    ];
    let [snapshot] = initialTransition(caseMachine);
    for (const [type, expected] of steps) {
      [snapshot] = transition(caseMachine, snapshot, event(type));
      expect(snapshot.value).toBe(expected);
    }
  });
});

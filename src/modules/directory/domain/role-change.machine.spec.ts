import { initialTransition, transition } from 'xstate';
import { nextState } from '../../../platform/workflow/workflow';
import { ROLE_CHANGE_EVENT_TYPES, ROLE_CHANGE_STATES, roleChangeMachine, type RoleChangeEvent, type RoleChangeState } from './role-change.machine';

/** A valid event of each type: the reason guard passes, so only the state decides. */
const event = (type: RoleChangeEvent['type']): RoleChangeEvent => ({ type, reason: '兼務の予定がなくなったため' }) as RoleChangeEvent;
const at = (value: RoleChangeState) => roleChangeMachine.resolveState({ value, context: {} });

const ALLOWED: Record<RoleChangeState, Partial<Record<RoleChangeEvent['type'], RoleChangeState>>> = {
  requested: { APPROVE: 'approved', DECLINE: 'declined', WITHDRAW: 'withdrawn' },
  approved: {},
  declined: {},
  withdrawn: {},
};

describe('roleChangeMachine', () => {
  it('is versioned and starts requested', () => {
    expect(roleChangeMachine.id).toBe('role-change.v1');
    expect(initialTransition(roleChangeMachine)[0].value).toBe('requested');
  });

  const pairs = ROLE_CHANGE_STATES.flatMap((state) => ROLE_CHANGE_EVENT_TYPES.map((type) => [state, type, ALLOWED[state][type]] as const));
  it.each(pairs)('%s + %s → %s (undefined = refused)', (state, type, target) => {
    const snapshot = at(state);
    expect(snapshot.can(event(type))).toBe(target !== undefined);
    const [next] = transition(roleChangeMachine, snapshot, event(type));
    expect(next.value).toBe(target ?? state);
  });

  it.each(['approved', 'declined', 'withdrawn'] as const)('%s is final: a decided request is never decided again', (state) => {
    expect(at(state).status).toBe('done');
  });

  it.each(['', '   '])('refuses DECLINE with blank reason %j, naming the guard', (reason) => {
    expect(nextState(roleChangeMachine, 'requested', {}, { type: 'DECLINE', reason })).toEqual({ ok: false, reason: 'guard_failed', guards: ['hasReason'] });
  });

  it('lets the requester withdraw without a reason', () => {
    expect(nextState(roleChangeMachine, 'requested', {}, { type: 'WITHDRAW' })).toMatchObject({ ok: true, value: 'withdrawn' });
  });
});

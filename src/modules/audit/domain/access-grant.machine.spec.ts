import { initialTransition, transition } from 'xstate';
import { nextState } from '../../../platform/workflow/workflow';
import {
  ACCESS_GRANT_EVENT_TYPES,
  ACCESS_GRANT_STATES,
  accessGrantMachine,
  accessGrantState,
  type AccessGrantEvent,
  type AccessGrantState,
} from './access-grant.machine';

/** A valid event of each type: the reason guard passes, so only the state decides. */
const event = (type: AccessGrantEvent['type']): AccessGrantEvent => ({ type, reason: '調査の範囲外のため' }) as AccessGrantEvent;
const at = (value: AccessGrantState) => accessGrantMachine.resolveState({ value, context: {} });

const ALLOWED: Record<AccessGrantState, Partial<Record<AccessGrantEvent['type'], AccessGrantState>>> = {
  requested: { APPROVE: 'granted', DECLINE: 'declined', REVOKE: 'revoked' },
  granted: { REVOKE: 'revoked', EXPIRE: 'expired' },
  declined: {},
  revoked: {},
  expired: {},
};

describe('accessGrantMachine', () => {
  it('is versioned and starts requested', () => {
    expect(accessGrantMachine.id).toBe('access-grant.v1');
    expect(initialTransition(accessGrantMachine)[0].value).toBe('requested');
  });

  const pairs = ACCESS_GRANT_STATES.flatMap((state) => ACCESS_GRANT_EVENT_TYPES.map((type) => [state, type, ALLOWED[state][type]] as const));
  it.each(pairs)('%s + %s → %s (undefined = refused)', (state, type, target) => {
    const snapshot = at(state);
    expect(snapshot.can(event(type))).toBe(target !== undefined);
    const [next] = transition(accessGrantMachine, snapshot, event(type));
    expect(next.value).toBe(target ?? state);
  });

  it.each(['declined', 'revoked', 'expired'] as const)('%s is final', (state) => {
    expect(at(state).status).toBe('done');
  });

  it.each(['', '   '])('refuses DECLINE with blank reason %j, naming the guard', (reason) => {
    expect(nextState(accessGrantMachine, 'requested', {}, { type: 'DECLINE', reason })).toEqual({ ok: false, reason: 'guard_failed', guards: ['hasReason'] });
  });

  it('lets the grant be revoked without a reason', () => {
    expect(nextState(accessGrantMachine, 'granted', {}, { type: 'REVOKE' })).toMatchObject({ ok: true, value: 'revoked' });
  });
});

describe('accessGrantState', () => {
  const now = new Date('2026-11-23T10:00:00Z');

  it('reads a granted row past its expiry as expired', () => {
    expect(accessGrantState({ state: 'granted', expiresAt: new Date('2026-11-23T10:00:00Z') }, now)).toBe('expired');
    expect(accessGrantState({ state: 'granted', expiresAt: new Date('2026-11-23T10:00:01Z') }, now)).toBe('granted');
  });

  it('leaves every other state as stored', () => {
    expect(accessGrantState({ state: 'requested', expiresAt: null }, now)).toBe('requested');
    expect(accessGrantState({ state: 'revoked', expiresAt: new Date('2020-01-01T00:00:00Z') }, now)).toBe('revoked');
  });

  it('an expired grant can no longer be revoked', () => {
    expect(nextState(accessGrantMachine, accessGrantState({ state: 'granted', expiresAt: new Date('2026-11-22T00:00:00Z') }, now), {}, { type: 'REVOKE' })).toEqual({
      ok: false,
      reason: 'not_allowed_in_state',
    });
  });
});

import { nextState } from '../../../platform/workflow/workflow';
import { connectionMachine } from './connection.machine';

const step = (state: string, event: Record<string, unknown> & { type: string }) => nextState(connectionMachine, state, {} as never, event as never);

describe('participation connection machine', () => {
  it('goes proposed → introduced → started → continuing, one step at a time', () => {
    expect(step('proposed', { type: 'INTRODUCE' })).toMatchObject({ ok: true, value: 'introduced' });
    expect(step('introduced', { type: 'START' })).toMatchObject({ ok: true, value: 'started' });
    expect(step('started', { type: 'CONTINUE' })).toMatchObject({ ok: true, value: 'continuing' });
    expect(step('proposed', { type: 'START' }).ok).toBe(false);
    expect(step('introduced', { type: 'CONTINUE' }).ok).toBe(false);
  });

  it('follow-ups keep the state, and only once the host was told', () => {
    for (const state of ['introduced', 'started', 'continuing']) expect(step(state, { type: 'FOLLOW_UP' })).toMatchObject({ ok: true, value: state });
    expect(step('proposed', { type: 'FOLLOW_UP' }).ok).toBe(false);
  });

  it('ends from any live state only with a listed reason, and nothing moves an ended one', () => {
    for (const state of ['proposed', 'introduced', 'started', 'continuing']) {
      expect(step(state, { type: 'END', reason: 'health' })).toMatchObject({ ok: true, value: 'ended' });
      expect(step(state, { type: 'END', reason: '気分' })).toMatchObject({ ok: false, reason: 'guard_failed', guards: ['hasReason'] });
    }
    for (const type of ['INTRODUCE', 'START', 'CONTINUE', 'FOLLOW_UP', 'END']) expect(step('ended', { type, reason: 'health' }).ok).toBe(false);
  });
});

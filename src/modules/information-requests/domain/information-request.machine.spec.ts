import { nextState } from '../../../platform/workflow/workflow';
import { informationRequestMachine } from './information-request.machine';

const step = (state: string, event: Record<string, unknown> & { type: string }) => nextState(informationRequestMachine, state, {} as never, event as never);

describe('information request machine', () => {
  it('approves only with groups chosen, declines only with a reason', () => {
    expect(step('requested', { type: 'APPROVE', groups: ['basic'] })).toMatchObject({ ok: true, value: 'approved' });
    expect(step('requested', { type: 'APPROVE', groups: [] })).toMatchObject({ ok: false, reason: 'guard_failed', guards: ['choosesFields'] });
    expect(step('requested', { type: 'DECLINE', reason: ' ' })).toMatchObject({ ok: false, reason: 'guard_failed', guards: ['hasReason'] });
    expect(step('requested', { type: 'DECLINE', reason: '不要' })).toMatchObject({ ok: true, value: 'declined' });
  });

  it('ends in every answer: nothing moves an approved, declined, withdrawn or expired request', () => {
    for (const state of ['approved', 'declined', 'withdrawn', 'expired']) {
      for (const type of ['APPROVE', 'DECLINE', 'WITHDRAW', 'EXPIRE']) expect(step(state, { type, groups: ['basic'], reason: '理由' }).ok).toBe(false);
    }
    expect(step('requested', { type: 'EXPIRE' })).toMatchObject({ ok: true, value: 'expired' });
    expect(step('requested', { type: 'WITHDRAW' })).toMatchObject({ ok: true, value: 'withdrawn' });
  });
});

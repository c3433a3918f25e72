import { acceptedEvents, nextState } from '../../../platform/workflow/workflow';
import { addToDate } from './dv-measure.schemas';
import { dvMeasureMachine, PROTECTING_STATES } from './dv-measure.machine';

const COUNSELOR = 'counselor';
const MANAGER = 'manager';
const step = (state: string, event: Record<string, unknown> & { type: string }, requestedBy: string | null = COUNSELOR) =>
  nextState(dvMeasureMachine, state, { requestedBy }, event as never);

describe('DV support measure machine (DV等支援措置)', () => {
  it('sets, extends and lifts only with a second person deciding', () => {
    expect(step('requested', { type: 'APPROVE', by: MANAGER })).toMatchObject({ ok: true, value: 'active' });
    expect(step('active', { type: 'REQUEST_EXTENSION', by: COUNSELOR })).toMatchObject({ ok: true, value: 'extension_requested' });
    expect(step('extension_requested', { type: 'APPROVE', by: MANAGER })).toMatchObject({ ok: true, value: 'active' });
    expect(step('active', { type: 'REQUEST_LIFT', by: COUNSELOR, reason: '転居し加害者と離れたため' })).toMatchObject({ ok: true, value: 'lift_requested' });
    expect(step('lift_requested', { type: 'APPROVE', by: MANAGER })).toMatchObject({ ok: true, value: 'lifted' });
  });

  it('refuses the requester deciding their own request, in every waiting state', () => {
    for (const state of ['requested', 'extension_requested', 'lift_requested']) {
      expect(step(state, { type: 'APPROVE', by: COUNSELOR })).toEqual({ ok: false, reason: 'guard_failed', guards: ['notOwnRequest'] });
      expect(step(state, { type: 'DECLINE', by: COUNSELOR, reason: '不要' })).toMatchObject({ ok: false, reason: 'guard_failed', guards: ['notOwnRequest'] });
    }
  });

  it('declines only with a reason; a declined extension or lift leaves the measure active', () => {
    expect(step('requested', { type: 'DECLINE', by: MANAGER, reason: ' ' })).toMatchObject({ ok: false, guards: ['hasReason'] });
    expect(step('requested', { type: 'DECLINE', by: MANAGER, reason: '要件を満たさない' })).toMatchObject({ ok: true, value: 'declined' });
    expect(step('extension_requested', { type: 'DECLINE', by: MANAGER, reason: '不要' })).toMatchObject({ ok: true, value: 'active' });
    expect(step('lift_requested', { type: 'DECLINE', by: MANAGER, reason: '危険が続く' })).toMatchObject({ ok: true, value: 'active' });
    expect(step('active', { type: 'REQUEST_LIFT', by: COUNSELOR, reason: '' })).toMatchObject({ ok: false, guards: ['hasReason'] });
  });

  it('lapses from every protecting state, and nothing moves a measure that ended', () => {
    for (const state of PROTECTING_STATES) expect(step(state, { type: 'LAPSE' })).toMatchObject({ ok: true, value: 'lapsed' });
    for (const state of ['declined', 'lifted', 'lapsed']) {
      for (const type of ['APPROVE', 'DECLINE', 'REQUEST_EXTENSION', 'REQUEST_LIFT', 'LAPSE']) expect(step(state, { type, by: MANAGER, reason: '理由' }).ok).toBe(false);
    }
  });

  it('offers only the requests of an active measure, and decisions while one waits', () => {
    const offered = (state: string) => acceptedEvents(dvMeasureMachine, state, { requestedBy: COUNSELOR }, (type) => ({ type, by: MANAGER, reason: '理由' }) as never);
    expect(offered('active').sort()).toEqual(['LAPSE', 'REQUEST_EXTENSION', 'REQUEST_LIFT']);
    expect(offered('requested').sort()).toEqual(['APPROVE', 'DECLINE', 'LAPSE']);
  });

  it('counts a year on the calendar', () => {
    expect(addToDate('2026-04-01', { years: 1, days: -1 })).toBe('2027-03-31');
    expect(addToDate('2028-02-29', { years: 1 })).toBe('2029-03-01');
  });
});

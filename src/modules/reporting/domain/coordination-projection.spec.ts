import { applyCoordinationEvent, coordinationProjection } from './coordination-projection';
import { applyEvent } from './projection';
import { history } from '../../../../test/support/event-history';

describe('coordination projection', () => {
  it('follows the stage through transitions and keeps the opening time', () => {
    const event = history();
    const on = { aggregateType: 'CoordinationCase', aggregateId: 'co-1' };
    let fact = applyCoordinationEvent(null, event('CoordinationOpened', { ...on, payload: { state: 'screening', leadDepartmentId: 'choju' } }));
    fact = applyCoordinationEvent(fact, event('CoordinationShienKaigiTrackStarted', { ...on, payload: { from: 'screening', to: 'shien_kaigi' } }));
    const drafted = event('SupportPlanDrafted', { ...on, payload: { planVersion: 1 } });
    expect(applyCoordinationEvent(fact, drafted)).toBe(fact);
    expect(fact).toEqual({ coordinationCaseId: 'co-1', caseId: 'case-1', leadDepartmentId: 'choju', state: 'shien_kaigi', openedAt: '2026-11-02T00:01:00.000Z', lastEventId: 2 });
    expect(applyEvent(coordinationProjection, [fact!], drafted)).toEqual([]);
  });

  it('ignores transitions of a coordination case it never saw opened', () => {
    expect(applyCoordinationEvent(null, history()('CoordinationClosed', { payload: { to: 'closed' } }))).toBeNull();
  });

  it('reads a CoordinationOpened written before the payload named the state as screening', () => {
    expect(applyCoordinationEvent(null, history()('CoordinationOpened', { aggregateId: 'co-2' }))?.state).toBe('screening');
  });
});

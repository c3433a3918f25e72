import { applyCaseActivity } from './case-activity-projection';
import { history } from '../../../../test/support/event-history';

describe('case activity projection', () => {
  it('remembers the lead department and the newest event of any aggregate of the case', () => {
    const event = history();
    let fact = applyCaseActivity(null, event('CaseOpened', { aggregateId: 'case-1', payload: { caseNumber: '2026-000001', leadDepartmentId: 'choju', state: 'intake' } }));
    fact = applyCaseActivity(fact, event('CaseAssessmentStarted', { payload: { from: 'intake', to: 'assessment' }, minute: 10 }));
    fact = applyCaseActivity(fact, event('ReferralProposed', { aggregateType: 'Referral', payload: { to: 'not-a-case-state' }, minute: 20 }));
    expect(fact).toEqual({ caseId: 'case-1', caseNumber: '2026-000001', leadDepartmentId: 'choju', state: 'assessment', openedAt: '2026-11-02T00:01:00.000Z', lastEventAt: '2026-11-02T00:20:00.000Z', lastEventId: 3 });
    fact = applyCaseActivity(fact, event('CaseClosed', { payload: { from: 'assessment', to: 'closed' }, minute: 5 }));
    expect(fact).toMatchObject({ state: 'closed', lastEventAt: '2026-11-02T00:20:00.000Z', lastEventId: 4 });
  });

  it('does not count the service’s own notices as activity, so sweeps leave a quiet case quiet', () => {
    const event = history();
    let fact = applyCaseActivity(null, event('CaseOpened', { aggregateId: 'case-1', payload: { caseNumber: '2026-000001', leadDepartmentId: 'choju', state: 'intake' } }));
    for (const type of ['ReferralOverdue', 'ReferralExpired', 'CaseFlaggedForCoordination']) fact = applyCaseActivity(fact, event(type, { aggregateType: type.startsWith('Referral') ? 'Referral' : 'Case', minute: 30 }));
    expect(fact).toMatchObject({ lastEventAt: '2026-11-02T00:01:00.000Z', lastEventId: 4 });
    fact = applyCaseActivity(fact, event('CaseNoteAdded', { aggregateType: 'CaseNote', minute: 40 }));
    expect(fact).toMatchObject({ lastEventAt: '2026-11-02T00:40:00.000Z', lastEventId: 5 });
  });

  it('ignores events of a case it never saw opened', () => {
    expect(applyCaseActivity(null, history()('CaseNoteAdded', { aggregateType: 'CaseNote' }))).toBeNull();
  });
});

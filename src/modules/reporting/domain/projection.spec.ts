import { applyEvent, reads } from './projection';
import { referralProjection, type ReferralFact } from './referral-projection';
import { history } from '../../../../test/support/event-history';

describe('projection helpers', () => {
  it('reads events by aggregate type, or every event of a case', () => {
    expect(reads({ aggregateTypes: ['Referral'] }, { aggregateType: 'Referral', caseId: null })).toBe(true);
    expect(reads({ aggregateTypes: ['Referral'] }, { aggregateType: 'Case', caseId: 'c' })).toBe(false);
    expect(reads({ caseEvents: true }, { aggregateType: 'Meeting', caseId: null })).toBe(false);
    expect(reads({ caseEvents: true }, { aggregateType: 'CaseNote', caseId: 'c' })).toBe(true);
  });

  it('applies an event delivered twice only once', () => {
    const event = history();
    const proposed = event('ReferralProposed', { aggregateType: 'Referral', aggregateId: 'r1', payload: { fromDepartmentId: 'a', toDepartmentId: 'b' } });
    const accepted = event('ReferralAccepted', { aggregateType: 'Referral', aggregateId: 'r1' });
    const [fact] = applyEvent(referralProjection, [], proposed);
    const [after] = applyEvent(referralProjection, [fact], accepted);
    expect(after).toMatchObject<Partial<ReferralFact>>({ state: 'accepted', lastEventId: 2 });
    expect(applyEvent(referralProjection, [after], accepted)).toEqual([]);
    expect(applyEvent(referralProjection, [after], proposed)).toEqual([]);
  });

  it('counts a special share (APPI_SPECIAL) from its approval, not its preparation', () => {
    const event = history();
    const prepared = event('ReferralPrepared', { aggregateType: 'Referral', aggregateId: 'r2', payload: { fromDepartmentId: 'a', toDepartmentId: 'b' } });
    const approved = event('ReferralApproved', { aggregateType: 'Referral', aggregateId: 'r2', payload: { fromDepartmentId: 'a', toDepartmentId: 'b', dueOn: '2026-12-04' } });
    expect(applyEvent(referralProjection, [], prepared)).toEqual([]);
    const [fact] = applyEvent(referralProjection, [], approved);
    expect(fact).toMatchObject<Partial<ReferralFact>>({ state: 'proposed', dueOn: '2026-12-04', lastEventId: 2 });
    expect(applyEvent(referralProjection, [fact], approved)).toEqual([]);
  });
});

import { applyEscalationEvent } from './escalation-projection';
import { history } from '../../../../test/support/event-history';

const criterion = (code: string, ja: string) => ({ code, label: { ja, en: code } });

describe('escalation projection', () => {
  it('keeps the latest set of matched criteria of a case, even an empty one', () => {
    const event = history();
    const on = { aggregateType: 'CaseCriteria', aggregateId: 'case-1', caseId: null };
    let fact = applyEscalationEvent(null, event('EscalationCriteriaMatched', { ...on, payload: { ruleSetVersion: 0, leadDepartmentId: 'choju', matched: [criterion('multi_sector', '2分野以上'), criterion('pattern_8050', '8050問題')] } }));
    expect(fact?.matched.map((m) => m.code)).toEqual(['multi_sector', 'pattern_8050']);
    fact = applyEscalationEvent(fact, event('EscalationCriteriaMatched', { ...on, payload: { ruleSetVersion: 1, leadDepartmentId: 'choju', matched: [] }, minute: 50 }));
    expect(fact).toEqual({ caseId: 'case-1', leadDepartmentId: 'choju', ruleSetVersion: 1, matched: [], evaluatedAt: '2026-11-02T00:50:00.000Z', lastEventId: 2 });
  });
});

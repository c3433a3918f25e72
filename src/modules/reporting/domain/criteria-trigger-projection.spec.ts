import { applyCriteriaEvent, criteriaTriggerProjection, type CriterionTrigger } from './criteria-trigger-projection';
import { applyEvent } from './projection';
import { history } from '../../../../test/support/event-history';

const criterion = (code: string, ja: string) => ({ code, label: { ja, en: code } });

describe('criteria triggers projection', () => {
  const on = { aggregateType: 'CaseCriteria', aggregateId: 'case-1', caseId: null };
  const matched = (event: ReturnType<typeof history>, minute: number, ...codes: [string, string][]) =>
    event('EscalationCriteriaMatched', { ...on, minute, payload: { ruleSetVersion: 0, leadDepartmentId: 'choju', matched: codes.map(([c, ja]) => criterion(c, ja)) } });
  const apply = (triggers: Map<string, CriterionTrigger>, e: Parameters<typeof applyCriteriaEvent>[1]) => {
    for (const t of applyEvent(criteriaTriggerProjection, [...triggers.values()], e)) triggers.set(t.triggerId, t);
  };

  it('records each time a criterion begins to match, keeps a match that goes on once, and dates its end', () => {
    const event = history();
    const triggers = new Map<string, CriterionTrigger>();
    apply(triggers, matched(event, 1, ['multi_sector', '2分野以上'], ['pattern_8050', '8050問題']));
    apply(triggers, matched(event, 20, ['multi_sector', '2分野以上']));
    apply(triggers, matched(event, 30, ['multi_sector', '2分野以上'], ['pattern_8050', '8050問題']));
    const rows = [...triggers.values()].map((t) => [t.code, t.triggeredAt.slice(11, 16), t.endedAt?.slice(11, 16) ?? null]);
    expect(rows).toEqual([
      ['multi_sector', '00:01', null],
      ['pattern_8050', '00:01', '00:20'],
      ['pattern_8050', '00:30', null],
    ]);
    expect([...triggers.values()].every((t) => t.leadDepartmentId === 'choju' && t.caseId === 'case-1')).toBe(true);
  });

  it('ends every trigger when nothing matches any more, and ignores a redelivered event', () => {
    const event = history();
    const triggers = new Map<string, CriterionTrigger>();
    const first = matched(event, 1, ['multi_sector', '2分野以上']);
    apply(triggers, first);
    apply(triggers, matched(event, 50));
    expect([...triggers.values()].map((t) => t.endedAt)).toEqual(['2026-11-02T00:50:00.000Z']);
    expect(applyEvent(criteriaTriggerProjection, [...triggers.values()], first)).toEqual([]);
  });
});

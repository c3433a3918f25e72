import { iso, oneFact, type EventRow, type Projection } from './projection';

export interface MatchedCriterion {
  code: string;
  label: { ja: string; en: string };
}

/** The escalation criteria (多機関協働の判断基準) a case matches now, and since when. */
export interface EscalationFact {
  caseId: string;
  leadDepartmentId: string;
  ruleSetVersion: number;
  matched: MatchedCriterion[];
  evaluatedAt: string;
  lastEventId: number;
}

/** The criteria service writes an event only when the set of matched criteria changes; the latest one holds. */
export function applyEscalationEvent(fact: EscalationFact | null, event: EventRow): EscalationFact | null {
  if (event.type !== 'EscalationCriteriaMatched') return fact;
  const matched = ((event.payload.matched as MatchedCriterion[] | undefined) ?? []).map((m) => ({ code: m.code, label: { ja: m.label.ja, en: m.label.en } }));
  return { caseId: event.aggregateId, leadDepartmentId: String(event.payload.leadDepartmentId), ruleSetVersion: Number(event.payload.ruleSetVersion), matched, evaluatedAt: event.occurredAt, lastEventId: event.id };
}

export const escalationProjection: Projection<EscalationFact> = {
  name: 'escalations',
  table: 'escalation_facts',
  source: { aggregateTypes: ['CaseCriteria'] },
  columns: ['case_id', 'lead_department_id', 'rule_set_version', 'matched', 'evaluated_at', 'last_event_id'],
  groupColumn: 'case_id',
  groupOf: (event) => event.aggregateId,
  idOf: (fact) => fact.caseId,
  reduce: oneFact(applyEscalationEvent),
  toRow: (f) => [f.caseId, f.leadDepartmentId, f.ruleSetVersion, JSON.stringify(f.matched), f.evaluatedAt, f.lastEventId],
  fromRow: (r) => ({
    caseId: String(r.case_id),
    leadDepartmentId: String(r.lead_department_id),
    ruleSetVersion: Number(r.rule_set_version),
    matched: (typeof r.matched === 'string' ? JSON.parse(r.matched) : r.matched) as MatchedCriterion[],
    evaluatedAt: iso(r.evaluated_at)!,
    lastEventId: Number(r.last_event_id),
  }),
};

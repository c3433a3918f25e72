import { iso, type EventRow, type Projection } from './projection';

export interface MatchedCriterion {
  code: string;
  label: { ja: string; en: string };
}

/**
 * One time an escalation criterion (多機関協働の判断基準) started to match a case, and when it stopped.
 * Counting these gives how often each criterion triggers: a criterion that later stops matching
 * still triggered, and a match that goes on is counted once, on the day it began.
 */
export interface CriterionTrigger {
  triggerId: string;
  caseId: string;
  leadDepartmentId: string;
  code: string;
  label: { ja: string; en: string };
  ruleSetVersion: number;
  triggeredAt: string;
  endedAt: string | null;
  lastEventId: number;
}

/** The criteria service writes an event only when the set of matched criteria changes. */
export function applyCriteriaEvent(triggers: readonly CriterionTrigger[], event: EventRow): CriterionTrigger[] {
  if (event.type !== 'EscalationCriteriaMatched') return [];
  const matched = (event.payload.matched as MatchedCriterion[] | undefined) ?? [];
  const active = triggers.filter((t) => t.endedAt === null);
  const ended = active.filter((t) => !matched.some((m) => m.code === t.code)).map((t) => ({ ...t, endedAt: event.occurredAt, lastEventId: event.id }));
  const started = matched
    .filter((m) => !active.some((t) => t.code === m.code))
    .map((m) => ({
      triggerId: `${event.aggregateId}:${m.code}:${event.id}`,
      caseId: event.aggregateId,
      leadDepartmentId: String(event.payload.leadDepartmentId),
      code: m.code,
      label: { ja: m.label.ja, en: m.label.en },
      ruleSetVersion: Number(event.payload.ruleSetVersion),
      triggeredAt: event.occurredAt,
      endedAt: null,
      lastEventId: event.id,
    }));
  return [...ended, ...started];
}

export const criteriaTriggerProjection: Projection<CriterionTrigger> = {
  name: 'criteriaTriggers',
  table: 'criteria_triggers',
  source: { aggregateTypes: ['CaseCriteria'] },
  columns: ['trigger_id', 'case_id', 'lead_department_id', 'code', 'label', 'rule_set_version', 'triggered_at', 'ended_at', 'last_event_id'],
  groupColumn: 'case_id',
  groupOf: (event) => event.aggregateId,
  idOf: (fact) => fact.triggerId,
  reduce: applyCriteriaEvent,
  toRow: (f) => [f.triggerId, f.caseId, f.leadDepartmentId, f.code, JSON.stringify(f.label), f.ruleSetVersion, f.triggeredAt, f.endedAt, f.lastEventId],
  fromRow: (r) => ({
    triggerId: String(r.trigger_id),
    caseId: String(r.case_id),
    leadDepartmentId: String(r.lead_department_id),
    code: String(r.code),
    label: (typeof r.label === 'string' ? JSON.parse(r.label) : r.label) as { ja: string; en: string },
    ruleSetVersion: Number(r.rule_set_version),
    triggeredAt: iso(r.triggered_at)!,
    endedAt: iso(r.ended_at),
    lastEventId: Number(r.last_event_id),
  }),
};

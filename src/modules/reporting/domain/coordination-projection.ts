import { iso, oneFact, type EventRow, type Projection } from './projection';

/** A 多機関協働 (multi-agency collaboration) case: its stage and when it was taken up. */
export interface CoordinationFact {
  coordinationCaseId: string;
  caseId: string;
  /** The case's lead department, for the managers' department filter. */
  leadDepartmentId: string;
  state: string;
  openedAt: string;
  lastEventId: number;
}

export function applyCoordinationEvent(fact: CoordinationFact | null, event: EventRow): CoordinationFact | null {
  if (event.type === 'CoordinationOpened') {
    // Events written before the payload named the state started at screening, the machine's first stage.
    const state = (event.payload.state as string | undefined) ?? 'screening';
    return { coordinationCaseId: event.aggregateId, caseId: event.caseId!, leadDepartmentId: String(event.payload.leadDepartmentId), state, openedAt: event.occurredAt, lastEventId: event.id };
  }
  if (!fact) return null;
  // Transitions say where they went; plan drafts and other events leave the stage as it is.
  const to = event.payload.to as string | undefined;
  return to ? { ...fact, state: to, lastEventId: event.id } : fact;
}

export const coordinationProjection: Projection<CoordinationFact> = {
  name: 'coordination',
  table: 'coordination_facts',
  source: { aggregateTypes: ['CoordinationCase'] },
  columns: ['coordination_case_id', 'case_id', 'lead_department_id', 'state', 'opened_at', 'last_event_id'],
  groupColumn: 'coordination_case_id',
  groupOf: (event) => event.aggregateId,
  idOf: (fact) => fact.coordinationCaseId,
  reduce: oneFact(applyCoordinationEvent),
  toRow: (f) => [f.coordinationCaseId, f.caseId, f.leadDepartmentId, f.state, f.openedAt, f.lastEventId],
  fromRow: (r) => ({ coordinationCaseId: String(r.coordination_case_id), caseId: String(r.case_id), leadDepartmentId: String(r.lead_department_id), state: String(r.state), openedAt: iso(r.opened_at)!, lastEventId: Number(r.last_event_id) }),
};

import { iso, oneFact, type EventRow, type Projection } from './projection';

/** A case (包括的相談支援) and when anything last happened to it: the source of "stuck" cases. */
export interface CaseActivityFact {
  caseId: string;
  caseNumber: string;
  leadDepartmentId: string;
  state: string;
  openedAt: string;
  lastEventAt: string;
  lastEventId: number;
}

/**
 * The service's own notices about a case (deadline sweeps, the criteria sweep) are nobody acting on
 * it: counted as activity, the hourly sweep would take every quiet case off the stuck list.
 */
const SERVICE_NOTICES = new Set(['ReferralOverdue', 'ReferralExpired', 'CaseFlaggedForCoordination', 'CaseUrgentlyEscalated']);

export function applyCaseActivity(fact: CaseActivityFact | null, event: EventRow): CaseActivityFact | null {
  if (event.type === 'CaseOpened') {
    return {
      caseId: event.caseId!,
      caseNumber: String(event.payload.caseNumber),
      leadDepartmentId: String(event.payload.leadDepartmentId),
      // Events written before the payload named the state opened at intake, the machine's first state.
      state: (event.payload.state as string | undefined) ?? 'intake',
      openedAt: event.occurredAt,
      lastEventAt: event.occurredAt,
      lastEventId: event.id,
    };
  }
  if (!fact) return null;
  // Any event of the case is activity; only the case's own transitions change its state.
  const to = event.aggregateType === 'Case' ? (event.payload.to as string | undefined) : undefined;
  const acted = !SERVICE_NOTICES.has(event.type) && event.occurredAt > fact.lastEventAt;
  const lastEventAt = acted ? event.occurredAt : fact.lastEventAt;
  return { ...fact, state: to ?? fact.state, lastEventAt, lastEventId: event.id };
}

export const caseActivityProjection: Projection<CaseActivityFact> = {
  name: 'caseActivity',
  table: 'case_activity',
  source: { caseEvents: true },
  columns: ['case_id', 'case_number', 'lead_department_id', 'state', 'opened_at', 'last_event_at', 'last_event_id'],
  groupColumn: 'case_id',
  groupOf: (event) => event.caseId,
  idOf: (fact) => fact.caseId,
  reduce: oneFact(applyCaseActivity),
  toRow: (f) => [f.caseId, f.caseNumber, f.leadDepartmentId, f.state, f.openedAt, f.lastEventAt, f.lastEventId],
  fromRow: (r) => ({
    caseId: String(r.case_id),
    caseNumber: String(r.case_number),
    leadDepartmentId: String(r.lead_department_id),
    state: String(r.state),
    openedAt: iso(r.opened_at)!,
    lastEventAt: iso(r.last_event_at)!,
    lastEventId: Number(r.last_event_id),
  }),
};

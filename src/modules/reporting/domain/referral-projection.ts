import { date, iso, oneFact, type EventRow, type Projection } from './projection';

/** How each referral (つなぎ) event moves its row in `referral_facts`. */
export interface ReferralFact {
  referralId: string;
  caseId: string;
  fromDepartmentId: string;
  toDepartmentId: string;
  state: string;
  dueOn: string | null;
  proposedAt: string;
  answeredAt: string | null;
  acceptedAt: string | null;
  completedAt: string | null;
  lastEventId: number;
}

/** Kept for callers that named the row type before projections shared one. */
export type ReferralEventRow = EventRow;

const STATE_AFTER: Record<string, string> = {
  ReferralAccepted: 'accepted',
  ReferralDeclined: 'declined',
  ReferralWithdrawn: 'withdrawn',
  ReferralExpired: 'expired',
  ReferralStarted: 'in_progress',
  ReferralPutOnHold: 'on_hold',
  ReferralResumed: 'in_progress',
  ReferralCompleted: 'completed',
};

export function applyReferralEvent(fact: ReferralFact | null, event: EventRow): ReferralFact | null {
  // A share awaiting its manager's approval (APPI_SPECIAL) is proposed to the receiver only when approved.
  const approvedAnew = event.type === 'ReferralApproved' && !(fact && event.id <= fact.lastEventId);
  if (event.type === 'ReferralProposed' || approvedAnew) {
    return {
      referralId: event.aggregateId,
      caseId: event.caseId!,
      fromDepartmentId: String(event.payload.fromDepartmentId),
      toDepartmentId: String(event.payload.toDepartmentId),
      state: 'proposed',
      dueOn: (event.payload.dueOn as string | undefined) ?? null,
      proposedAt: event.occurredAt,
      answeredAt: null,
      acceptedAt: null,
      completedAt: null,
      lastEventId: event.id,
    };
  }
  if (!fact || event.id <= fact.lastEventId) return fact;
  const state = STATE_AFTER[event.type] ?? fact.state;
  const answered = ['ReferralAccepted', 'ReferralDeclined'].includes(event.type);
  return {
    ...fact,
    state,
    answeredAt: answered ? (fact.answeredAt ?? event.occurredAt) : fact.answeredAt,
    acceptedAt: event.type === 'ReferralAccepted' ? event.occurredAt : fact.acceptedAt,
    completedAt: event.type === 'ReferralCompleted' ? event.occurredAt : fact.completedAt,
    lastEventId: event.id,
  };
}

export const referralProjection: Projection<ReferralFact> = {
  name: 'referrals',
  table: 'referral_facts',
  source: { aggregateTypes: ['Referral'] },
  columns: ['referral_id', 'case_id', 'from_department_id', 'to_department_id', 'state', 'due_on', 'proposed_at', 'answered_at', 'accepted_at', 'completed_at', 'last_event_id'],
  groupColumn: 'referral_id',
  groupOf: (event) => event.aggregateId,
  idOf: (fact) => fact.referralId,
  reduce: oneFact(applyReferralEvent),
  toRow: (f) => [f.referralId, f.caseId, f.fromDepartmentId, f.toDepartmentId, f.state, f.dueOn, f.proposedAt, f.answeredAt, f.acceptedAt, f.completedAt, f.lastEventId],
  fromRow: (r) => ({
    referralId: String(r.referral_id),
    caseId: String(r.case_id),
    fromDepartmentId: String(r.from_department_id),
    toDepartmentId: String(r.to_department_id),
    state: String(r.state),
    dueOn: date(r.due_on),
    proposedAt: iso(r.proposed_at)!,
    answeredAt: iso(r.answered_at),
    acceptedAt: iso(r.accepted_at),
    completedAt: iso(r.completed_at),
    lastEventId: Number(r.last_event_id),
  }),
};

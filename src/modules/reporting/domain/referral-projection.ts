/**
 * How each referral event moves its row in `referral_facts`. Pure: the live projector and the
 * rebuild apply the same function, so a rebuilt projection equals the live one.
 */
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

export interface ReferralEventRow {
  id: number;
  aggregateId: string;
  caseId: string | null;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: string;
}

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

export function applyReferralEvent(fact: ReferralFact | null, event: ReferralEventRow): ReferralFact | null {
  if (event.type === 'ReferralProposed') {
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

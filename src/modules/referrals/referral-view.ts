import { subject } from '@casl/ability';
import { acceptedEvents } from '../../platform/workflow/workflow';
import type { Action } from '../access/ability.factory';
import type { RequestAuth } from '../access/request-auth';
import type { Referral } from './domain/referral.entity';
import { referralMachine, type ReferralContext } from './domain/referral.machine';
import { REFERRAL_ACTIONS, type ReferralAction } from './domain/referral.schemas';

/**
 * What each action needs of the ability: the sender withdraws and resubmits, the sending department's
 * manager approves or returns a special share (shareSpecial), the receiver does the rest (respond).
 */
export function referralActionNeeds(action: ReferralAction): Action {
  if (action === 'withdraw' || action === 'resubmit') return 'withdraw';
  if (action === 'approve' || action === 'return') return 'shareSpecial';
  return 'respond';
}

/** The machine's context of a stored referral. */
export const referralContext = (referral: Referral): ReferralContext => ({ preparers: [referral.createdBy, ...(referral.preparerIds ?? [])] });

/** Actions the caller may take now: the ability allows them and the machine accepts them (as this caller). */
export function allowedReferralActions(auth: RequestAuth, referral: Referral): ReferralAction[] {
  const record = subject('Referral', { ...referral });
  const probe = (type: string) => ({ type, reason: '理由', outcome: 'resolved', by: auth.principal.id }) as never;
  const accepted = acceptedEvents(referralMachine, referral.state, referralContext(referral), probe);
  return (Object.entries(REFERRAL_ACTIONS) as [ReferralAction, string][])
    .filter(([action, event]) => accepted.includes(event) && auth.ability.can(referralActionNeeds(action), record))
    .map(([action]) => action);
}

/** A referral without its shared data: for queues and command answers. */
export function referralHeader(auth: RequestAuth, referral: Referral, today: string) {
  return {
    id: referral.id,
    caseId: referral.caseId,
    fromDepartmentId: referral.fromDepartmentId,
    toDepartmentId: referral.toDepartmentId,
    purpose: referral.purpose,
    state: referral.state,
    version: referral.version,
    legalBasis: referral.legalBasis,
    dueOn: referral.dueOn,
    expiresOn: referral.expiresOn,
    overdue: referral.state === 'proposed' && (!!referral.overdueAt || referral.dueOn < today),
    /** Back in the sender's hands: declined, expired or returned, waiting for a decision (re-refer, revise or close the loop). */
    needsAttention: ['declined', 'expired', 'returned'].includes(referral.state),
    declineReason: referral.declineReason ?? null,
    returnReason: referral.returnReason ?? null,
    approvedBy: referral.approvedBy ?? null,
    approvedAt: referral.approvedAt ?? null,
    outcome: referral.outcome ?? null,
    outcomeNote: referral.outcomeNote ?? null,
    createdAt: referral.createdAt,
    updatedAt: referral.updatedAt,
    allowedActions: allowedReferralActions(auth, referral),
  };
}

import { subject } from '@casl/ability';
import { acceptedEvents } from '../../platform/workflow/workflow';
import type { RequestAuth } from '../access/request-auth';
import type { Referral } from './domain/referral.entity';
import { referralMachine } from './domain/referral.machine';
import { REFERRAL_ACTIONS, type ReferralAction } from './domain/referral.schemas';

/** Sender actions need `withdraw`, receiver actions `respond`; the machine must accept them too. */
export function allowedReferralActions(auth: RequestAuth, referral: Referral): string[] {
  const record = subject('Referral', { ...referral });
  const accepted = acceptedEvents(referralMachine, referral.state, {}, (type) => ({ type, reason: '理由', outcome: 'resolved' }) as never);
  return (Object.entries(REFERRAL_ACTIONS) as [ReferralAction, string][])
    .filter(([action, event]) => accepted.includes(event) && auth.ability.can(action === 'withdraw' ? 'withdraw' : 'respond', record))
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
    /** Back in the sender's hands: declined or expired, waiting for a decision (re-refer or close the loop). */
    needsAttention: ['declined', 'expired'].includes(referral.state),
    declineReason: referral.declineReason ?? null,
    outcome: referral.outcome ?? null,
    outcomeNote: referral.outcomeNote ?? null,
    createdAt: referral.createdAt,
    updatedAt: referral.updatedAt,
    allowedActions: allowedReferralActions(auth, referral),
  };
}

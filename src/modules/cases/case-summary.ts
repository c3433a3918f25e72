import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { acceptedEvents } from '../../platform/workflow/workflow';
import type { RequestAuth } from '../access/request-auth';
import { ReferralSchema } from '../referrals/domain/referral.entity';
import { OPEN_REFERRAL_STATES } from '../referrals/domain/referral.machine';
import { CasePersonSchema, type Case } from './domain/case.entity';
import { caseMachine } from './domain/case.machine';
import { CASE_ACTIONS, type CaseAction } from './domain/case.schemas';

/** What a command answers: ids and state, no personal data (a read is a separate, audited query). */
export interface CaseSummary {
  id: string;
  caseNumber: string;
  state: string;
  version: number;
  persons: { personId: string; relation: string }[];
  allowedActions: string[];
}

export async function openReferralCount(em: EntityManager, caseId: string): Promise<number> {
  return em.count(ReferralSchema, { caseId, state: { $in: [...OPEN_REFERRAL_STATES] } });
}

/** The actions this caller can take now: the machine accepts them AND the ability allows them. */
export async function allowedCaseActions(em: EntityManager, auth: RequestAuth, found: Case, openReferrals?: number): Promise<string[]> {
  const record = subject('Case', { ...found });
  if (!auth.ability.can('update', record)) return [];
  const context = { openReferrals: openReferrals ?? (await openReferralCount(em, found.id)) };
  const accepted = acceptedEvents(caseMachine, found.state, context, (type) => ({ type, reason: '理由' }) as never);
  const machineActions = (Object.entries(CASE_ACTIONS) as [CaseAction, string][]).filter(([, event]) => accepted.includes(event)).map(([action]) => action);
  const open = !['closed', 'suspended'].includes(found.state);
  return [...machineActions, 'add-note', 'record-consent', ...(open && auth.ability.can('refer', record) ? ['refer'] : [])];
}

export async function caseSummary(em: EntityManager, auth: RequestAuth, found: Case, openReferrals?: number): Promise<CaseSummary> {
  const persons = await em.find(CasePersonSchema, { caseId: found.id });
  return {
    id: found.id,
    caseNumber: found.caseNumber,
    state: found.state,
    version: found.version,
    persons: persons.map((p) => ({ personId: p.personId, relation: p.relation })),
    allowedActions: await allowedCaseActions(em, auth, found, openReferrals),
  };
}

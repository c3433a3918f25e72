import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { boundRows } from '../../platform/database/bound-query';
import { entityFromRow } from '../../platform/database/entity-row';
import { acceptedEvents } from '../../platform/workflow/workflow';
import type { RequestAuth } from '../access/request-auth';
import { ReferralSchema } from '../referrals/domain/referral.entity';
import { OPEN_REFERRAL_STATES } from '../referrals/domain/referral.machine';
import { reachableCase } from './case-access';
import { CasePersonSchema, CaseSchema, type Case } from './domain/case.entity';
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
  return allowedCaseActionsNow(auth, found, openReferrals ?? (await openReferralCount(em, found.id)));
}

function allowedCaseActionsNow(auth: RequestAuth, found: Case, openReferrals: number): string[] {
  const record = subject('Case', { ...found });
  if (!auth.ability.can('update', record)) return [];
  const accepted = acceptedEvents(caseMachine, found.state, { openReferrals }, (type) => ({ type, reason: '理由' }) as never);
  const machineActions = (Object.entries(CASE_ACTIONS) as [CaseAction, string][]).filter(([, event]) => accepted.includes(event)).map(([action]) => action);
  const open = !['closed', 'suspended'].includes(found.state);
  return [...machineActions, 'add-note', 'record-consent', ...(open && auth.ability.can('refer', record) ? ['refer'] : [])];
}

export async function caseSummary(em: EntityManager, auth: RequestAuth, found: Case, openReferrals?: number): Promise<CaseSummary> {
  const persons = await em.find(CasePersonSchema, { caseId: found.id });
  const count = openReferrals ?? (await openReferralCount(em, found.id));
  return caseSummaryOf(auth, found, persons.map((p) => ({ personId: p.personId, relation: p.relation })), count);
}

function caseSummaryOf(auth: RequestAuth, found: Case, persons: CaseSummary['persons'], openReferrals: number): CaseSummary {
  return {
    id: found.id,
    caseNumber: found.caseNumber,
    state: found.state,
    version: found.version,
    persons,
    allowedActions: allowedCaseActionsNow(auth, found, openReferrals),
  };
}

/** A case to move, with what its transition is decided on (open referrals) and answered with (its people). */
export interface CaseToMove {
  found: Case;
  openReferrals: number;
  persons: CaseSummary['persons'];
  /** The answer once moved (`moved` is the case as written). */
  summary(moved: Case): CaseSummary;
}

/**
 * A case the caller may update, its open referrals and its people, in one round trip: the hot path of
 * transitions reads it as plain data (no unit of work) and writes its decision with `writeVersionedChange`.
 */
export async function loadCaseToMove(em: EntityManager, auth: RequestAuth, caseId: string): Promise<CaseToMove> {
  const [row] = await boundRows<Record<string, unknown> & { open_referrals: number; persons: CaseSummary['persons'] }>(
    em,
    `select c.*,
       (select count(*)::int from referrals r where r.case_id = c.id and r.state = any($2::text[])) as open_referrals,
       (select coalesce(json_agg(json_build_object('personId', p.person_id, 'relation', p.relation)), '[]') from case_persons p where p.case_id = c.id) as persons
     from cases c where c.id = $1`,
    [caseId, [...OPEN_REFERRAL_STATES]],
  );
  const found = reachableCase(auth, row && entityFromRow(em, CaseSchema, row), 'update');
  const { open_referrals: openReferrals, persons } = row;
  return { found, openReferrals, persons, summary: (moved) => caseSummaryOf(auth, moved, persons, openReferrals) };
}

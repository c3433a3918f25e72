import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../platform/http/app-error';
import type { Action } from '../access/ability.factory';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import { todayInJapan } from '../../platform/calendar/today';
import { CasePersonSchema } from '../cases/domain/case.entity';
import { liveConsents } from '../people/consents/consent-book';
import { CoordinationCaseSchema, type CoordinationCase } from './domain/coordination.entity';
import type { CoordinationContext } from './domain/coordination.machine';
import { PlanTaskSchema, SupportPlanSchema } from './domain/plan.entity';

export async function loadCoordination(em: EntityManager, auth: RequestAuth, id: string, action: Action): Promise<CoordinationCase> {
  const found = await em.findOne(CoordinationCaseSchema, { id });
  if (!found) throw notFound({ ja: '多機関協働ケースが見つかりません。', en: 'No such coordination case.' });
  assertCanOrHide(auth, action, 'CoordinationCase', found);
  return found;
}

export async function currentPlan(em: EntityManager, coordinationCaseId: string) {
  return em.findOne(SupportPlanSchema, { coordinationCaseId, state: { $ne: 'superseded' } }, { orderBy: { version: 'desc' } });
}

/**
 * What the machine's guards need, read from the database: consent (a live consent of one of the case's
 * people covering the case itself), and the current plan's tasks.
 */
export async function coordinationContext(em: EntityManager, found: CoordinationCase, approvedAtJusoMeeting = false): Promise<CoordinationContext> {
  const plan = await currentPlan(em, found.id);
  const tasks = plan ? await em.find(PlanTaskSchema, { coordinationCaseId: found.id, planVersion: plan.version, status: { $ne: 'cancelled' } }) : [];
  return {
    hasConsent: await caseHasConsent(em, found.caseId),
    taskCount: tasks.length,
    openTasks: (await em.count(PlanTaskSchema, { coordinationCaseId: found.id, status: 'open' })),
    approvedAtJusoMeeting,
  };
}

/** Whether a person of the case has a live consent covering the case's own information. */
async function caseHasConsent(em: EntityManager, caseId: string): Promise<boolean> {
  const people = (await em.find(CasePersonSchema, { caseId })).map((l) => l.personId);
  return (await liveConsents(em, people, todayInJapan())).some((c) => c.fieldGroups.includes('case'));
}

import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, notFound } from '../../platform/http/app-error';
import { assertVersion } from '../../platform/workflow/versioned-transition';
import type { Action } from '../access/ability.factory';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import { liveCaseGrants, staffDepartments } from '../directory/domain/principal';
import { CaseSchema, type Case } from './domain/case.entity';

const NO_SUCH_CASE = { ja: 'ケースが見つかりません。', en: 'No such case.' };

/**
 * Loads a case the caller may act on. Outside their reach it does not exist for them (404), and
 * the attempt is audited as denied: a department with no part in a case cannot even find it.
 */
export async function loadCase(em: EntityManager, auth: RequestAuth, caseId: string, action: Action = 'read'): Promise<Case> {
  return reachableCase(auth, await em.findOne(CaseSchema, { id: caseId }), action);
}

/** The case looked up, if the caller may `action` on it (else 404 or 403, audited as denied). */
export function reachableCase<C extends Case>(auth: RequestAuth, found: C | null | undefined, action: Action): C {
  if (!found) throw notFound(NO_SUCH_CASE);
  assertCanOrHide(auth, action, 'Case', found);
  return found;
}

/**
 * Whose holdings a reader sees a case's people through: the lead department's, for its own staff and
 * for an auditor reading under an access grant; anyone else (a coordinator, say) sees only what their
 * own departments hold, i.e. what was disclosed to them.
 */
export function departmentsReadingCase(auth: RequestAuth, found: Pick<Case, 'id' | 'leadDepartmentId'>): string[] {
  const own = staffDepartments(auth.principal);
  const granted = liveCaseGrants(auth.principal).some((g) => g.caseId === found.id);
  return own.includes(found.leadDepartmentId) || granted ? [found.leadDepartmentId] : own;
}

/**
 * A case to change outside its lifecycle (household, issues), on the version read: a closed case keeps
 * what it was closed with. The change bumps the case's version.
 */
export async function loadCaseToChange(em: EntityManager, auth: RequestAuth, caseId: string, expectedVersion: number): Promise<Case> {
  const found = await loadCase(em, auth, caseId, 'update');
  assertVersion(found, expectedVersion);
  if (found.state === 'closed') throw new AppError('transition_not_allowed', { meta: { state: found.state } });
  return found;
}

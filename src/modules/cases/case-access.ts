import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../platform/http/app-error';
import type { Action } from '../access/ability.factory';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import { CaseSchema, type Case } from './domain/case.entity';

const NO_SUCH_CASE = { ja: 'ケースが見つかりません。', en: 'No such case.' };

/**
 * Loads a case the caller may act on. Outside their reach it does not exist for them (404), and
 * the attempt is audited as denied: a department with no part in a case cannot even find it.
 */
export async function loadCase(em: EntityManager, auth: RequestAuth, caseId: string, action: Action = 'read'): Promise<Case> {
  const found = await em.findOne(CaseSchema, { id: caseId });
  if (!found) throw notFound(NO_SUCH_CASE);
  assertCanOrHide(auth, action, 'Case', found);
  return found;
}

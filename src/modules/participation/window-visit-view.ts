import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../platform/http/app-error';
import { assertCanOrHide } from '../access/assert-can';
import type { RequestAuth } from '../access/request-auth';
import type { AuditLog } from '../audit/audit-log.service';
import { WindowVisitSchema, type WindowVisit } from './domain/window-visit.entity';

const NO_SUCH_VISIT = { ja: '窓口利用の記録が見つかりません。', en: 'No such window visit.' };

/** A visit of the caller's departments; any other answers 404 like an unknown id (audited). */
export async function loadWindowVisit(em: EntityManager, auth: RequestAuth, id: string): Promise<WindowVisit> {
  const found = await em.findOne(WindowVisitSchema, { id });
  if (!found) throw notFound(NO_SUCH_VISIT);
  assertCanOrHide(auth, 'read', 'WindowVisit', found);
  return found;
}

/** A visit as its department sees it: the resident by id only (their record is read through the case). */
export function windowVisitView(v: WindowVisit) {
  return {
    id: v.id,
    departmentId: v.departmentId,
    visitedOn: v.visitedOn,
    districtCode: v.districtCode,
    personId: v.personId ?? null,
    caseId: v.caseId ?? null,
    visitors: v.visitors,
    wishes: v.wishes,
    outcome: v.outcome,
    note: v.note ?? null,
    version: v.version,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}
export type WindowVisitView = ReturnType<typeof windowVisitView>;

/**
 * Visits as the caller sees them; each that names a resident is a read of their personal data (that they
 * came to the window, wishing what), written to the audit log. Anonymous counts write nothing.
 */
export async function auditedWindowVisitViews(em: EntityManager, auth: RequestAuth, audit: AuditLog, rows: readonly WindowVisit[], via: string): Promise<WindowVisitView[]> {
  await audit.appendMany(
    em,
    auth.audit,
    rows
      .filter((v) => v.personId)
      .map((v) => ({ action: 'participation.window-visit-read', subjectType: 'WindowVisit', subjectId: v.id, personId: v.personId!, outcome: 'allowed' as const, detail: { via, caseId: v.caseId } })),
  );
  return rows.map(windowVisitView);
}

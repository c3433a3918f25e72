import { subject as asSubject } from '@casl/ability';
import type { Action, SubjectType } from './ability.factory';
import { AccessDeniedError } from './access-denied.error';
import type { RequestAuth } from './request-auth';

/** The record-level check handlers make on the exact record; a refusal is a 403 and an audit row. */
export function assertCan(
  auth: RequestAuth,
  action: Action,
  subjectType: SubjectType,
  record: Record<string, unknown> & { id?: unknown },
  options: { personId?: string | null; hide?: boolean } = {},
): void {
  if (auth.ability.can(action, asSubject(subjectType, { ...record }))) return;
  throw new AccessDeniedError(
    auth.audit,
    { action, subjectType, subjectId: record.id == null ? null : String(record.id), personId: options.personId ?? null },
    { hide: options.hide },
  );
}

/**
 * As assertCan, but a record the caller may not even read answers 404, as if it did not exist (the
 * attempt is audited all the same); one they may read but not act on answers 403.
 */
export function assertCanOrHide(auth: RequestAuth, action: Action, subjectType: SubjectType, record: Record<string, unknown> & { id?: unknown }): void {
  const canSee = auth.ability.can('read', asSubject(subjectType, { ...record }));
  assertCan(auth, action, subjectType, record, { hide: !canSee });
}

import { AppError } from '../../platform/http/app-error';
import type { AuditContext, AuditEntry } from '../audit/domain/audit-entry';

/**
 * A refused action. It is recorded in the audit log after the request's own transaction has rolled
 * back (by the problem filter), so the denial survives and cannot wait on that transaction's locks.
 */
export class AccessDeniedError extends AppError {
  constructor(
    readonly context: AuditContext,
    readonly entry: Omit<AuditEntry, 'outcome'>,
  ) {
    super('forbidden');
  }
}

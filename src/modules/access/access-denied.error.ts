import { AppError, type Localized } from '../../platform/http/app-error';
import type { AuditContext, AuditEntry } from '../audit/domain/audit-entry';

/**
 * A refused action. It is recorded in the audit log after the request's own transaction has rolled
 * back (by the problem filter), so the denial survives and cannot wait on that transaction's locks.
 */
export class AccessDeniedError extends AppError {
  constructor(
    readonly context: AuditContext,
    readonly entry: Omit<AuditEntry, 'outcome'>,
    /** hide: answer 404 instead of 403, so a record outside the caller's reach does not reveal that it exists; why: say why. */
    options: { hide?: boolean; why?: Localized } = {},
  ) {
    super(options.hide ? 'not_found' : 'forbidden', options.why ? { detail: options.why } : {});
  }
}

import { Injectable } from '@nestjs/common';
import { Db } from '../../platform/database/db';
import { AppError } from '../../platform/http/app-error';
import { AccessDeniedError } from '../access/access-denied.error';
import type { RequestAuth } from '../access/request-auth';
import { AuditLog } from './audit-log.service';

/**
 * A request or decision the service refused (no such record, one already open, a stale version, the
 * wrong state) is on the record too: someone tried. Refusals by the access rules are audited by the
 * error filter already; the attempt's own transaction has rolled back (a request's whole transaction,
 * when it runs in one), so this row has its own.
 */
@Injectable()
export class Refusals {
  constructor(
    private readonly db: Db,
    private readonly auditLog: AuditLog,
  ) {}

  async audited<T>(auth: RequestAuth, attempt: { action: string; subjectType: string; subjectId: string }, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError && !(error instanceof AccessDeniedError)) {
        await this.db.apart(auth.principal.tenantId, (em) => this.auditLog.append(em, auth.audit, { ...attempt, outcome: 'denied', detail: { refused: error.code } }));
      }
      throw error;
    }
  }
}

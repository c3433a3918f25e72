import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EventLog } from '../../platform/events/event-log';
import type { RequestAuth } from '../access/request-auth';
import { AuditLog } from './audit-log.service';
import type { AccessGrant } from './domain/access-grant.entity';
import { ACCESS_GRANT_EVENTS, type AccessGrantStep } from './domain/access-grant.schemas';

/**
 * Each step of a grant leaves a domain event and an audit row, in the caller's transaction, after the
 * grant's version was bumped. The event carries no case id on purpose: the case's own timeline does
 * not tell the department that an auditor is looking (the audit log does, to auditors).
 */
@Injectable()
export class AccessGrantRecorder {
  constructor(
    private readonly events: EventLog,
    private readonly audit: AuditLog,
  ) {}

  async record(em: EntityManager, auth: RequestAuth, grant: AccessGrant, step: AccessGrantStep, detail: Record<string, unknown>): Promise<void> {
    const payload = { caseId: grant.caseId, ...detail };
    this.events.append(em, auth.audit, { aggregateType: 'AccessGrant', aggregateId: grant.id, aggregateVersion: grant.version, caseId: null, type: ACCESS_GRANT_EVENTS[step], payload });
    await em.flush();
    // Last before commit: the audit append holds the tenant's chain lock until the transaction ends.
    await this.audit.append(em, auth.audit, {
      action: `access-grant.${step.toLowerCase()}`,
      subjectType: 'AccessGrant',
      subjectId: grant.id,
      outcome: 'allowed',
      detail: { ...payload, version: grant.version },
    });
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EventLog } from '../../platform/events/event-log';
import type { RequestAuth } from '../access/request-auth';
import { AuditLog } from '../audit/audit-log.service';
import type { Case } from './domain/case.entity';

export interface CaseChange {
  /** Notes and consents are aggregates of their own, so adding one never conflicts with a transition. */
  aggregate: { type: string; id: string; version: number };
  type: string;
  action: string;
  payload?: Record<string, unknown>;
  personId?: string | null;
}

/** The event and the audit row of a change inside a case, written in the caller's transaction. */
@Injectable()
export class CaseChangeRecorder {
  constructor(
    private readonly events: EventLog,
    private readonly audit: AuditLog,
  ) {}

  async record(em: EntityManager, auth: RequestAuth, found: Pick<Case, 'id'>, change: CaseChange): Promise<void> {
    this.events.append(em, auth.audit, {
      aggregateType: change.aggregate.type,
      aggregateId: change.aggregate.id,
      aggregateVersion: change.aggregate.version,
      caseId: found.id,
      type: change.type,
      payload: change.payload,
    });
    await em.flush();
    await this.audit.append(em, auth.audit, {
      action: change.action,
      subjectType: 'Case',
      subjectId: found.id,
      personId: change.personId ?? null,
      outcome: 'allowed',
      detail: change.payload,
    });
  }
}

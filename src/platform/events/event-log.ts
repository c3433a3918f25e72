import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditContext } from '../../modules/audit/domain/audit-entry';
import type { RowInsert } from '../workflow/versioned-write';
import { DomainEventSchema, type DomainEvent } from './domain-event.entity';

export interface NewEvent {
  aggregateType: string;
  aggregateId: string;
  /** The aggregate's version after this event: unique per aggregate, so concurrent writers cannot both land. */
  aggregateVersion: number;
  caseId: string | null;
  type: string;
  payload?: Record<string, unknown>;
}

/** Appends domain events in the caller's transaction; the outbox relay publishes them after commit. */
@Injectable()
export class EventLog {
  append(em: EntityManager, context: AuditContext, event: NewEvent): DomainEvent {
    const { actor } = context;
    return em.create(DomainEventSchema, {
      tenantId: context.tenantId,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      aggregateVersion: event.aggregateVersion,
      caseId: event.caseId,
      type: event.type,
      payload: event.payload ?? {},
      actorType: actor.type,
      actorId: actor.id,
      actorDepartmentId: actor.departmentId,
    });
  }

  /** The same event as a row to write beside its change in one statement (`writeVersionedChange`). */
  row(context: AuditContext, event: NewEvent): RowInsert {
    const { actor } = context;
    return {
      table: 'domain_events',
      columns: ['tenant_id', 'aggregate_type', 'aggregate_id', 'aggregate_version', 'case_id', 'type', 'payload', 'actor_type', 'actor_id', 'actor_department_id', 'occurred_at'],
      values: '?::uuid, ?::text, ?::uuid, ?::int, ?::uuid, ?::text, ?::jsonb, ?::text, ?::uuid, ?::uuid, ?::timestamptz',
      // The time as `append` stamps it (the service's clock), so events of either path compare alike.
      params: [context.tenantId, event.aggregateType, event.aggregateId, event.aggregateVersion, event.caseId, event.type, JSON.stringify(event.payload ?? {}), actor.type, actor.id, actor.departmentId, new Date()],
    };
  }
}

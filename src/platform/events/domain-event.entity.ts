import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The event history of every aggregate; rows with no `publishedAt` are the outbox. */
export const DomainEventSchema = defineEntity({
  name: 'DomainEvent',
  tableName: 'domain_events',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    tenantId: p.uuid(),
    aggregateType: p.string(),
    aggregateId: p.uuid(),
    aggregateVersion: p.integer(),
    caseId: p.uuid().nullable(),
    type: p.string(),
    payload: p.json<Record<string, unknown>>(),
    actorType: p.string(),
    actorId: p.uuid().nullable(),
    actorDepartmentId: p.uuid().nullable(),
    occurredAt: p.datetime().onCreate(() => new Date()),
    publishedAt: p.datetime().nullable(),
  },
});
export type DomainEvent = InferEntity<typeof DomainEventSchema>;

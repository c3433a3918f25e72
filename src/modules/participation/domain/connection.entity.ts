import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** つなぎ先 — one person connected to one resource by one department, followed up until it holds or ends. */
export const ParticipationConnectionSchema = defineEntity({
  name: 'ParticipationConnection',
  tableName: 'participation_connections',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    resourceId: p.uuid(),
    personId: p.uuid(),
    caseId: p.uuid(),
    /** The 支援プラン's 参加支援 task this connection answers: done once the person starts. */
    planTaskId: p.uuid().nullable(),
    departmentId: p.uuid(),
    wish: p.string(),
    sharedFields: p.array(),
    /** The person's own consent (本人同意) the host is told on: recipient this resource's host. */
    personConsentId: p.uuid(),
    /** 人財 who accompany or host the person (listed ones only). */
    volunteerIds: p.array(),
    disclosureId: p.uuid().nullable(),
    state: p.string(),
    machine: p.string(),
    followUpOn: p.string().columnType('date').nullable(),
    startedOn: p.string().columnType('date').nullable(),
    endedOn: p.string().columnType('date').nullable(),
    endReason: p.string().nullable(),
    note: p.text().nullable(),
    version: p.integer().version(),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type ParticipationConnection = InferEntity<typeof ParticipationConnectionSchema>;

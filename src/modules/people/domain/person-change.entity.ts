import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** One corrected field of a person: who, when, from which department, old → new, and why. Never updated. */
export const PersonChangeSchema = defineEntity({
  name: 'PersonChange',
  tableName: 'person_changes',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    personId: p.uuid(),
    /** The person's version the correction produced. */
    personVersion: p.integer(),
    /** A field of the catalog (`name`, `address`, …) or `residentNumber`. */
    field: p.string(),
    oldValue: p.json<unknown>().nullable(),
    newValue: p.json<unknown>().nullable(),
    reason: p.text(),
    changedBy: p.uuid(),
    departmentId: p.uuid(),
    changedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type PersonChange = InferEntity<typeof PersonChangeSchema>;

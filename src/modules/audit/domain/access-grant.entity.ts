import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** 監査のための閲覧特例 — an auditor's audited, time-limited permission to read one case. */
export const AccessGrantSchema = defineEntity({
  name: 'AccessGrant',
  tableName: 'access_grants',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    caseId: p.uuid(),
    requestedBy: p.uuid(),
    /** Why the auditor needs the contents: what a 個人情報保護審査会 would ask to see. */
    reason: p.text(),
    hours: p.integer(),
    /** 要配慮個人情報 of the case's people too, not only the basic and contact fields. */
    includeSensitive: p.boolean(),
    state: p.string(),
    machine: p.string(),
    decidedBy: p.uuid().nullable(),
    decidedAt: p.datetime().nullable(),
    declineReason: p.text().nullable(),
    expiresAt: p.datetime().nullable(),
    revokedBy: p.uuid().nullable(),
    revokedAt: p.datetime().nullable(),
    revokeReason: p.text().nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type AccessGrant = InferEntity<typeof AccessGrantSchema>;

import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** 情報照会 — a department asks the department holding a person for named field groups of that person. */
export const InformationRequestSchema = defineEntity({
  name: 'InformationRequest',
  tableName: 'information_requests',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    personId: p.uuid(),
    /** The requester's case the person joins once approved (optional). */
    caseId: p.uuid().nullable(),
    relation: p.string().nullable(),
    fromDepartmentId: p.uuid(),
    toDepartmentId: p.uuid(),
    requestedBy: p.uuid(),
    requestedGroups: p.array(),
    /** What the holding department chose to disclose: the requested groups or fewer. */
    approvedGroups: p.array().nullable(),
    purpose: p.text(),
    legalBasis: p.string(),
    legalBasisReason: p.string().nullable(),
    state: p.string(),
    machine: p.string(),
    expiresOn: p.string().columnType('date'),
    decidedBy: p.uuid().nullable(),
    declineReason: p.string().nullable(),
    withdrawReason: p.string().nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type InformationRequest = InferEntity<typeof InformationRequestSchema>;

import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { SharedPackage } from './shared-package';

/** つなぎ — part of a case handed to another department, with exactly what was shared and why. */
export const ReferralSchema = defineEntity({
  name: 'Referral',
  tableName: 'referrals',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    caseId: p.uuid(),
    fromDepartmentId: p.uuid(),
    toDepartmentId: p.uuid(),
    createdBy: p.uuid(),
    purpose: p.text(),
    state: p.string(),
    machine: p.string(),
    shared: p.json<SharedPackage>(),
    legalBasis: p.string(),
    legalBasisReason: p.string().nullable(),
    consentId: p.uuid().nullable(),
    dueOn: p.string().columnType('date'),
    expiresOn: p.string().columnType('date'),
    overdueAt: p.datetime().nullable(),
    declineReason: p.string().nullable(),
    withdrawReason: p.string().nullable(),
    holdReason: p.string().nullable(),
    /** Why the sending department's manager sent an APPI_SPECIAL share back to its preparer (差戻し). */
    returnReason: p.string().nullable(),
    /** The sending department's manager who let an APPI_SPECIAL share leave (個保法69条②4), and when. */
    approvedBy: p.uuid().nullable(),
    approvedAt: p.datetime().nullable(),
    /** Whoever prepared or revised the share (its creator, each resubmitter): none of them may approve it. */
    preparerIds: p.array(),
    outcome: p.string().nullable(),
    outcomeNote: p.string().nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Referral = InferEntity<typeof ReferralSchema>;

/** 提供記録 — a disclosure receipt, written in the same transaction as the share. */
export const DisclosureSchema = defineEntity({
  name: 'Disclosure',
  tableName: 'disclosures',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    referralId: p.uuid().nullable(),
    /** The approved 情報照会 this receipt answers, if any (PersonHoldings counts it while approved). */
    informationRequestId: p.uuid().nullable(),
    personId: p.uuid().nullable(),
    subjectType: p.string(),
    subjectId: p.uuid(),
    subjectVersion: p.integer(),
    fields: p.array(),
    recipientType: p.string(),
    recipientId: p.uuid(),
    legalBasis: p.string(),
    reason: p.string().nullable(),
    disclosedBy: p.uuid(),
    /** Who approved the disclosure when its basis needs a senior decision (APPI_SPECIAL), and when. */
    approvedBy: p.uuid().nullable(),
    approvedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Disclosure = InferEntity<typeof DisclosureSchema>;

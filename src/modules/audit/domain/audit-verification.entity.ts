import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';

/** A chain verification's result. */
export const AUDIT_VERIFICATION_STATE_LABELS = vocabulary('auditVerificationState', {
  running: { ja: '検証中', en: 'Running' },
  ok: { ja: '改ざんなし', en: 'Intact' },
  broken: { ja: '改ざんの疑い', en: 'Broken' },
});

/**
 * One verification of the hash chain over a period, run in chunks: `nextSeq` is where it resumes,
 * so a long range reports its progress and survives a restart of the service.
 */
export const AuditVerificationSchema = defineEntity({
  name: 'AuditVerification',
  tableName: 'audit_verifications',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid(),
    requestedBy: p.uuid(),
    periodFrom: p.datetime().nullable(),
    periodTo: p.datetime().nullable(),
    fromSeq: p.bigint('number'),
    toSeq: p.bigint('number'),
    nextSeq: p.bigint('number'),
    checked: p.bigint('number').default(0),
    state: p.enum(AUDIT_VERIFICATION_STATE_LABELS.codes),
    brokenAtSeq: p.bigint('number').nullable(),
    reason: p.string().nullable(),
    startedAt: p.datetime().onCreate(() => new Date()),
    finishedAt: p.datetime().nullable(),
    /** The signed result (JWS), for the auditor to keep outside the system. */
    report: p.json<{ signed: string }>().nullable(),
  },
});
export type AuditVerification = InferEntity<typeof AuditVerificationSchema>;

/** What an auditor sees of a verification, with its progress. */
export function verificationView(v: AuditVerification) {
  const total = Math.max(0, v.toSeq - v.fromSeq + 1);
  const done = Math.min(total, Math.max(0, v.nextSeq - v.fromSeq));
  const seconds = ((v.finishedAt ?? new Date()).getTime() - v.startedAt.getTime()) / 1000;
  return {
    id: v.id,
    state: v.state,
    period: { from: v.periodFrom ?? null, to: v.periodTo ?? null },
    fromSeq: v.fromSeq,
    toSeq: v.toSeq,
    total,
    checked: v.checked,
    progress: total === 0 ? 100 : Math.floor((1000 * done) / total) / 10,
    brokenAtSeq: v.brokenAtSeq ?? null,
    reason: v.reason ?? null,
    startedAt: v.startedAt,
    finishedAt: v.finishedAt ?? null,
    entriesPerSecond: seconds > 0 ? Math.round(v.checked / seconds) : null,
    signedReport: v.report?.signed ?? null,
  };
}

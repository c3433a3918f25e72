import { z } from 'zod';
import { ACTOR_TYPE_LABELS, AUDIT_OUTCOME_LABELS } from '../domain/audit-entry';
import { AUDIT_VERIFICATION_STATE_LABELS } from '../domain/audit-verification.entity';
import { LEGAL_BASIS_CODES } from '../domain/legal-basis';
import { ANOMALY_KIND_LABELS } from '../audit-anomalies';
import { CHECKPOINT_TRIGGER_LABELS } from '../checkpoints/checkpoint-store';
import { vocabulary } from '../../../platform/vocabulary/vocabulary';
import { pageOf } from '../../../platform/http/api-contract/paging';

/** What a check of the log or of a kept checkpoint can find wrong. */
export const CHAIN_FINDING_LABELS = vocabulary('auditChainFinding', {
  altered: { ja: '行が改ざんされている', en: 'An entry was altered' },
  missing: { ja: '行が欠けている', en: 'An entry is missing' },
  relinked: { ja: '行のつながりが改ざんされている', en: 'Entries were re-linked' },
  truncated: { ja: 'チェックポイントより前で終わっている', en: 'The log ends before its checkpoint' },
  rewritten: { ja: 'チェックポイント後に書き換えられている', en: 'Rewritten since a checkpoint' },
  bad_checkpoint: { ja: '不正なチェックポイントがある', en: 'A checkpoint is not validly signed' },
  other_tenant: { ja: '他の自治体のチェックポイント', en: "Another tenant's checkpoint" },
});
type ChainFinding = (typeof CHAIN_FINDING_LABELS.codes)[number];

const seq = z.int().min(1);
const nullableUuid = z.uuid().nullable();
const at = z.iso.datetime();

/** One row of the log as auditors search it (the hash chain columns stay inside). */
export const AuditEntrySchema = z
  .object({
    id: z.int().min(1).describe('Insert number: the order rows were written in'),
    seq: seq.nullable().describe('Place in the hash chain; null until the row is sealed (moments after its commit)'),
    occurredAt: at,
    requestId: z.string().nullable(),
    actorType: z.enum(ACTOR_TYPE_LABELS.codes),
    actorId: nullableUuid,
    actorName: z.string().nullable().describe('The staff member’s or supporter’s display name today (the directory), null for the system'),
    actorRoles: z.array(z.string()).describe('`role@department` as held when acting'),
    actorDepartmentId: nullableUuid,
    action: z.string(),
    subjectType: z.string(),
    subjectId: z.string().nullable(),
    personId: nullableUuid,
    legalBasis: z.enum(LEGAL_BASIS_CODES).nullable(),
    outcome: z.enum(AUDIT_OUTCOME_LABELS.codes),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });

/** A log row about the person, with who acted by name (the person report). */
export const PersonAuditReadSchema = AuditEntrySchema.omit({ detail: true, personId: true })
  .meta({ id: 'PersonAuditRead' });

/** What was disclosed of the person to another department or body, as it was disclosed. */
export const PersonDisclosureSchema = z
  .object({
    id: z.uuid(),
    createdAt: at,
    subjectType: z.string(),
    subjectVersion: z.int(),
    fields: z.array(z.string()),
    recipientType: z.string(),
    recipientId: z.uuid(),
    legalBasis: z.string(),
    reason: z.string().nullable(),
    disclosedBy: z.uuid(),
    approvedBy: nullableUuid.describe('The manager who approved it, where its basis needs one (APPI_SPECIAL)'),
    approvedAt: at.nullable(),
  })
  .meta({ id: 'PersonDisclosure' });

/** A roster or plan provided to 避難支援等関係者 that included the person. */
export const PersonProvisionSchema = z
  .object({
    id: z.uuid(),
    createdAt: at,
    kind: z.enum(['roster_view', 'roster_download', 'plans']),
    basis: z.string(),
    disasterId: nullableUuid,
    receiptNumber: z.string(),
    supporterId: z.uuid(),
    supporterName: z.string().nullable(),
    organizationName: z.string(),
  })
  .meta({ id: 'PersonProvision' });

/**
 * 開示請求・漏えい調査: who saw the person's data, what was disclosed and provided. Each section is a
 * page of its own, oldest first; its `next` goes in `readsCursor`, `disclosuresCursor` or `provisionsCursor`.
 */
export const PersonAuditReportSchema = z
  .object({
    personId: z.uuid(),
    reads: pageOf(PersonAuditReadSchema),
    disclosures: pageOf(PersonDisclosureSchema),
    provisions: pageOf(PersonProvisionSchema),
  })
  .meta({ id: 'PersonAuditReport' });

export const AuditAnomalySchema = z
  .object({
    kind: z.enum(ANOMALY_KIND_LABELS.codes),
    actorId: nullableUuid,
    count: z.int().min(1),
    firstAt: at,
    lastAt: at,
    seqs: z.array(seq).max(20).describe('The first entries flagged (at most 20)'),
  })
  .meta({ id: 'AuditAnomaly' });

const CHECKPOINT_FIELDS = {
  tid: z.uuid().describe('The tenant'),
  seq,
  hash: z.string(),
  count: z.int().min(1),
  at,
  trigger: z.enum(CHECKPOINT_TRIGGER_LABELS.codes),
};

export const SignedCheckpointSchema = z
  .object({ ...CHECKPOINT_FIELDS, checkpoint: z.string().describe('JWS (ES256) over the other fields: keep it outside the system') })
  .meta({ id: 'SignedCheckpoint' });

export const CheckpointVerificationSchema = z
  .object({
    signatureValid: z.boolean(),
    matches: z.boolean().describe('The entry the checkpoint names still has the hash it signed'),
    seq: seq.optional(),
    at: at.optional(),
    reason: z.enum(['other_tenant', 'altered', 'missing'] satisfies ChainFinding[]).nullable().optional(),
  })
  .meta({ id: 'CheckpointVerification' });

export const AuditPublicKeySchema = z
  .looseObject({ kty: z.string(), crv: z.string(), x: z.string(), y: z.string(), kid: z.string().optional() })
  .meta({ id: 'AuditPublicKey', description: 'JWK (EC P-256) the checkpoints and verification reports are signed with' });


export const ChainVerificationSchema = z
  .object({
    ok: z.boolean(),
    checked: z.int().min(0),
    checkpoint: z.object({ seq, at }).nullable().describe('The checkpoint the log was held against; null when none is kept yet'),
    badCheckpointLines: z.int().min(0),
    brokenAtSeq: seq.nullable(),
    reason: z.enum(['altered', 'missing', 'relinked', 'truncated', 'rewritten', 'bad_checkpoint'] satisfies ChainFinding[]).nullable(),
    unsealed: z.object({ count: z.int().min(0), oldestAt: at.nullable() }).describe('Rows committed but not yet in the chain when it was checked'),
  })
  .meta({ id: 'ChainVerification' });

export const AuditVerificationSchema = z
  .object({
    id: z.uuid(),
    state: z.enum(AUDIT_VERIFICATION_STATE_LABELS.codes),
    period: z.object({ from: at.nullable(), to: at.nullable() }),
    fromSeq: z.int().min(0),
    toSeq: z.int().min(0),
    total: z.int().min(0),
    checked: z.int().min(0),
    progress: z.number().min(0).max(100).describe('Percent done'),
    brokenAtSeq: z.int().nullable(),
    reason: z.string().nullable(),
    startedAt: at,
    finishedAt: at.nullable(),
    entriesPerSecond: z.int().nullable(),
    signedReport: z.string().nullable().describe('JWS over the result, when finished'),
  })
  .meta({ id: 'AuditVerification' });

import { Controller, Res } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Db } from '../../../platform/database/db';
import { ApiTag } from '../../../platform/http/api-contract/api-tags';
import { Input, Operation } from '../../../platform/http/api-contract/operation.decorator';
import { pageOf, pageParams } from '../../../platform/http/api-contract/paging';
import { isoDateTime } from '../../../platform/http/input';
import { bilingual } from '../../../platform/http/zod-validation.pipe';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { AuditAnomalies } from '../audit-anomalies';
import { AuditLog } from '../audit-log.service';
import { AuditReview, personReportQuery, type PersonReportQuery } from '../audit-review.service';
import { AuditSigner } from '../audit-signer';
import { ChainVerifications } from '../chain-verifications';
import { AuditCheckpoints } from '../checkpoints/audit-checkpoints';
import { auditFilterSchema, auditSearchSchema, instant, toInstant, type AuditFilter, type AuditSearch } from '../domain/audit-search';
import {
  AuditAnomalySchema,
  AuditEntrySchema,
  AuditPublicKeySchema,
  AuditVerificationSchema,
  ChainVerificationSchema,
  CheckpointVerificationSchema,
  PersonAuditReportSchema,
  SignedCheckpointSchema,
} from './audit.responses';

const anomalyQuery = z.strictObject({
  from: isoDateTime.optional().describe('Default: 30 days before `to`'),
  to: isoDateTime.optional().describe('Default: now'),
  ...pageParams,
});
const verificationBody = z
  .strictObject({ from: instant.optional(), to: instant.optional() })
  .optional()
  .transform((p) => ({ from: p?.from && toInstant(p.from, 'start'), to: p?.to && toInstant(p.to, 'end') }))
  .refine((p) => !p.from || !p.to || Date.parse(p.from) < Date.parse(p.to), bilingual({ ja: '開始は終了より前にしてください。', en: 'from must be before to.' }, ['to']));
const checkpointBody = z.strictObject({ checkpoint: z.string().min(10).max(5000) });
const verificationListQuery = z.strictObject(pageParams);
const id = z.uuid();
/** A POST that takes no body still answers 413/415 to one sent anyway (the body reader runs first). */
const BODYLESS_POST_ERRORS = [413, 415];

@ApiTag('audit', { ja: '監査ログの検索・出力・検証（監査担当者）', en: 'The audit log: search, export, person reports, anomaly flags and tamper checks (auditors)' })
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly db: Db,
    private readonly auditLog: AuditLog,
    private readonly review: AuditReview,
    private readonly anomalies: AuditAnomalies,
    private readonly verifications: ChainVerifications,
    private readonly signer: AuditSigner,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

  /** Auditors' own reads are audited too: the log says who looked at the log. */
  private audited<T>(auth: RequestAuth, action: string, detail: Record<string, unknown>, work: Parameters<Db['inTenant']>[1], personId?: string) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const result = await work(em);
      await this.auditLog.append(em, auth.audit, { action, subjectType: 'AuditLog', personId: personId ?? null, outcome: 'allowed', detail });
      return result as T;
    });
  }

  @Operation({
    route: 'GET entries',
    id: 'searchAuditLog',
    summary: { ja: '監査ログを検索する（本人・職員・課・操作・根拠・結果・期間、新しい順）', en: 'Search the log (person, staff, department, action, basis, outcome, period), newest first' },
    description: 'Dates are Japan dates (`to` as a date includes the whole day). Paged: pass `next` as `cursor`.',
    query: auditSearchSchema,
    response: { schema: pageOf(AuditEntrySchema) },
  })
  @Can('read', 'AuditLog')
  search(@Auth() auth: RequestAuth, @Input.query() query: AuditSearch) {
    return this.audited(auth, 'audit.search', { ...query }, (em) => this.review.search(em, query));
  }

  @Operation({
    route: 'GET entries.csv',
    id: 'exportAuditLog',
    summary: { ja: '条件に合う監査ログを CSV で出力する（日本時間、名前つき、ストリーミング）', en: 'Export the matching rows as CSV, streamed (a year exports in bounded memory)' },
    query: auditFilterSchema,
    response: { media: 'text/csv', description: 'UTF-8 with BOM, Japanese headers and values, Japan time' },
  })
  @Can('read', 'AuditLog')
  async export(@Auth() auth: RequestAuth, @Input.query() filters: AuditFilter, @Res() res: Response) {
    await this.audited(auth, 'audit.export', { ...filters }, async () => null);
    await this.review.exportCsv(auth.principal.tenantId, filters, res);
  }

  @Operation({
    route: 'GET persons/:personId',
    id: 'getPersonAuditReport',
    summary: { ja: 'この人の情報を誰がいつ何の根拠で見たか（開示請求・漏えい調査）', en: 'Who saw this person’s data, when and on what basis (disclosure requests, leak inquiries)' },
    description: 'Three sections, each paged oldest first with its own cursor (`readsCursor`, `disclosuresCursor`, `provisionsCursor`) and the one `limit`.',
    params: { personId: id },
    query: personReportQuery,
    response: { schema: PersonAuditReportSchema },
  })
  @Can('read', 'AuditLog')
  person(@Auth() auth: RequestAuth, @Input.param('personId') personId: string, @Input.query() query: PersonReportQuery) {
    return this.audited(auth, 'audit.person-report', {}, (em) => this.review.personReport(em, personId, query), personId);
  }

  @Operation({
    route: 'GET anomalies',
    id: 'listAuditAnomalies',
    summary: { ja: '確認すべき兆候（多人数の閲覧、時間外の閲覧、拒否の繰り返し、DV 保護連絡先への試み、個人情報を開く権限変更、自己承認の試み）', en: 'Flags: many persons in a day, reads outside office hours, repeated refusals, attempts on DV-protected contacts, role changes that open personal data, self-grant attempts' },
    description: 'A flag is a question, not a verdict. By kind, then by the first entry flagged. Paged: pass `next` as `cursor`.',
    query: anomalyQuery,
    response: { schema: pageOf(AuditAnomalySchema) },
  })
  @Can('read', 'AuditLog')
  flags(@Auth() auth: RequestAuth, @Input.query() query: z.infer<typeof anomalyQuery>) {
    const to = query.to ?? new Date().toISOString();
    const from = query.from ?? new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
    return this.audited(auth, 'audit.anomalies', { from, to }, (em) => this.anomalies.find(em, from, to, query));
  }

  @Operation({
    route: 'POST checkpoints',
    id: 'takeAuditCheckpoint',
    summary: { ja: '今のログの先頭に署名したチェックポイントを作る（外部に保管するため）', en: 'A signed checkpoint of the chain head now (they are also taken automatically), kept in the checkpoint sink and returned to keep elsewhere' },
    response: { status: 201, schema: SignedCheckpointSchema },
    description: 'Refused (409) while the log is empty or no longer matches its last checkpoint.',
    errors: BODYLESS_POST_ERRORS,
  })
  @Can('verify', 'AuditLog')
  checkpoint(@Auth() auth: RequestAuth) {
    return this.audited(auth, 'audit.checkpoint', {}, (em) => this.checkpoints.take(em, auth.principal.tenantId));
  }

  @Operation({
    route: 'POST checkpoints/verify',
    id: 'verifyAuditCheckpoint',
    summary: { ja: '保管したチェックポイントをログと照合する（署名と、その行が今も一致するか）', en: 'Check a kept checkpoint against the log: signature, and the row it names still matches' },
    body: checkpointBody,
    response: { status: 200, schema: CheckpointVerificationSchema },
  })
  @Can('verify', 'AuditLog')
  verifyCheckpoint(@Auth() auth: RequestAuth, @Input.body() body: z.infer<typeof checkpointBody>) {
    return this.audited(auth, 'audit.checkpoint-verify', {}, (em) => this.review.verifyCheckpoint(em, auth.principal.tenantId, body.checkpoint));
  }

  @Operation({
    route: 'GET checkpoints/public-key',
    id: 'getAuditPublicKey',
    summary: { ja: 'チェックポイントの署名を外部で確かめるための公開鍵（JWK）', en: 'The public key checkpoints are signed with (JWK), for verifying them elsewhere' },
    response: { schema: AuditPublicKeySchema },
  })
  @Can('verify', 'AuditLog')
  publicKey() {
    return this.signer.publicKey();
  }

  @Operation({
    route: 'GET verify',
    id: 'verifyAuditChain',
    summary: { ja: 'ハッシュチェーンを再計算し署名済みチェックポイントと照合する（壊れた最初の番号）', en: "Recompute the tenant's hash chain and hold it against the signed checkpoints: ok, or the first sequence number where it breaks" },
    response: { schema: ChainVerificationSchema },
  })
  @Can('verify', 'AuditLog')
  verify(@Auth() auth: RequestAuth) {
    return this.db.inTenant(auth.principal.tenantId, async (em) => {
      const result = await this.auditLog.verify(em, auth.principal.tenantId);
      await this.auditLog.append(em, auth.audit, {
        action: 'audit.verify',
        subjectType: 'AuditLog',
        outcome: 'allowed',
        detail: { ok: result.ok, checked: result.checked, brokenAtSeq: result.brokenAtSeq, reason: result.reason },
      });
      return result;
    });
  }

  @Operation({
    route: 'POST verifications',
    id: 'startAuditVerification',
    summary: { ja: '期間を指定してチェーンを検証するジョブを始める（既定は全期間）', en: 'Verify the chain over a period (default: all of it) as a background job; poll it for progress and the signed report' },
    body: verificationBody,
    response: { status: 202, schema: AuditVerificationSchema },
  })
  @Can('verify', 'AuditLog')
  startVerification(@Auth() auth: RequestAuth, @Input.body() body: z.infer<typeof verificationBody>) {
    return this.verifications.start(auth.audit, body);
  }

  @Operation({
    route: 'GET verifications',
    id: 'listAuditVerifications',
    summary: { ja: '検証ジョブの一覧（新しい順、進み具合と結果）', en: 'Verifications with their progress and results, newest first' },
    description: 'Paged: pass `next` as `cursor`.',
    query: verificationListQuery,
    response: { schema: pageOf(AuditVerificationSchema) },
  })
  @Can('verify', 'AuditLog')
  listVerifications(@Auth() auth: RequestAuth, @Input.query() query: z.infer<typeof verificationListQuery>) {
    return this.db.inTenant(auth.principal.tenantId, (em) => this.verifications.list(em, query));
  }

  @Operation({
    route: 'GET verifications/:id',
    id: 'getAuditVerification',
    summary: { ja: '検証ジョブ 1 件（進捗、壊れた箇所、完了時は署名済みの報告）', en: 'One verification: progress (percent, entries per second), the first break if any, the signed report when done' },
    params: { id },
    response: { schema: AuditVerificationSchema },
    errors: [404],
  })
  @Can('verify', 'AuditLog')
  verification(@Auth() auth: RequestAuth, @Input.param('id') verificationId: string) {
    return this.db.inTenant(auth.principal.tenantId, (em) => this.verifications.get(em, verificationId));
  }
}

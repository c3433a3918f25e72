import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Db } from '../../../platform/database/db';
import { bilingual, UuidParam, validate } from '../../../platform/http/zod-validation.pipe';
import { Auth, Can } from '../../access/access.decorators';
import type { RequestAuth } from '../../access/request-auth';
import { AuditAnomalies } from '../audit-anomalies';
import { AuditLog } from '../audit-log.service';
import { AuditReview } from '../audit-review.service';
import { auditSearchSchema, instant, toInstant, type AuditSearch } from '../domain/audit-search';
import { ChainVerifications } from '../chain-verifications';
import { AuditSigner } from '../audit-signer';
import { AuditCheckpoints } from '../checkpoints/audit-checkpoints';
import { isoDateTime } from '../../../platform/http/input';
import { openApiBody } from '../../../platform/http/api-contract/openapi-schema';

const period = z.strictObject({ from: isoDateTime.optional(), to: isoDateTime.optional() });
const verificationBody = z
  .strictObject({ from: instant.optional(), to: instant.optional() })
  .optional()
  .transform((p) => ({ from: p?.from && toInstant(p.from, 'start'), to: p?.to && toInstant(p.to, 'end') }))
  .refine((p) => !p.from || !p.to || Date.parse(p.from) < Date.parse(p.to), bilingual({ ja: '開始は終了より前にしてください。', en: 'from must be before to.' }, ['to']));
const checkpointBody = z.strictObject({ checkpoint: z.string().min(10).max(5000) });
@ApiTags('audit')
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

  @Get('entries')
  @Can('read', 'AuditLog')
  @ApiOperation({ summary: 'Search the log (person, staff, department, action, basis, outcome, period); keyset pages via `before`' })
  search(@Auth() auth: RequestAuth, @Query(validate(auditSearchSchema)) query: AuditSearch) {
    return this.audited(auth, 'audit.search', { ...query }, (em) => this.review.search(em, query));
  }

  @Get('entries.csv')
  @Can('read', 'AuditLog')
  @ApiOperation({ summary: 'Export the matching rows as CSV, streamed (a year exports in bounded memory)' })
  async export(@Auth() auth: RequestAuth, @Query(validate(auditSearchSchema)) query: AuditSearch, @Res() res: Response) {
    const { limit: _limit, ...filters } = query;
    await this.audited(auth, 'audit.export', { ...filters }, async () => null);
    await this.review.exportCsv(auth.principal.tenantId, filters, res);
  }

  @Get('persons/:personId')
  @Can('read', 'AuditLog')
  @ApiOperation({ summary: 'Who saw this person’s data, when and on what basis (開示請求・漏えい調査)' })
  person(@Auth() auth: RequestAuth, @Param('personId', UuidParam) personId: string) {
    return this.audited(auth, 'audit.person-report', {}, (em) => this.review.personReport(em, personId), personId);
  }

  @Get('anomalies')
  @Can('read', 'AuditLog')
  @ApiOperation({
    summary: 'Flags: many persons in a day, reads outside office hours, repeated refusals, attempts on DV-protected contacts, role changes that open personal data, self-grant attempts',
  })
  flags(@Auth() auth: RequestAuth, @Query(validate(period)) query: z.infer<typeof period>) {
    const to = query.to ?? new Date().toISOString();
    const from = query.from ?? new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
    return this.audited(auth, 'audit.anomalies', { from, to }, (em) => this.anomalies.find(em, from, to));
  }

  @Post('checkpoints')
  @Can('verify', 'AuditLog')
  @ApiOperation({ summary: 'A signed checkpoint of the chain head now (they are also taken automatically), kept in the checkpoint sink and returned to keep elsewhere' })
  checkpoint(@Auth() auth: RequestAuth) {
    return this.audited(auth, 'audit.checkpoint', {}, (em) => this.checkpoints.take(em, auth.principal.tenantId));
  }

  @Post('checkpoints/verify')
  @HttpCode(200)
  @Can('verify', 'AuditLog')
  @ApiOperation({ summary: 'Check a kept checkpoint against the log: signature, and the row it names still matches' })
  @ApiBody({ schema: openApiBody(checkpointBody) })
  verifyCheckpoint(@Auth() auth: RequestAuth, @Body(validate(checkpointBody)) body: z.infer<typeof checkpointBody>) {
    return this.audited(auth, 'audit.checkpoint-verify', {}, (em) => this.review.verifyCheckpoint(em, auth.principal.tenantId, body.checkpoint));
  }

  @Get('checkpoints/public-key')
  @Can('verify', 'AuditLog')
  @ApiOperation({ summary: 'The public key checkpoints are signed with (JWK), for verifying them elsewhere' })
  publicKey() {
    return this.signer.publicKey();
  }

  @Get('verify')
  @Can('verify', 'AuditLog')
  @ApiOperation({ summary: "Recompute the tenant's hash chain and hold it against the signed checkpoints: ok, or the first sequence number where it breaks (auditors)" })
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

  @Post('verifications')
  @HttpCode(202)
  @Can('verify', 'AuditLog')
  @ApiOperation({ summary: 'Verify the chain over a period (default: all of it) as a background job; poll it for progress and the signed report' })
  @ApiBody({ schema: openApiBody(verificationBody) })
  startVerification(@Auth() auth: RequestAuth, @Body(validate(verificationBody)) body: z.infer<typeof verificationBody>) {
    return this.verifications.start(auth.audit, body);
  }

  @Get('verifications')
  @Can('verify', 'AuditLog')
  @ApiOperation({ summary: 'Recent verifications with their progress and results' })
  listVerifications(@Auth() auth: RequestAuth) {
    return this.db.inTenant(auth.principal.tenantId, (em) => this.verifications.list(em));
  }

  @Get('verifications/:id')
  @Can('verify', 'AuditLog')
  @ApiOperation({ summary: 'One verification: progress (percent, entries per second), the first break if any, the signed report when done' })
  verification(@Auth() auth: RequestAuth, @Param('id', UuidParam) id: string) {
    return this.db.inTenant(auth.principal.tenantId, (em) => this.verifications.get(em, id));
  }
}

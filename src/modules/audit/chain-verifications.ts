import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Db } from '../../platform/database/db';
import { JobLock } from '../../platform/database/job-lock';
import { JobRuns } from '../../platform/observability/job-runs';
import { notFound } from '../../platform/http/app-error';
import { Keyset, type PageParams } from '../../platform/http/api-contract/paging';
import { AuditLog } from './audit-log.service';
import { AuditSealer } from './audit-sealer';
import { AuditSigner } from './audit-signer';
import { CheckpointCheck } from './checkpoints/checkpoint-check';
import type { AuditContext } from './domain/audit-entry';
import { AuditVerificationSchema, verificationView, type AuditVerification } from './domain/audit-verification.entity';

/**
 * Rows per chunk: about a second of work in Node's worker threads (two or three in SQL), so progress
 * moves and no transaction runs long, while the workers' start is spread over many rows.
 */
export const VERIFICATION_CHUNK = 250_000;

/** Start times are the application's (ms), so they round-trip through the cursor. */
const VERIFICATION_ORDER = new Keyset<AuditVerification>('audit-verifications', { startedAt: 'started_at', id: 'id' }, { desc: true });

export interface VerificationPeriod {
  from?: string;
  to?: string;
}

/**
 * Verifies the hash chain over a period as a background job: the range of sequence numbers is fixed
 * when it starts, each chunk commits its progress, and the result is signed for the auditor to keep.
 */
@Injectable()
export class ChainVerifications implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('audit-verification');
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly db: Db,
    private readonly orm: MikroORM,
    private readonly auditLog: AuditLog,
    private readonly signer: AuditSigner,
    private readonly checkpoints: CheckpointCheck,
    private readonly jobs: JobLock,
    private readonly jobRuns: JobRuns,
    private readonly sealer: AuditSealer,
  ) {}

  /** A verification cut off by a restart carries on from its last committed chunk. */
  async onApplicationBootstrap(): Promise<void> {
    const tenants = await this.orm.em.fork().execute<{ id: string }[]>('select all_tenant_ids() as id');
    for (const { id } of tenants) {
      const unfinished = await this.db.inTenant(id, (em) => em.find(AuditVerificationSchema, { state: 'running' }));
      for (const verification of unfinished) this.launch(id, verification.id);
    }
  }

  /** A chunk in flight finishes and commits before the connections close; the rest resumes at the next start. */
  beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    return this.idle();
  }

  async start(context: AuditContext, period: VerificationPeriod) {
    // The range is fixed now, over the chain as it stands once every row committed so far is sealed.
    await this.sealer.seal(context.tenantId);
    const verification = await this.db.inTenant(context.tenantId, async (em) => {
      const range = await seqRange(em, period);
      const created = em.create(AuditVerificationSchema, {
        tenantId: context.tenantId,
        requestedBy: context.actor.id!,
        periodFrom: period.from ? new Date(period.from) : null,
        periodTo: period.to ? new Date(period.to) : null,
        fromSeq: range.from,
        toSeq: range.to,
        nextSeq: range.from,
        state: 'running',
      });
      await em.flush();
      await this.auditLog.append(em, context, { action: 'audit.verification-start', subjectType: 'AuditLog', subjectId: created.id, outcome: 'allowed', detail: { ...period, fromSeq: range.from, toSeq: range.to } });
      return created;
    });
    // Not before the verification row is committed: the run reads it in transactions of its own.
    this.db.afterCommit(() => this.launch(context.tenantId, verification.id));
    return verificationView(verification);
  }

  get(em: EntityManager, id: string) {
    return em.findOne(AuditVerificationSchema, { id }).then((found) => {
      if (!found) throw notFound({ ja: '検証が見つかりません。', en: 'No such verification.' });
      return verificationView(found);
    });
  }

  /** Newest first, a page at a time. */
  async list(em: EntityManager, page: PageParams) {
    const after = VERIFICATION_ORDER.decode(page.cursor);
    const rows = await em.find(AuditVerificationSchema, VERIFICATION_ORDER.after(after), { orderBy: VERIFICATION_ORDER.orderBy, limit: page.limit + 1 });
    return VERIFICATION_ORDER.page(rows, page.limit, verificationView);
  }

  /** Settles when every verification this process runs has stopped (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  private launch(tenantId: string, id: string): void {
    if (this.running.has(id)) return;
    // One instance works on a verification at a time; another that finds it taken leaves it to that one.
    const run = this.jobs
      .runAlone('audit-verification', id, () => this.jobRuns.track('audit-verification', () => this.run(tenantId, id)))
      .then(() => undefined)
      .catch((error: Error) => this.logger.warn(`verification ${id}: ${error.message}`))
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
  }

  private async run(tenantId: string, id: string): Promise<void> {
    while (!this.stopping) {
      const finished = await this.db.inTenant(tenantId, async (em) => {
        const [locked] = await em.execute<{ id: string }[]>(`select id from audit_verifications where id = ? and state = 'running' for update skip locked`, [id]);
        if (!locked) return true;
        const verification = await em.findOneOrFail(AuditVerificationSchema, { id });
        await this.verifyChunk(em, verification);
        if (verification.state !== 'running') await this.finish(em, tenantId, verification);
        await em.flush();
        return verification.state !== 'running';
      });
      if (finished) return;
    }
  }

  private async verifyChunk(em: EntityManager, v: AuditVerification): Promise<void> {
    const last = Math.min(v.nextSeq + VERIFICATION_CHUNK - 1, v.toSeq);
    if (v.nextSeq <= last) {
      const result = await this.auditLog.checkRange(em, v.tenantId, v.nextSeq, last);
      v.checked += result.checked;
      if (result.reason) {
        Object.assign(v, { state: 'broken', brokenAtSeq: result.brokenAtSeq, reason: result.reason });
        return;
      }
    }
    v.nextSeq = last + 1;
    if (v.nextSeq > v.toSeq) await this.holdAgainstCheckpoints(em, v);
  }

  /** The range chains; whether it is still the log that was checkpointed decides the result. */
  private async holdAgainstCheckpoints(em: EntityManager, v: AuditVerification): Promise<void> {
    const pinned = v.toSeq >= v.fromSeq ? await this.checkpoints.confirm(em, v.tenantId, v.toSeq) : null;
    if (!pinned?.reason) v.state = 'ok';
    else Object.assign(v, { state: 'broken', brokenAtSeq: pinned.brokenAtSeq, reason: pinned.reason });
  }

  private async finish(em: EntityManager, tenantId: string, v: AuditVerification): Promise<void> {
    v.finishedAt = new Date();
    const [last] = v.state === 'ok' ? await em.execute<{ hash: string }[]>(`select hash from audit_log where tenant_id = app_current_tenant() and seq = ?`, [v.toSeq]) : [];
    const statement = {
      tid: tenantId,
      verification: v.id,
      period: { from: v.periodFrom?.toISOString() ?? null, to: v.periodTo?.toISOString() ?? null },
      fromSeq: v.fromSeq,
      toSeq: v.toSeq,
      checked: v.checked,
      ok: v.state === 'ok',
      brokenAtSeq: v.brokenAtSeq ?? null,
      reason: v.reason ?? null,
      lastHash: last?.hash ?? null,
      at: v.finishedAt.toISOString(),
    };
    v.report = { signed: await this.signer.sign(statement, 'tsunagi-audit-verification') };
    const system: AuditContext = { tenantId, requestId: null, actor: { type: 'system', id: null, roles: [], departmentId: null } };
    await this.auditLog.append(em, system, { action: 'audit.verification-finish', subjectType: 'AuditLog', subjectId: v.id, outcome: 'allowed', detail: { ok: statement.ok, checked: v.checked, brokenAtSeq: statement.brokenAtSeq, reason: statement.reason } });
  }
}

/**
 * The sequence numbers a period covers, among sealed rows. Rows are sealed in insert order and their
 * time is taken at insert, so sequence and time grow together (up to rows whose transactions commit
 * out of order) and the time index finds each end directly.
 */
async function seqRange(em: EntityManager, period: VerificationPeriod): Promise<{ from: number; to: number }> {
  const [row] = await em.execute<{ from_seq: string | null; to_seq: string | null }[]>(
    `select (select seq from audit_log where tenant_id = app_current_tenant() and seq is not null and (?::timestamptz is null or occurred_at >= ?) order by occurred_at, seq limit 1) as from_seq,
            (select seq from audit_log where tenant_id = app_current_tenant() and seq is not null and (?::timestamptz is null or occurred_at < ?) order by occurred_at desc, seq desc limit 1) as to_seq`,
    [period.from ?? null, period.from ?? null, period.to ?? null, period.to ?? null],
  );
  if (row.from_seq === null || row.to_seq === null || Number(row.from_seq) > Number(row.to_seq)) return { from: 1, to: 0 };
  return { from: Number(row.from_seq), to: Number(row.to_seq) };
}

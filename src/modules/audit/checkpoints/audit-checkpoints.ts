import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { Db } from '../../../platform/database/db';
import { JobLock } from '../../../platform/database/job-lock';
import { AppError } from '../../../platform/http/app-error';
import { JobRuns } from '../../../platform/observability/job-runs';
import { AuditSealer } from '../audit-sealer';
import { disagreement } from './checkpoint-check';
import { CheckpointStore, type Checkpoint, type CheckpointTrigger, type SignedCheckpoint } from './checkpoint-store';
import { firstBreak, logHead } from './log-positions';

/** Shutdown waits this long at most for the last checkpoints: a database that is gone cannot hold it. */
const SHUTDOWN_GRACE_MS = 3_000;

/**
 * Takes signed checkpoints of every tenant's log by itself: once `everyEntries` entries were written
 * since the last one, or `everyMs` passed with new entries, whichever comes first, and at shutdown.
 * A checkpoint only ever extends one the log still matches, over entries that chain: a log rewritten
 * since the last checkpoint is never signed, so the newest checkpoint vouches for all before it.
 */
@Injectable()
export class AuditCheckpoints implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('audit-checkpoints');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** The last refusal per tenant, so a broken log is reported once, not at every look. */
  private readonly refusals = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly orm: MikroORM,
    private readonly store: CheckpointStore,
    private readonly jobRuns: JobRuns,
    private readonly jobLock: JobLock,
    private readonly sealer: AuditSealer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { pollMs } = this.config.auditCheckpoints;
    if (pollMs === 0) return;
    this.timer = setInterval(() => void this.tick(), pollMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    const last = (this.running ?? Promise.resolve()).then(() => this.pass(new Date(), 'shutdown'));
    await Promise.race([last, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
  }

  /** One look at every tenant's log, checkpointing where one is due. `now` is the clock (tests move it). */
  tick(now = new Date()): Promise<void> {
    this.running ??= this.pass(now, 'due').finally(() => (this.running = undefined));
    return this.running;
  }

  /** An auditor's checkpoint on demand (also kept in the sink); refused while the log disagrees with the last one. */
  async take(em: EntityManager, tenantId: string, now = new Date()): Promise<SignedCheckpoint> {
    // A checkpoint covers the chain: rows committed so far are sealed into it first.
    await this.sealer.seal(tenantId);
    const previous = await this.store.newest(tenantId);
    const head = await logHead(em);
    if (!head) throw new AppError('transition_not_allowed', { detail: { ja: '監査ログがまだありません。', en: 'The audit log is empty.' } });
    return this.extend(em, tenantId, previous, head, 'manual', now);
  }

  private pass(now: Date, mode: 'due' | 'shutdown'): Promise<void> {
    return this.jobRuns.track('audit-checkpoints', () => this.passOverTenants(now, mode));
  }

  private async passOverTenants(now: Date, mode: 'due' | 'shutdown'): Promise<void> {
    const tenants = await this.orm.em
      .fork()
      .execute<{ id: string }[]>('select all_tenant_ids() as id')
      .catch((error: Error) => this.logger.warn(`checkpoints not taken: ${error.message}`));
    for (const { id } of tenants ?? []) {
      // Once per period across instances; at shutdown each instance seals its own sink regardless.
      const checkpoint = () => this.checkpointIfDue(id, now, mode);
      await (mode === 'shutdown' ? checkpoint() : this.jobLock.runAlone('audit-checkpoints', id, checkpoint)).catch((error: Error) => this.logger.warn(`tenant ${id}: checkpoint not taken: ${error.message}`));
    }
  }

  private async checkpointIfDue(tenantId: string, now: Date, mode: 'due' | 'shutdown'): Promise<void> {
    await this.sealer.seal(tenantId);
    // The sink is read before the log, so every entry a checkpoint names is already visible below.
    const previous = await this.store.newest(tenantId);
    await this.db.inTenant(tenantId, async (em) => {
      const head = await logHead(em);
      if (!head || head.seq === previous?.seq) return;
      const trigger = mode === 'shutdown' ? 'shutdown' : this.due(previous, head.seq, now);
      if (!trigger) return;
      try {
        await this.extend(em, tenantId, previous, head, trigger, now);
        this.refusals.delete(tenantId);
      } catch (error) {
        const message = (error as Error).message;
        if (this.refusals.get(tenantId) !== message) this.logger.error(`tenant ${tenantId}: ${message}`);
        this.refusals.set(tenantId, message);
      }
    });
  }

  private due(previous: Checkpoint | null, headSeq: number, now: Date): CheckpointTrigger | null {
    const { everyEntries, everyMs } = this.config.auditCheckpoints;
    if (headSeq - (previous?.seq ?? 0) >= everyEntries) return 'count';
    if (!previous || now.getTime() - Date.parse(previous.at) >= everyMs) return 'time';
    return null;
  }

  private async extend(em: EntityManager, tenantId: string, previous: Checkpoint | null, head: { seq: number; hash: string }, trigger: CheckpointTrigger, now: Date): Promise<SignedCheckpoint> {
    const broken = (previous && (await disagreement(em, previous, previous.seq))) || (await firstBreak(em, (previous?.seq ?? 0) + 1, head.seq));
    if (broken) {
      throw new AppError('transition_not_allowed', {
        detail: {
          ja: `監査ログが前回のチェックポイントと一致しないため、チェックポイントを作成できません(${broken.seq}番、${broken.reason})。検証してください。`,
          en: `The audit log no longer matches its last checkpoint (entry ${broken.seq}, ${broken.reason}): no checkpoint is taken over it. Verify the log.`,
        },
        meta: { brokenAtSeq: broken.seq, reason: broken.reason },
      });
    }
    return this.store.write({ tid: tenantId, seq: head.seq, hash: head.hash, count: head.seq, at: now.toISOString(), trigger });
  }
}

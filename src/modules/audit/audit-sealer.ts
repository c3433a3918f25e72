import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Db } from '../../platform/database/db';
import { JobLock } from '../../platform/database/job-lock';
import { JobRuns } from '../../platform/observability/job-runs';

/** Rows per sealing transaction: an import's 10⁵ rows seal in a few short transactions, not one long one. */
export const SEAL_BATCH = 10_000;

/**
 * The tenant's sealer (封印): writers append audit rows unsealed and never wait on one another; this
 * chains the committed ones after the tenant's head (`audit_seal`, which holds the head's row lock, so
 * two sealers never interleave). Woken by the commits of this instance, a little later so that one
 * sealing covers many commits; a slow poll finds rows other instances or SQL wrote. Verification and
 * checkpoints call `seal` themselves first, so what they check is everything committed.
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('audit-sealer');
  private readonly woken = new Set<string>();
  private timer?: NodeJS.Timeout;
  private poller?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly db: Db,
    private readonly orm: MikroORM,
    private readonly jobLock: JobLock,
    private readonly jobRuns: JobRuns,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { pollMs } = this.config.auditSealing;
    if (pollMs === 0) return;
    this.poller = setInterval(() => void this.pollTenants(), pollMs);
    this.poller.unref();
  }

  /** Rows committed before shutdown are sealed by this instance, or by the next that starts. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.poller);
    clearTimeout(this.timer);
    await this.running;
  }

  /** A commit of this instance appended rows for `tenantId`. */
  wake(tenantId: string): void {
    this.woken.add(tenantId);
    this.schedule();
  }

  /** Seals every row of the tenant committed so far; waits for a sealer already at work. Returns how many it sealed. */
  async seal(tenantId: string): Promise<number> {
    let sealed = 0;
    for (;;) {
      const n = await this.db.onItsOwn(tenantId, async (em) => {
        const [row] = await em.execute<{ n: number }[]>('select audit_seal(?) as n', [SEAL_BATCH]);
        return Number(row.n);
      });
      sealed += n;
      if (n < SEAL_BATCH) return sealed;
    }
  }

  /** Settles once nothing is waiting to be sealed here (tests). */
  async idle(): Promise<void> {
    while (this.running || this.timer) await (this.running ?? new Promise((resolve) => setTimeout(resolve, this.config.auditSealing.delayMs)));
  }

  private schedule(): void {
    if (this.timer || this.running || this.stopping) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.jobRuns
        .track('audit-sealer', () => this.drain())
        .catch((error: Error) => this.logger.warn(`audit rows left unsealed for now: ${error.message}`))
        .finally(() => {
          this.running = undefined;
          if (this.woken.size > 0) this.schedule();
        });
    }, this.config.auditSealing.delayMs);
  }

  private async drain(): Promise<void> {
    const tenants = [...this.woken];
    this.woken.clear();
    // One instance seals a tenant at a time; rows another instance is sealing right now are its to seal.
    for (const tenantId of tenants) {
      await this.jobLock.runAlone('audit-sealer', tenantId, () => this.seal(tenantId)).catch((error: Error) => this.logger.warn(`tenant ${tenantId}: audit rows left unsealed for now: ${error.message}`));
    }
  }

  private async pollTenants(): Promise<void> {
    const tenants = await this.orm.em
      .fork()
      .execute<{ id: string }[]>('select all_tenant_ids() as id')
      .catch(() => []);
    for (const { id } of tenants) this.woken.add(id);
    this.schedule();
  }
}

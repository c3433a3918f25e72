import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { QueryResult } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { Db } from '../database/db';
import { JobLock } from '../database/job-lock';
import { IDEMPOTENCY_KEY_TTL_HOURS } from './idempotency.interceptor';

const EVERY_HOUR = 60 * 60 * 1000;

/**
 * Forgets Idempotency-Keys older than IDEMPOTENCY_KEY_TTL_HOURS, at start and every hour, one instance
 * at a time. A key past its time that is still here is ignored by the interceptor anyway: this keeps
 * the table small, it decides nothing.
 */
@Injectable()
export class IdempotencyKeyExpiry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('idempotency-expiry');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly orm: MikroORM,
    private readonly db: Db,
    private readonly jobs: JobLock,
  ) {}

  onApplicationBootstrap(): void {
    const expire = () => (this.running ??= this.expireOnce()
      .catch((error: Error) => this.logger.warn(`expiry failed: ${error.message}`))
      .finally(() => (this.running = undefined)));
    this.timer = setInterval(expire, EVERY_HOUR);
    this.timer.unref();
    void expire();
  }

  /** A pass under way finishes before the connections close (a transaction cut off there would hold its connection). */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes the expired keys of every tenant; returns how many (0 where another instance was at it). */
  async expireOnce(): Promise<number> {
    const tenants = await this.orm.em.fork().execute<{ id: string }[]>('select all_tenant_ids() as id');
    let deleted = 0;
    for (const { id: tenantId } of tenants) {
      const run = await this.jobs.runAlone('idempotency-expiry', tenantId, () =>
        this.db.inTenant(tenantId, (em) => em.execute<QueryResult>(`delete from idempotency_keys where created_at <= now() - make_interval(hours => ?)`, [IDEMPOTENCY_KEY_TTL_HOURS], 'run')),
      );
      if (run.ran) deleted += run.result.affectedRows;
    }
    return deleted;
  }
}

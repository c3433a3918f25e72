import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { EventBus } from '@nestjs/cqrs';
import { EventDelivery } from './event-delivery';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { JobLock } from '../database/job-lock';
import { CHANNELS, DatabaseNotifications } from '../database/notifications';
import { JobRuns } from '../observability/job-runs';

/** How long shutdown waits for a batch in flight; an unmarked batch simply goes out again next start. */
const SHUTDOWN_GRACE_MS = 10_000;
/** Events per batch: one read, one mark, and the subscribers take the batch in as a whole. */
const BATCH = 200;
/**
 * How long a notification waits before the relay goes: the commits of that moment go out as one batch.
 * Relaying each commit at once costs more (a batch per event) and runs the subscribers' transactions
 * right when the next command on the same case wants its rows.
 */
const COALESCE_MS = 100;

export interface PublishedEvent {
  id: number;
  tenantId: string;
  aggregateType: string;
  aggregateId: string;
  aggregateVersion: number;
  caseId: string | null;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * Publishes committed domain events, oldest first, at least once. Nothing is published before it is durable, nor marked before its subscribers have handled it.
 * With several instances on one database one relays at a time (JobLock): a batch is marked before the lock goes, so no
 * event goes out twice, and events keep their order, which parallel `SKIP LOCKED` batches would not.
 */
@Injectable()
export class OutboxRelay implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('outbox');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  /** Woken while a batch was running: go again once it is done. */
  private wokenMeanwhile = false;
  private stopped = false;
  private notified?: NodeJS.Timeout;

  constructor(
    private readonly orm: MikroORM,
    private readonly eventBus: EventBus,
    private readonly delivery: EventDelivery,
    private readonly jobs: JobLock,
    private readonly jobRuns: JobRuns,
    private readonly notifications: DatabaseNotifications,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // A commit that appended events says so (and a reconnect, when notes may have been missed).
    if (this.config.outboxListen) this.notifications.on(CHANNELS.outbox, () => this.wakeSoon());
  }

  onApplicationBootstrap(): void {
    // Polling stays as the fallback: events of another instance whose notification was lost, a batch that failed.
    if (this.config.outboxPollMs === 0) return;
    this.timer = setInterval(() => this.wake(), this.config.outboxPollMs);
    this.timer.unref();
  }

  private wakeSoon(): void {
    this.notified ??= setTimeout(() => {
      this.notified = undefined;
      this.wake();
    }, COALESCE_MS).unref();
  }

  /**
   * Relays until the outbox is empty. Wakes that come while a batch runs are folded into one more round,
   * so a burst of commits costs a few batches, not one relay per commit.
   */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wokenMeanwhile = true;
      return;
    }
    this.wokenMeanwhile = false;
    void this.relayOnce().then(
      (handled) => {
        if (handled >= BATCH || this.wokenMeanwhile) this.wake();
      },
      (error: Error) => this.logger.warn(`relay failed: ${error.message}`),
    );
  }

  /** Lets a batch in flight finish, but never holds the shutdown longer than that: its events stay pending. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.notified);
    const settled = this.running?.catch(() => undefined);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
  }

  /** One batch; returns how many events were handled and marked published (0 while another instance relays). */
  relayOnce(): Promise<number> {
    this.running ??= this.jobs
      .runAlone('outbox-relay', 'all', () => this.jobRuns.track('outbox-relay', () => this.relayBatch()))
      .then((batch) => (batch.ran ? batch.result : 0))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async relayBatch(): Promise<number> {
    const em = this.orm.em.fork();
    const rows = await em.execute<Record<string, unknown>[]>('select * from outbox_pending(?)', [BATCH]);
    if (rows.length === 0) return 0;
    for (const row of rows) {
      this.eventBus.publish({
        id: Number(row.id),
        tenantId: row.tenant_id,
        aggregateType: row.aggregate_type,
        aggregateId: row.aggregate_id,
        aggregateVersion: row.aggregate_version,
        caseId: row.case_id,
        type: row.type,
        payload: row.payload,
        occurredAt: row.occurred_at,
      } as PublishedEvent);
    }
    // Published once the read models and the criteria have taken it in; what failed goes out again.
    const handled = await this.delivery.settle(rows.map((r) => Number(r.id)));
    // Which instance delivered which events: at debug level, for tracing a delivery (and the multi-instance test).
    // Logged before the mark, so an event marked published is always in some instance's log; one whose
    // instance dies between this line and the mark is delivered again by another (at least once).
    if (handled.length > 0) this.logger.debug(`relayed events ${handled.join(',')}`);
    if (handled.length > 0) await em.execute('select outbox_mark_published(?::bigint[])', [`{${handled.join(',')}}`]);
    return handled.length;
  }
}

import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { MikroORM } from '@mikro-orm/postgresql';
import { CaseSchema } from '../../cases/domain/case.entity';
import type { Subscription } from 'rxjs';
import { Db } from '../../../platform/database/db';
import type { PublishedEvent } from '../../../platform/events/outbox-relay';
import { EventDelivery } from '../../../platform/events/event-delivery';
import { JobRuns } from '../../../platform/observability/job-runs';
import { ConcurrencyLimit } from '../../../platform/concurrency-limit';
import { TenantWorkQueue } from '../../../platform/tenant-work-queue';
import { CRITERIA_CONFIGURED, EscalationCriteriaService } from './escalation-criteria.service';

const OWN_EVENTS = new Set(['CaseFlaggedForCoordination', 'CaseUrgentlyEscalated']);
const EVERY_HOUR = 60 * 60 * 1000;
const OPEN = { state: { $nin: ['closed', 'suspended'] } };
const BATCH = 500;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
/** Evaluations at once: the relay's batches must not take every connection the requests need. */
const CONCURRENCY = 2;

/** Re-evaluates the criteria whenever a case changes: it reads the published events, after commit. */
@Injectable()
export class CandidateWatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('coordination-criteria');
  private subscription?: Subscription;
  private pending = new Set<Promise<unknown>>();
  private timer?: NodeJS.Timeout;
  private readonly limit = new ConcurrencyLimit(CONCURRENCY);
  /** Cases waiting for an evaluation that has not started: a second event of the case needs no second one. */
  private readonly queued = new Set<string>();

  constructor(
    private readonly eventBus: EventBus,
    private readonly db: Db,
    private readonly orm: MikroORM,
    private readonly criteria: EscalationCriteriaService,
    private readonly delivery: EventDelivery,
    private readonly jobRuns: JobRuns,
    private readonly work: TenantWorkQueue,
  ) {}

  onModuleInit(): void {
    this.delivery.register(() => this.idle());
    // "No progress for N days" becomes true without any event: look at quiet cases every hour.
    this.timer = setInterval(() => void this.sweepQuietCases().catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`)), EVERY_HOUR);
    this.timer.unref();
    this.subscription = this.eventBus.subscribe((event) => {
      const { caseId, tenantId, type } = event as PublishedEvent;
      if (type === CRITERIA_CONFIGURED) return this.track(this.reevaluateOpenCases(tenantId));
      if (!caseId || OWN_EVENTS.has(type)) return;
      const key = `${tenantId}:${caseId}`;
      if (this.queued.has(key)) return;
      this.queued.add(key);
      this.track(
        this.limit.run(() => {
          // From here on a new event of the case needs an evaluation of its own: this one may already have read.
          this.queued.delete(key);
          // Out of the tenant's share of the work queue, before its waiting requests: a tenant changing
          // many cases at once pays for their evaluations, not the other tenants.
          return this.work.caused(tenantId, () => this.evaluate(tenantId, caseId));
        }),
      );
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    clearInterval(this.timer);
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** New criteria: every open case of the tenant is evaluated again under them, in pages by id. */
  async reevaluateOpenCases(tenantId: string): Promise<number> {
    let evaluated = 0;
    for (let after = NIL_UUID; ; ) {
      const page = await this.db.inTenant(tenantId, (em) => em.find(CaseSchema, { ...OPEN, id: { $gt: after } }, { fields: ['id'], orderBy: { id: 'asc' }, limit: BATCH }));
      for (const { id } of page) await this.evaluate(tenantId, id);
      evaluated += page.length;
      if (page.length < BATCH) return evaluated;
      after = page[page.length - 1].id;
    }
  }

  /** Re-evaluates open cases untouched for a day that are not yet with the coordinator. */
  sweepQuietCases(now = new Date()): Promise<number> {
    return this.jobRuns.track('coordination-quiet-cases', () => this.evaluateQuietCases(now));
  }

  private async evaluateQuietCases(now: Date): Promise<number> {
    const tenants = await this.orm.em.fork().execute<{ id: string }[]>('select all_tenant_ids() as id');
    let evaluated = 0;
    for (const { id: tenantId } of tenants) {
      const quiet = await this.db.inTenant(tenantId, (em) =>
        em.find(CaseSchema, { ...OPEN, coordinationStatus: { $in: ['none', 'returned'] }, updatedAt: { $lt: new Date(now.getTime() - 86_400_000) } }, { fields: ['id'], limit: 1000 }),
      );
      for (const { id } of quiet) {
        await this.evaluate(tenantId, id);
        evaluated++;
      }
    }
    return evaluated;
  }

  evaluate(tenantId: string, caseId: string) {
    const system = { tenantId, requestId: null, actor: { type: 'system' as const, id: null, roles: [], departmentId: null } };
    return this.db.inTenant(tenantId, (em) => this.criteria.evaluate(em, system, caseId)).catch((error: Error) => {
      this.logger.warn(`evaluation of ${caseId} failed: ${error.message}`);
      return null;
    });
  }

  /** Waits for the evaluations already started (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}

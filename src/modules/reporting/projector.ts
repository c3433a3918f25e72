import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { Subscription } from 'rxjs';
import { Db } from '../../platform/database/db';
import { EventDelivery } from '../../platform/events/event-delivery';
import { JobRuns } from '../../platform/observability/job-runs';
import type { PublishedEvent } from '../../platform/events/outbox-relay';
import { reads, type EventRow } from './domain/projection';
import { PROJECTIONS } from './domain/projections';
import { ProjectionStore } from './projection-store';

type Store = Projector['stores'][number];

/** Keeps every read model up to date from published events; rebuilds them from the event history. */
@Injectable()
export class Projector implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('projections');
  private subscription?: Subscription;
  private chain: Promise<unknown> = Promise.resolve();
  /** Published events waiting for the application queued for them. */
  private collected: PublishedEvent[] = [];
  readonly stores = PROJECTIONS.map((projection) => new ProjectionStore(projection));

  constructor(
    private readonly eventBus: EventBus,
    private readonly db: Db,
    private readonly delivery: EventDelivery,
    private readonly jobRuns: JobRuns,
  ) {}

  onModuleInit(): void {
    this.delivery.register(() => this.idle());
    this.subscription = this.eventBus.subscribe((published) => {
      const event = published as PublishedEvent;
      if (!this.stores.some((store) => reads(store.projection.source, event))) return;
      // The relay publishes a batch at once: the first event of it queues one application for all of them.
      if (this.collected.length === 0) void this.serially(() => this.applyCollected());
      this.collected.push(event);
    });
  }

  /**
   * In publication order: events of one aggregate must apply in order. Each read model in its own
   * transaction per tenant, so a fault in one never holds the others back; a batch that fails is applied
   * again event by event, so only the event at fault waits for the next round.
   */
  private async applyCollected(): Promise<void> {
    const events = this.collected;
    this.collected = [];
    const byTenant = new Map<string, PublishedEvent[]>();
    for (const event of events) byTenant.set(event.tenantId, [...(byTenant.get(event.tenantId) ?? []), event]);
    for (const [tenantId, ofTenant] of byTenant) {
      for (const store of this.stores) {
        const mine = ofTenant.filter((event) => reads(store.projection.source, event));
        if (mine.length === 0) continue;
        const fault = await this.applyAll(store, tenantId, mine).then(
          () => null,
          (error: Error) => error,
        );
        if (!fault) continue;
        if (mine.length === 1) this.failed(store, mine[0], fault);
        else for (const event of mine) await this.applyAll(store, tenantId, [event]).catch((error: Error) => this.failed(store, event, error));
      }
    }
  }

  private applyAll(store: Store, tenantId: string, events: PublishedEvent[]): Promise<void> {
    return this.db.inTenant(tenantId, async (em) => {
      await store.applyAll(em, tenantId, events.map(fromPublished));
    });
  }

  private failed(store: Store, event: PublishedEvent, error: Error): void {
    this.logger.warn(`${store.projection.name}: event ${event.id} failed, to be tried again: ${error.message}`);
    this.delivery.fail(event.id);
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Resolves once every event published so far is applied (tests, benches). */
  idle(): Promise<unknown> {
    return this.chain;
  }

  /**
   * Rebuilds every read model of the tenant in one transaction; answers the number of facts of each.
   * Queued behind live events, so none is applied halfway through a rebuild.
   */
  rebuild(tenantId: string): Promise<Record<string, number>> {
    return this.serially(() =>
      this.db.inTenant(tenantId, async (em) => {
        const counts: Record<string, number> = {};
        for (const store of this.stores) counts[store.projection.name] = await store.rebuild(em, tenantId);
        return counts;
      }),
    );
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const done = this.chain.then(() => this.jobRuns.track('projections', work));
    this.chain = done.catch(() => undefined);
    return done;
  }
}

function fromPublished(event: PublishedEvent): EventRow {
  return { id: event.id, aggregateType: event.aggregateType, aggregateId: event.aggregateId, caseId: event.caseId, type: event.type, payload: event.payload, occurredAt: new Date(event.occurredAt).toISOString() };
}

import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { Subscription } from 'rxjs';
import { Db } from '../../../platform/database/db';
import type { PublishedEvent } from '../../../platform/events/outbox-relay';
import { EscalationCriteriaService } from './escalation-criteria.service';

const OWN_EVENTS = new Set(['CaseFlaggedForCoordination', 'CaseUrgentlyEscalated']);

/** Re-evaluates the criteria whenever a case changes: it reads the published events, after commit. */
@Injectable()
export class CandidateWatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('coordination-criteria');
  private subscription?: Subscription;
  private pending = new Set<Promise<unknown>>();

  constructor(
    private readonly eventBus: EventBus,
    private readonly db: Db,
    private readonly criteria: EscalationCriteriaService,
  ) {}

  onModuleInit(): void {
    this.subscription = this.eventBus.subscribe((event) => {
      const { caseId, tenantId, type } = event as PublishedEvent;
      if (!caseId || OWN_EVENTS.has(type)) return;
      const work = this.evaluate(tenantId, caseId).finally(() => this.pending.delete(work));
      this.pending.add(work);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
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

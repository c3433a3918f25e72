import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Subscription } from 'rxjs';
import { Db } from '../../platform/database/db';
import type { PublishedEvent } from '../../platform/events/outbox-relay';
import { applyReferralEvent, type ReferralEventRow, type ReferralFact } from './domain/referral-projection';

const COLUMNS = ['referral_id', 'tenant_id', 'case_id', 'from_department_id', 'to_department_id', 'state', 'due_on', 'proposed_at', 'answered_at', 'accepted_at', 'completed_at', 'last_event_id'];

/** Keeps `referral_facts` up to date from published events; can rebuild it from the event history. */
@Injectable()
export class ReferralProjector implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('referral-projection');
  private subscription?: Subscription;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly eventBus: EventBus,
    private readonly db: Db,
  ) {}

  onModuleInit(): void {
    this.subscription = this.eventBus.subscribe((published) => {
      const event = published as PublishedEvent;
      if (event.aggregateType !== 'Referral') return;
      // One at a time, in publication order: events of one referral must apply in order.
      this.chain = this.chain.then(() =>
        this.db.inTenant(event.tenantId, (em) => this.apply(em, event.tenantId, toRow(event))).catch((error: Error) => this.logger.warn(`projection failed: ${error.message}`)),
      );
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  idle(): Promise<unknown> {
    return this.chain;
  }

  /** Throws the tenant's projection away and replays every referral event. */
  async rebuild(em: EntityManager, tenantId: string): Promise<number> {
    await em.execute('delete from referral_facts');
    const facts = await this.recompute(em);
    for (const fact of facts.values()) await this.save(em, tenantId, fact);
    return facts.size;
  }

  /** The projection as the events say it should be, computed from scratch (rebuild and consistency checks). */
  async recompute(em: EntityManager): Promise<Map<string, ReferralFact>> {
    const events = await em.execute<Record<string, unknown>[]>(
      `select id, aggregate_id, case_id, type, payload, occurred_at from domain_events where aggregate_type = 'Referral' order by id`,
    );
    const facts = new Map<string, ReferralFact>();
    for (const e of events) {
      const row: ReferralEventRow = { id: Number(e.id), aggregateId: String(e.aggregate_id), caseId: (e.case_id as string) ?? null, type: String(e.type), payload: e.payload as Record<string, unknown>, occurredAt: new Date(e.occurred_at as string).toISOString() };
      const next = applyReferralEvent(facts.get(row.aggregateId) ?? null, row);
      if (next) facts.set(row.aggregateId, next);
    }
    return facts;
  }

  private async apply(em: EntityManager, tenantId: string, event: ReferralEventRow): Promise<void> {
    const [current] = await em.execute<Record<string, unknown>[]>(`select * from referral_facts where referral_id = ?`, [event.aggregateId]);
    const next = applyReferralEvent(current ? fromRow(current) : null, event);
    if (next) await this.save(em, tenantId, next);
  }

  private async save(em: EntityManager, tenantId: string, f: ReferralFact): Promise<void> {
    await em.execute(
      `insert into referral_facts (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})
       on conflict (referral_id) do update set ${COLUMNS.slice(2).map((c) => `${c} = excluded.${c}`).join(', ')}`,
      [f.referralId, tenantId, f.caseId, f.fromDepartmentId, f.toDepartmentId, f.state, f.dueOn, f.proposedAt, f.answeredAt, f.acceptedAt, f.completedAt, f.lastEventId],
    );
  }
}

export function fromRow(r: Record<string, unknown>): ReferralFact {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  const date = (v: unknown) => (v ? (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10)) : null);
  return {
    referralId: String(r.referral_id),
    caseId: String(r.case_id),
    fromDepartmentId: String(r.from_department_id),
    toDepartmentId: String(r.to_department_id),
    state: String(r.state),
    dueOn: date(r.due_on),
    proposedAt: iso(r.proposed_at)!,
    answeredAt: iso(r.answered_at),
    acceptedAt: iso(r.accepted_at),
    completedAt: iso(r.completed_at),
    lastEventId: Number(r.last_event_id),
  };
}

function toRow(event: PublishedEvent): ReferralEventRow {
  return { id: event.id, aggregateId: event.aggregateId, caseId: event.caseId, type: event.type, payload: event.payload, occurredAt: new Date(event.occurredAt).toISOString() };
}

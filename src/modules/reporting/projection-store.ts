import type { EntityManager } from '@mikro-orm/postgresql';
import { applyEvent, type EventRow, type Projection } from './domain/projection';

const EVENT_PAGE = 10_000;
/** PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 30_000;

/** Reads and writes one projection's table; the same code serves live events, rebuilds and checks. */
export class ProjectionStore<F extends { lastEventId: number }> {
  constructor(readonly projection: Projection<F>) {}

  /** Applies one published event in the caller's transaction. */
  async apply(em: EntityManager, tenantId: string, event: EventRow): Promise<void> {
    const key = this.projection.groupOf(event);
    if (key === null) return;
    const rows = await em.execute<Record<string, unknown>[]>(`select * from ${this.projection.table} where ${this.projection.groupColumn} = ?`, [key]);
    await this.save(em, tenantId, applyEvent(this.projection, rows.map(this.projection.fromRow), event));
  }

  /** Throws the tenant's facts away and replays the history; answers how many facts there are now. */
  async rebuild(em: EntityManager, tenantId: string): Promise<number> {
    await em.execute(`delete from ${this.projection.table}`);
    const facts = await this.recompute(em);
    await this.save(em, tenantId, [...facts.values()]);
    return facts.size;
  }

  /** The facts as stored, by id. */
  async stored(em: EntityManager): Promise<Map<string, F>> {
    const rows = await em.execute<Record<string, unknown>[]>(`select * from ${this.projection.table}`);
    return new Map(rows.map((r) => this.projection.fromRow(r)).map((f) => [this.projection.idOf(f), f]));
  }

  /** The facts as the events say they should be, computed from scratch, by id. Reads the history in pages. */
  async recompute(em: EntityManager): Promise<Map<string, F>> {
    const groups = new Map<string, Map<string, F>>();
    const filter = 'caseEvents' in this.projection.source ? 'case_id is not null' : 'aggregate_type = any(?::text[])';
    const typeArgument = 'caseEvents' in this.projection.source ? [] : [`{${this.projection.source.aggregateTypes.join(',')}}`];
    for (let after = 0; ; ) {
      const page = await em.execute<Record<string, unknown>[]>(
        `select id, aggregate_type, aggregate_id, case_id, type, payload, occurred_at from domain_events where ${filter} and id > ? order by id limit ${EVENT_PAGE}`,
        [...typeArgument, after],
      );
      for (const row of page) {
        const event = eventRow(row);
        const key = this.projection.groupOf(event);
        if (key === null) continue;
        const group = groups.get(key) ?? new Map<string, F>();
        for (const fact of applyEvent(this.projection, [...group.values()], event)) group.set(this.projection.idOf(fact), fact);
        groups.set(key, group);
      }
      if (page.length < EVENT_PAGE) break;
      after = Number(page[page.length - 1].id);
    }
    const facts = new Map<string, F>();
    for (const group of groups.values()) for (const [id, fact] of group) facts.set(id, fact);
    return facts;
  }

  private async save(em: EntityManager, tenantId: string, facts: F[]): Promise<void> {
    const { table, columns } = this.projection;
    const perStatement = Math.floor(MAX_PARAMETERS / (columns.length + 1));
    const row = `(${['?', ...columns.map(() => '?')].join(', ')})`;
    for (let start = 0; start < facts.length; start += perStatement) {
      const batch = facts.slice(start, start + perStatement);
      await em.execute(
        `insert into ${table} (tenant_id, ${columns.join(', ')}) values ${batch.map(() => row).join(', ')}
         on conflict (${columns[0]}) do update set ${columns.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')}`,
        batch.flatMap((fact) => [tenantId, ...this.projection.toRow(fact)]),
      );
    }
  }
}

/** A `domain_events` row as the reducers see it. */
function eventRow(row: Record<string, unknown>): EventRow {
  return {
    id: Number(row.id),
    aggregateType: String(row.aggregate_type),
    aggregateId: String(row.aggregate_id),
    caseId: (row.case_id as string | null) ?? null,
    type: String(row.type),
    payload: row.payload as Record<string, unknown>,
    occurredAt: new Date(row.occurred_at as string).toISOString(),
  };
}

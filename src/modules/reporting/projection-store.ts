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
    const rows = await em.execute<Record<string, unknown>[]>(`select * from ${this.projection.table} where ${this.projection.groupColumn} = ? for update`, [key]);
    const group = rows.map(this.projection.fromRow);
    if (group.some((fact) => fact.lastEventId >= event.id)) {
      // At or below what the group has seen: delivered again, or committed after a later event (ids
      // are taken at insert, commits may finish in another order). Deriving the group again from the
      // history settles both, exactly as a rebuild would.
      await this.save(em, tenantId, await this.recomputeGroup(em, key));
      return;
    }
    await this.save(em, tenantId, applyEvent(this.projection, group, event));
  }

  /** One group's facts from its events alone; every group is keyed by an aggregate or by a case. */
  private async recomputeGroup(em: EntityManager, key: string): Promise<F[]> {
    const { filter, args } = this.sourceFilter();
    const ofGroup = 'caseEvents' in this.projection.source ? { sql: 'case_id = ?::uuid', args: [key] } : { sql: '(aggregate_id = ?::uuid or case_id = ?::uuid)', args: [key, key] };
    const rows = await em.execute<Record<string, unknown>[]>(
      `select id, aggregate_type, aggregate_id, case_id, type, payload, occurred_at from domain_events where ${filter} and ${ofGroup.sql} order by id`,
      [...args, ...ofGroup.args],
    );
    const group = new Map<string, F>();
    for (const event of rows.map(eventRow).filter((e) => this.projection.groupOf(e) === key)) {
      for (const fact of applyEvent(this.projection, [...group.values()], event)) group.set(this.projection.idOf(fact), fact);
    }
    return [...group.values()];
  }

  private sourceFilter(): { filter: string; args: string[] } {
    return 'caseEvents' in this.projection.source
      ? { filter: 'case_id is not null', args: [] }
      : { filter: 'aggregate_type = any(?::text[])', args: [`{${this.projection.source.aggregateTypes.join(',')}}`] };
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
    const { filter, args: typeArgument } = this.sourceFilter();
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

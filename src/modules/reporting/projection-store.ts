import type { EntityManager } from '@mikro-orm/postgresql';
import { boundQuery, boundRows } from '../../platform/database/bound-query';
import { applyEvent, type EventRow, type Projection } from './domain/projection';

const EVENT_PAGE = 50_000;
/** Facts per insert: one bound array per column, so the statement's size does not grow with the batch. */
const SAVE_BATCH = 20_000;

/** Reads and writes one projection's table; the same code serves live events, rebuilds and checks. */
export class ProjectionStore<F extends { lastEventId: number }> {
  /** The columns' SQL types, read from the catalogue once: the bound text arrays are cast to them. */
  private columnTypes?: Promise<string[]>;

  constructor(readonly projection: Projection<F>) {}

  /** Applies one published event in the caller's transaction. */
  apply(em: EntityManager, tenantId: string, event: EventRow): Promise<void> {
    return this.applyAll(em, tenantId, [event]);
  }

  /**
   * Applies published events, in the order given, in the caller's transaction: their groups read in
   * one statement (locked), the facts they change written in one, whatever the number of events.
   */
  async applyAll(em: EntityManager, tenantId: string, events: readonly EventRow[]): Promise<void> {
    const { projection } = this;
    const keyed = events.flatMap((event) => {
      const key = projection.groupOf(event);
      return key === null ? [] : [{ key, event }];
    });
    if (keyed.length === 0) return;
    const keys = [...new Set(keyed.map(({ key }) => key))].sort();
    const keyType = (await this.types(em))[projection.columns.indexOf(projection.groupColumn)];
    const rows = await boundRows(em, `select * from ${projection.table} where ${projection.groupColumn} = any($1::${keyType}[]) order by ${projection.groupColumn} for update`, [keys]);
    const groups = new Map(keys.map((key) => [key, new Map<string, F>()]));
    for (const row of rows) {
      const fact = projection.fromRow(row);
      groups.get(String(row[projection.groupColumn]))?.set(projection.idOf(fact), fact);
    }
    /** Per group, the facts its events changed; null: the group is derived again from the history. */
    const changed = new Map<string, Map<string, F> | null>();
    for (const { key, event } of keyed) {
      if (changed.get(key) === null) continue;
      const group = groups.get(key)!;
      if ([...group.values()].some((fact) => fact.lastEventId >= event.id)) {
        // At or below what the group has seen: delivered again, or committed after a later event (ids
        // are taken at insert, commits may finish in another order). Deriving the group again from the
        // history settles both, exactly as a rebuild would (the batch's later events included).
        changed.set(key, null);
        continue;
      }
      const mine = changed.get(key) ?? new Map<string, F>();
      for (const fact of applyEvent(projection, [...group.values()], event)) {
        group.set(projection.idOf(fact), fact);
        mine.set(projection.idOf(fact), fact);
      }
      changed.set(key, mine);
    }
    for (const [key, facts] of changed) if (facts === null) await this.save(em, tenantId, await this.recomputeGroup(em, key));
    await this.save(em, tenantId, [...changed.values()].flatMap((facts) => (facts ? [...facts.values()] : [])));
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
      const page = await boundRows(
        em,
        `select id, aggregate_type, aggregate_id, case_id, type, payload, occurred_at from domain_events where ${numbered(filter)} and id > $${typeArgument.length + 1} order by id limit ${EVENT_PAGE}`,
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

  /**
   * Writes facts as bound arrays, one per column (`unnest`), cast to the columns' types in the database:
   * a batch of 20,000 facts is a dozen parameters, not text of megabytes that MikroORM would build
   * and escape a character at a time (the rebuild at 3·10⁵ cases spent most of its 292 s there).
   */
  private async save(em: EntityManager, tenantId: string, facts: F[]): Promise<void> {
    if (facts.length === 0) return;
    const { table, columns } = this.projection;
    const types = await this.types(em);
    const casts = columns.map((_, i) => `u.c${i}::${types[i]}`).join(', ');
    const arrays = columns.map((_, i) => `$${i + 2}::text[]`).join(', ');
    const sql = `insert into ${table} (tenant_id, ${columns.join(', ')})
      select $1::uuid, ${casts} from unnest(${arrays}) as u(${columns.map((_, i) => `c${i}`).join(', ')})
      on conflict (${columns[0]}) do update set ${columns.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')}`;
    for (let start = 0; start < facts.length; start += SAVE_BATCH) {
      const rows = facts.slice(start, start + SAVE_BATCH).map((fact) => this.projection.toRow(fact));
      await boundQuery(em, sql, [tenantId, ...columns.map((_, i) => rows.map((row) => asText(row[i])))]);
    }
  }

  private types(em: EntityManager): Promise<string[]> {
    // A failed lookup is not kept: the next use asks again.
    return (this.columnTypes ??= this.readColumnTypes(em).catch((error: Error) => {
      this.columnTypes = undefined;
      throw error;
    }));
  }

  private readColumnTypes(em: EntityManager): Promise<string[]> {
    const { table, columns } = this.projection;
    return boundRows<{ name: string; type: string }>(
      em,
      `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = $1::regclass and attname = any($2::text[])`,
      [table, [...columns]],
    ).then((found) => columns.map((column) => found.find((f) => f.name === column)?.type ?? failMissing(table, column)));
  }
}

const asText = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function failMissing(table: string, column: string): never {
  throw new Error(`${table} has no column ${column}`);
}

/** The source filter's `?` placeholders as `$1`, `$2` … */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

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

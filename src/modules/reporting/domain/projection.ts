/**
 * What every read model shares: the event row it consumes, and a pure description of how events
 * change its facts. The live projector, the rebuild and the consistency check all apply the same
 * description, so a rebuilt projection equals the live one.
 */
export interface EventRow {
  id: number;
  aggregateType: string;
  aggregateId: string;
  caseId: string | null;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: string;
}

/** Which events a projection reads: by aggregate type, or every event that belongs to a case. */
export type EventSource = { aggregateTypes: readonly string[] } | { caseEvents: true };

export interface Projection<F extends { lastEventId: number }> {
  /** The name in the rebuild's answer. */
  name: string;
  table: string;
  source: EventSource;
  /** Columns in `toRow` order; the first is the primary key. */
  columns: readonly string[];
  /**
   * One event can only change the facts sharing one key (a referral, or all tasks of a case); the
   * column holding that key, and the key of an event (null: the event changes nothing here).
   */
  groupColumn: string;
  groupOf(event: EventRow): string | null;
  idOf(fact: F): string;
  /** The facts of the group that this event creates or changes. Pure. */
  reduce(group: readonly F[], event: EventRow): F[];
  toRow(fact: F): unknown[];
  fromRow(row: Record<string, unknown>): F;
}

export function reads(source: EventSource, event: Pick<EventRow, 'aggregateType' | 'caseId'>): boolean {
  return 'caseEvents' in source ? event.caseId !== null : source.aggregateTypes.includes(event.aggregateType);
}

/**
 * Applies one event to its group. Delivery is at least once: an event at or below the newest one
 * the group has seen was applied already, so it changes nothing.
 */
export function applyEvent<F extends { lastEventId: number }>(projection: Projection<F>, group: readonly F[], event: EventRow): F[] {
  if (group.some((fact) => fact.lastEventId >= event.id)) return [];
  return projection.reduce(group, event);
}

/** For projections with one fact per group: the reducer sees the fact or null. */
export function oneFact<F>(apply: (fact: F | null, event: EventRow) => F | null) {
  return (group: readonly F[], event: EventRow): F[] => {
    const next = apply(group[0] ?? null, event);
    return next && next !== group[0] ? [next] : [];
  };
}

export const iso = (value: unknown): string | null => (value ? new Date(value as string).toISOString() : null);
export const date = (value: unknown): string | null => (value ? (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10)) : null);

import type { EventRow } from '../../src/modules/reporting/domain/projection';

/** Event rows for the reducers' unit tests: ids count up, times are minutes after 09:00 JST. */
export function history() {
  let id = 0;
  return (type: string, fields: Partial<EventRow> & { minute?: number } = {}): EventRow => {
    id += 1;
    const { minute = id, ...rest } = fields;
    return { id, aggregateType: 'Case', aggregateId: 'agg', caseId: 'case-1', type, payload: {}, occurredAt: new Date(Date.UTC(2026, 10, 2, 0, minute)).toISOString(), ...rest };
  };
}

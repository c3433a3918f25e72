import type { paths } from '../api/api';

/** The audit search's filters (kept in the URL); the route validates them without loading the audit pages. */
export type AuditFilter = Omit<NonNullable<paths['/api/v1/audit/entries']['get']['parameters']['query']>, 'cursor' | 'limit'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ACTION = /^[a-z][a-z0-9_.-]{0,99}$/;

/** The filters live in the URL (`/audit?personId=…`), so a search can be linked to (an anomaly's actor, a row's person). */
export function auditSearch(search: Record<string, unknown>): AuditFilter {
  const valid = (name: keyof AuditFilter, pattern: RegExp) => (typeof search[name] === 'string' && pattern.test(search[name]) ? { [name]: search[name] } : {});
  return { ...valid('actorId', UUID), ...valid('action', ACTION), ...valid('personId', UUID), ...valid('from', DATE), ...valid('to', DATE) };
}

export function auditPersonSearch(search: Record<string, unknown>): { personId?: string } {
  return typeof search.personId === 'string' && UUID.test(search.personId) ? { personId: search.personId } : {};
}

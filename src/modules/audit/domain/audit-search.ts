import { z } from 'zod';
import { LEGAL_BASIS_CODES } from './legal-basis';
import { AUDIT_OUTCOME_LABELS } from './audit-entry';
import { isoDate, isoDateTime } from '../../../platform/http/input';
import { Keyset, pageParams } from '../../../platform/http/api-contract/paging';

export const instant = z.union([isoDateTime, isoDate]);

/** Filters an auditor searches and exports the log by. */
export const auditFilterSchema = z.strictObject({
  personId: z.uuid().optional(),
  actorId: z.uuid().optional(),
  departmentId: z.uuid().optional(),
  action: z.string().min(1).max(100).optional(),
  legalBasis: z.enum(LEGAL_BASIS_CODES as [string, ...string[]]).optional(),
  outcome: z.enum(AUDIT_OUTCOME_LABELS.codes).optional(),
  from: instant.optional(),
  to: instant.optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** A search: the filters, one page of them, newest first. */
export const auditSearchSchema = auditFilterSchema.extend(pageParams);
export type AuditSearch = z.infer<typeof auditSearchSchema>;

/**
 * Newest first by insert number (every row has one, sealed or not): entries written while an auditor
 * pages (their own searches among them) land before the first page.
 */
export const AUDIT_ENTRY_ORDER = new Keyset<Record<string, unknown>>('audit-entries', { id: 'id' }, { desc: true });

/**
 * The WHERE clause for a search, with its parameters. Dates are Japan dates: `to` as a date includes
 * the whole day. Every filter is a column the indexes lead with or a cheap residual.
 */
export function auditWhere(search: AuditFilter): { sql: string; params: unknown[] } {
  const clauses = ['tenant_id = app_current_tenant()'];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    clauses.push(clause);
  };
  // A person's rows include those of records merged into it (名寄せ): the log itself is never rewritten.
  if (search.personId) add('person_id = any(person_aliases(?::uuid))', search.personId);
  if (search.actorId) add('actor_id = ?', search.actorId);
  if (search.departmentId) add('actor_department_id = ?', search.departmentId);
  if (search.action) add('action = ?', search.action);
  if (search.legalBasis) add('legal_basis = ?', search.legalBasis);
  if (search.outcome) add('outcome = ?', search.outcome);
  if (search.from) add('occurred_at >= ?', toInstant(search.from, 'start'));
  if (search.to) add('occurred_at < ?', toInstant(search.to, 'end'));
  return { sql: clauses.join(' and '), params };
}

export function toInstant(value: string, edge: 'start' | 'end'): string {
  if (value.includes('T')) return value;
  const day = new Date(`${value}T00:00:00+09:00`);
  return new Date(day.getTime() + (edge === 'end' ? 86_400_000 : 0)).toISOString();
}

/** node-postgres wants $1, $2 …; the ORM wants ? — the search is written once, with ?. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export const AUDIT_COLUMNS = [
  'id',
  'seq',
  'occurred_at',
  'request_id',
  'actor_type',
  'actor_id',
  'actor_roles',
  'actor_department_id',
  'action',
  'subject_type',
  'subject_id',
  'person_id',
  'legal_basis',
  'outcome',
] as const;

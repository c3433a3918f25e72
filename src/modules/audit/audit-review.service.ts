import { Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { Response } from 'express';
import Cursor from 'pg-cursor';
import type { Pool } from 'pg';
import { pipeline } from 'node:stream/promises';
import { csvStream, type CsvCell } from '../../platform/http/csv';
import { ROLE_LABELS } from '../directory/domain/staff.entity';
import { AuditSigner } from './audit-signer';
import { ACTOR_TYPE_LABELS, AUDIT_OUTCOME_LABELS, type AuditOutcome } from './domain/audit-entry';
import { auditActionText } from './domain/audit-actions';
import { LEGAL_BASIS_LABELS, type LegalBasis } from './domain/legal-basis';
import { CHECKPOINT_TYPE, type Checkpoint } from './checkpoints/checkpoint-store';
import { AUDIT_COLUMNS, AUDIT_ENTRY_ORDER, auditWhere, numbered, type AuditFilter, type AuditSearch } from './domain/audit-search';
import { Keyset, pageParams } from '../../platform/http/api-contract/paging';
import { z } from 'zod';

const EXPORT_BATCH = 1000;

const sectionCursor = (section: string) => pageParams.cursor.describe(`Where ${section} go on: their \`next\` (opaque); absent for their first page`);

/** One page size for the report's three sections, each with its own cursor. */
export const personReportQuery = z.strictObject({
  limit: pageParams.limit,
  readsCursor: sectionCursor('reads'),
  disclosuresCursor: sectionCursor('disclosures'),
  provisionsCursor: sectionCursor('provisions'),
});
export type PersonReportQuery = z.infer<typeof personReportQuery>;

// Oldest first. Disclosure and provision times may come from the database's clock (µs): the key keeps them as text, whole.
const PERSON_READ_ORDER = new Keyset<Record<string, unknown>>('person-audit-reads', { id: 'a.id' });
const DISCLOSURE_ORDER = new Keyset<Record<string, unknown>>('person-disclosures', { created_key: 'created_at', id: 'id' });
const PROVISION_ORDER = new Keyset<Record<string, unknown>>('person-provisions', { created_key: 'v.created_at', id: 'v.id' });

/** The driver answers timestamptz as Postgres' text (`2026-11-27 14:08:13.3+00`) or a Date; the API answers ISO 8601. */
const iso = (value: unknown) => (value instanceof Date ? value : new Date(String(value))).toISOString();

/** Who acted, by the directory's display name (staff or supporter); null for the system. */
const ACTOR_NAME = `coalesce((select s.display_name from staff s where s.id = audit_log.actor_id), (select p.display_name from supporters p where p.id = audit_log.actor_id)) as actor_name`;

/** A log row in the API's words (camelCase, ISO time), without its detail. */
function entryView(r: Record<string, unknown>) {
  return {
    id: Number(r.id),
    seq: r.seq === null ? null : Number(r.seq),
    occurredAt: iso(r.occurred_at),
    requestId: (r.request_id as string | null) ?? null,
    actorType: r.actor_type as (typeof ACTOR_TYPE_LABELS.codes)[number],
    actorId: (r.actor_id as string | null) ?? null,
    actorRoles: (r.actor_roles as string[] | null) ?? [],
    actorDepartmentId: (r.actor_department_id as string | null) ?? null,
    action: r.action as string,
    subjectType: r.subject_type as string,
    subjectId: (r.subject_id as string | null) ?? null,
    personId: (r.person_id as string | null) ?? null,
    legalBasis: (r.legal_basis as LegalBasis | null) ?? null,
    outcome: r.outcome as AuditOutcome,
  };
}

/** What auditors do with the log: search it, export it, follow a person through it, and check the signed checkpoints they keep. */
@Injectable()
export class AuditReview {
  constructor(
    private readonly orm: MikroORM,
    private readonly signer: AuditSigner,
  ) {}

  /** Newest first, by keyset on the insert number: as fast on page 1000 as on page 1, and unsealed rows included. */
  async search(em: EntityManager, search: AuditSearch) {
    const { sql, params } = auditWhere(search);
    const after = AUDIT_ENTRY_ORDER.sql(AUDIT_ENTRY_ORDER.decode(search.cursor));
    const rows = await em.execute<Record<string, unknown>[]>(
      // Who acted by name (the directory's display name), looked up only for the page's rows.
      `select ${AUDIT_COLUMNS.join(', ')}, detail, ${ACTOR_NAME} from audit_log where ${sql} and ${after.text} order by ${AUDIT_ENTRY_ORDER.sqlOrder} limit ?`,
      [...params, ...after.params, search.limit + 1],
    );
    return AUDIT_ENTRY_ORDER.page(rows.map((r) => ({ ...r, id: Number(r.id) })), search.limit, (r) => ({
      ...entryView(r),
      actorName: (r.actor_name as string | null) ?? null,
      detail: r.detail as Record<string, unknown>,
    }));
  }

  /**
   * Streams the matching rows as CSV through a cursor: a year's log leaves in bounded memory. Japanese
   * headers and values, Japan time, the actor's and department's names beside their ids, and the
   * action's label beside its code (the code is what `action=` searches by).
   */
  async exportCsv(tenantId: string, search: AuditFilter, res: Response): Promise<number> {
    const pool = (await this.orm.em.getConnection().getNativeClient()) as Pool;
    const client = await pool.connect();
    let count = 0;
    try {
      await client.query('begin read only');
      await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      // Roles are kept as `role@department code`; a tenant has few departments, read once.
      const departments = await client.query<{ code: string; name: string }>(`select code, name from departments where tenant_id = $1`, [tenantId]);
      const departmentNames = new Map(departments.rows.map((d) => [d.code, d.name]));
      const { sql, params } = auditWhere(search);
      const cursor = client.query(
        new Cursor(
          numbered(
            `select a.*, coalesce(s.display_name, p.display_name) as actor_name, d.name as department_name
               from (select ${AUDIT_COLUMNS.join(', ')}, hash from audit_log where ${sql}) a
               left join staff s on s.id = a.actor_id
               left join supporters p on p.id = a.actor_id
               left join departments d on d.id = a.actor_department_id
              order by a.id`,
          ),
          params,
        ),
      );
      async function* rows() {
        for (;;) {
          const batch: Record<string, unknown>[] = await cursor.read(EXPORT_BATCH);
          if (batch.length === 0) return;
          count += batch.length;
          yield* batch.map((row) => exportRow(row, departmentNames));
        }
      }
      res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="audit-log.csv"');
      await pipeline(csvStream(EXPORT_HEADERS, rows()), res);
      await cursor.close();
      await client.query('commit');
      return count;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * "Who saw this person's data, when, and on what basis" — reads, shares and roster provisions, each paged
   * oldest first. Reads follow merges (名寄せ): rows naming a record merged into this one count as its own.
   */
  async personReport(em: EntityManager, personId: string, query: PersonReportQuery) {
    const page = async <Row extends object, Item>(order: Keyset<Row>, cursor: string | undefined, select: (after: string) => string, view: (row: Row) => Item) => {
      const after = order.sql(order.decode(cursor));
      const rows = await em.execute<Row[]>(`${select(after.text)} order by ${order.sqlOrder} limit ?`, [personId, ...after.params, query.limit + 1]);
      return order.page(rows, query.limit, view);
    };
    const reads = await page(
      PERSON_READ_ORDER,
      query.readsCursor,
      (after) => `select ${AUDIT_COLUMNS.map((c) => `a.${c}`).join(', ')}, coalesce(s.display_name, p.display_name) as actor_name
         from audit_log a
         left join staff s on s.id = a.actor_id
         left join supporters p on p.id = a.actor_id
        where a.tenant_id = app_current_tenant() and a.person_id = any(person_aliases(?::uuid)) and ${after}`,
      (r: Record<string, unknown>) => {
        const { personId: _person, ...entry } = entryView(r);
        return { ...entry, actorName: (r.actor_name as string | null) ?? null };
      },
    );
    const disclosures = await page(
      DISCLOSURE_ORDER,
      query.disclosuresCursor,
      (after) => `select id, created_at, created_at::text as created_key, subject_type, subject_version, fields, recipient_type, recipient_id, legal_basis, reason, disclosed_by, approved_by, approved_at
         from disclosures where person_id = ? and ${after}`,
      (r: Record<string, unknown>) => ({
        id: r.id as string,
        createdAt: iso(r.created_at),
        subjectType: r.subject_type as string,
        subjectVersion: Number(r.subject_version),
        fields: r.fields as string[],
        recipientType: r.recipient_type as string,
        recipientId: r.recipient_id as string,
        legalBasis: r.legal_basis as string,
        reason: (r.reason as string | null) ?? null,
        disclosedBy: r.disclosed_by as string,
        approvedBy: (r.approved_by as string | null) ?? null,
        approvedAt: r.approved_at ? iso(r.approved_at) : null,
      }),
    );
    const provisions = await page(
      PROVISION_ORDER,
      query.provisionsCursor,
      (after) => `select v.id, v.created_at, v.created_at::text as created_key, v.kind, v.basis, v.disaster_id, v.receipt_number, v.supporter_id, s.display_name as supporter_name, s.organization_name
         from provisions v join supporters s on s.id = v.supporter_id where ? = any(v.person_ids) and ${after}`,
      (r: Record<string, unknown>) => ({
        id: r.id as string,
        createdAt: iso(r.created_at),
        kind: r.kind as 'roster_view' | 'roster_download' | 'plans',
        basis: r.basis as string,
        disasterId: (r.disaster_id as string | null) ?? null,
        receiptNumber: r.receipt_number as string,
        supporterId: r.supporter_id as string,
        supporterName: (r.supporter_name as string | null) ?? null,
        organizationName: r.organization_name as string,
      }),
    );
    return { personId, reads, disclosures, provisions };
  }

  /** Checks a kept checkpoint: our signature, and the row it names still has the hash it had. */
  async verifyCheckpoint(em: EntityManager, tenantId: string, checkpoint: string) {
    const payload = await this.signer.open<Checkpoint>(checkpoint, CHECKPOINT_TYPE);
    if (!payload) return { signatureValid: false, matches: false };
    if (payload.tid !== tenantId) return { signatureValid: true, matches: false, reason: 'other_tenant' };
    const [row] = await em.execute<{ hash: string }[]>(`select hash from audit_log where tenant_id = app_current_tenant() and seq = ?`, [payload.seq]);
    return { signatureValid: true, matches: row?.hash === payload.hash, seq: payload.seq, at: payload.at, reason: row ? (row.hash === payload.hash ? null : 'altered') : 'missing' };
  }
}

const EXPORT_HEADERS = ['番号', '日時', 'リクエストID', '操作者の種別', '操作者ID', '操作者', '役割', '所属課ID', '所属課', '操作', '操作コード', '対象の種別', '対象ID', '本人ID', '法的根拠', '結果', 'ハッシュ'];

/** `counselor@choju` → `相談員@長寿課`: both halves as people name them. */
function roleText(held: string, departmentNames: ReadonlyMap<string, string>): string {
  const [role, department] = held.split('@');
  const named = ROLE_LABELS.label(role, 'ja');
  return department === undefined ? named : `${named}@${departmentNames.get(department) ?? department}`;
}

function exportRow(r: Record<string, unknown>, departmentNames: ReadonlyMap<string, string>): CsvCell[] {
  const roles = (r.actor_roles as string[] | null) ?? [];
  return [
    r.seq === null ? null : Number(r.seq),
    // The driver answers timestamptz as Postgres' text (`2026-11-27 14:08:13.3+00`), which Date reads.
    r.occurred_at instanceof Date ? r.occurred_at : new Date(String(r.occurred_at)),
    r.request_id as string | null,
    ACTOR_TYPE_LABELS.label(r.actor_type, 'ja'),
    r.actor_id as string | null,
    r.actor_name as string | null,
    roles.map((held) => roleText(held, departmentNames)),
    r.actor_department_id as string | null,
    r.department_name as string | null,
    auditActionText(r.action as string, 'ja'),
    r.action as string,
    r.subject_type as string,
    r.subject_id as string | null,
    r.person_id as string | null,
    r.legal_basis ? LEGAL_BASIS_LABELS.label(r.legal_basis, 'ja') : null,
    AUDIT_OUTCOME_LABELS.label(r.outcome, 'ja'),
    r.hash as string,
  ];
}

import { Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { Response } from 'express';
import Cursor from 'pg-cursor';
import type { Pool } from 'pg';
import { pipeline } from 'node:stream/promises';
import { csvStream, type CsvCell } from '../../platform/http/csv';
import { ROLE_LABELS } from '../directory/domain/staff.entity';
import { AuditSigner } from './audit-signer';
import { ACTOR_TYPE_LABELS, AUDIT_OUTCOME_LABELS } from './domain/audit-entry';
import { LEGAL_BASIS_LABELS } from './domain/legal-basis';
import { CHECKPOINT_TYPE, type Checkpoint } from './checkpoints/checkpoint-store';
import { AUDIT_COLUMNS, auditWhere, numbered, type AuditSearch } from './domain/audit-search';

const EXPORT_BATCH = 1000;

/** What auditors do with the log: search it, export it, follow a person through it, and check the signed checkpoints they keep. */
@Injectable()
export class AuditReview {
  constructor(
    private readonly orm: MikroORM,
    private readonly signer: AuditSigner,
  ) {}

  /** Newest first, by keyset on the sequence number: as fast on page 1000 as on page 1. */
  async search(em: EntityManager, search: AuditSearch) {
    const { sql, params } = auditWhere(search);
    const rows = await em.execute<Record<string, unknown>[]>(`select ${AUDIT_COLUMNS.join(', ')}, detail from audit_log where ${sql} order by seq desc limit ?`, [...params, search.limit + 1]);
    const page = rows.slice(0, search.limit).map((r) => ({ ...r, seq: Number(r.seq) }));
    return { entries: page, nextBefore: rows.length > search.limit ? page[page.length - 1].seq : null };
  }

  /**
   * Streams the matching rows as CSV through a cursor: a year's log leaves in bounded memory. Japanese
   * headers and values, Japan time, and the actor's and department's names beside their ids.
   */
  async exportCsv(tenantId: string, search: Omit<AuditSearch, 'limit'>, res: Response): Promise<number> {
    const pool = (await this.orm.em.getConnection().getNativeClient()) as Pool;
    const client = await pool.connect();
    let count = 0;
    try {
      await client.query('begin read only');
      await client.query(`select set_config('app.tenant_id', $1, true)`, [tenantId]);
      const { sql, params } = auditWhere(search);
      const cursor = client.query(
        new Cursor(
          numbered(
            `select a.*, coalesce(s.display_name, p.display_name) as actor_name, d.name as department_name
               from (select ${AUDIT_COLUMNS.join(', ')}, hash from audit_log where ${sql}) a
               left join staff s on s.id = a.actor_id
               left join supporters p on p.id = a.actor_id
               left join departments d on d.id = a.actor_department_id
              order by a.seq`,
          ),
          params,
        ),
      );
      async function* rows() {
        for (;;) {
          const batch: Record<string, unknown>[] = await cursor.read(EXPORT_BATCH);
          if (batch.length === 0) return;
          count += batch.length;
          yield* batch.map(exportRow);
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

  /** "Who saw this person's data, when, and on what basis" — reads, shares and roster provisions. */
  async personReport(em: EntityManager, personId: string) {
    const reads = await em.execute<Record<string, unknown>[]>(
      `select a.seq, a.occurred_at, a.actor_type, a.actor_id, coalesce(s.display_name, p.display_name) as actor_name, a.actor_roles,
              a.action, a.subject_type, a.subject_id, a.legal_basis, a.outcome, a.request_id
         from audit_log a
         left join staff s on s.id = a.actor_id
         left join supporters p on p.id = a.actor_id
        where a.tenant_id = app_current_tenant() and a.person_id = ? order by a.seq`,
      [personId],
    );
    const disclosures = await em.execute<Record<string, unknown>[]>(
      `select created_at, subject_type, subject_version, fields, recipient_type, recipient_id, legal_basis, reason, disclosed_by from disclosures where person_id = ? order by created_at`,
      [personId],
    );
    const provisions = await em.execute<Record<string, unknown>[]>(
      `select v.created_at, v.kind, v.basis, v.disaster_id, v.receipt_number, v.supporter_id, s.display_name as supporter_name, s.organization_name
         from provisions v join supporters s on s.id = v.supporter_id where ? = any(v.person_ids) order by v.created_at`,
      [personId],
    );
    return { personId, reads: reads.map((r) => ({ ...r, seq: Number(r.seq) })), disclosures, provisions };
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

const EXPORT_HEADERS = ['番号', '日時', 'リクエストID', '操作者の種別', '操作者ID', '操作者', '役割', '所属課ID', '所属課', '操作', '対象の種別', '対象ID', '本人ID', '法的根拠', '結果', 'ハッシュ'];

function exportRow(r: Record<string, unknown>): CsvCell[] {
  const roles = (r.actor_roles as string[] | null) ?? [];
  return [
    Number(r.seq),
    // The driver answers timestamptz as Postgres' text (`2026-11-27 14:08:13.3+00`), which Date reads.
    r.occurred_at instanceof Date ? r.occurred_at : new Date(String(r.occurred_at)),
    r.request_id as string | null,
    ACTOR_TYPE_LABELS.label(r.actor_type, 'ja'),
    r.actor_id as string | null,
    r.actor_name as string | null,
    // Roles are kept as `role@department`: the role is labelled, the department code stays.
    roles.map((held) => held.replace(/^[^@]+/, (role) => ROLE_LABELS.label(role, 'ja'))),
    r.actor_department_id as string | null,
    r.department_name as string | null,
    r.action as string,
    r.subject_type as string,
    r.subject_id as string | null,
    r.person_id as string | null,
    r.legal_basis ? LEGAL_BASIS_LABELS.label(r.legal_basis, 'ja') : null,
    AUDIT_OUTCOME_LABELS.label(r.outcome, 'ja'),
    r.hash as string,
  ];
}

import { Inject, Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { RowInsert } from '../../platform/workflow/versioned-write';
import { AppendedAuditRows } from './appended-rows';
import { AuditSealer } from './audit-sealer';
import { CheckpointCheck, type CheckpointFinding } from './checkpoints/checkpoint-check';
import type { AuditContext, AuditEntry } from './domain/audit-entry';
import { checkChainInParallel } from './verification/parallel-chain-check';

export interface ChainVerification extends CheckpointFinding {
  ok: boolean;
  checked: number;
  /**
   * First sequence number where the chain breaks: an altered, missing or re-linked row; the log ending
   * before its newest checkpoint (truncated); or, for a log rewritten and re-hashed (rewritten), the
   * first entry after the last checkpoint it still matches.
   */
  brokenAtSeq: number | null;
  /** Rows committed but not in the chain yet when it was checked (they are sealed moments after their commit). */
  unsealed: { count: number; oldestAt: string | null };
}

/**
 * The audit log is append-only and hash-chained per tenant. A row is written inside the caller's
 * transaction, so it exists exactly when the change or read it records does; it is written unsealed
 * (an insert number and its time, given by the database) and the tenant's sealer gives it its place
 * in the chain, its link and its hash once it has committed (see the audit-sealing migration).
 */
/** What every audit row is written with: the sealer gives it its `seq` and hashes later. */
const AUDIT_COLUMNS = [
  ...['tenant_id', 'request_id', 'actor_type', 'actor_id', 'actor_roles', 'actor_department_id'],
  ...['action', 'subject_type', 'subject_id', 'person_id', 'legal_basis', 'outcome', 'detail', 'seq', 'occurred_at', 'prev_hash', 'hash'],
];

@Injectable()
export class AuditLog {
  constructor(
    private readonly checkpoints: CheckpointCheck,
    private readonly appended: AppendedAuditRows,
    private readonly sealer: AuditSealer,
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async append(em: EntityManager, context: AuditContext, entry: AuditEntry): Promise<void> {
    const row = this.row(em, context, entry);
    await em.execute(`insert into audit_log (${row.columns.join(', ')}) values (${row.values})`, [...row.params], 'run');
  }

  /**
   * The row `append` writes, for a statement that writes it beside its change (`writeVersionedChange`):
   * it must run in `em`'s transaction, which then wakes the sealer when it commits.
   */
  row(em: EntityManager, context: AuditContext, entry: AuditEntry): RowInsert {
    this.appended.note(em, context.tenantId);
    return {
      table: 'audit_log',
      columns: AUDIT_COLUMNS,
      values: `?::uuid, ?::text, ?::text, ?::uuid, array(select jsonb_array_elements_text(?::jsonb)), ?::uuid, ?::text, ?::text, ?::text, ?::uuid, ?::text, ?::text, ?::jsonb, 0, now(), '', ''`,
      params: [
        context.tenantId,
        context.requestId,
        context.actor.type,
        context.actor.id,
        JSON.stringify(context.actor.roles),
        context.actor.departmentId,
        entry.action,
        entry.subjectType,
        entry.subjectId ?? null,
        entry.personId ?? null,
        entry.legalBasis ?? null,
        entry.outcome,
        JSON.stringify(entry.detail ?? {}),
      ],
    };
  }

  /**
   * Many rows of one context in one statement, chained in the order given: for set-wise work (an
   * import) that must stay linear in its rows. The database chains them exactly as `append` does.
   */
  async appendMany(em: EntityManager, context: AuditContext, entries: readonly AuditEntry[]): Promise<void> {
    if (!entries.length) return;
    const rows = entries.map((e, n) => ({ n, a: e.action, st: e.subjectType, s: e.subjectId ?? null, p: e.personId ?? null, b: e.legalBasis ?? null, o: e.outcome, d: e.detail ?? {} }));
    await em.execute(
      `insert into audit_log (${AUDIT_COLUMNS.join(', ')})
       select ?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, e.a, e.st, e.s, e.p, e.b, e.o, e.d, 0, now(), '', ''
         from jsonb_to_recordset(?::jsonb) as e(a text, st text, s text, p uuid, b text, o text, d jsonb, n bigint)
        order by e.n`,
      [context.tenantId, context.requestId, context.actor.type, context.actor.id, JSON.stringify(context.actor.roles), context.actor.departmentId, JSON.stringify(rows)],
      'run',
    );
    this.appended.note(em, context.tenantId, entries.length);
  }

  /**
   * Seals what has committed, recomputes the tenant's chain in the database, then holds it against the
   * signed checkpoints kept outside it, which catch what a re-hashed chain hides; reports the first break.
   */
  async verify(em: EntityManager, tenantId: string): Promise<ChainVerification> {
    await this.sealer.seal(tenantId);
    const unsealed = await unsealedRows(em);
    const chain = this.config.auditSealing.verifyWorkers > 0 ? await this.checkInNode(em, tenantId) : await checkInSql(em);
    const pinned = await this.checkpoints.confirm(em, tenantId, chain.checked);
    if (!chain.reason) return { ok: pinned.reason === null, checked: chain.checked, ...pinned, unsealed };
    return { ok: false, checked: chain.checked, ...pinned, brokenAtSeq: chain.brokenAtSeq, reason: chain.reason, unsealed };
  }

  /**
   * Entries `from`..`to` of the tenant's sealed chain (links, gaps, hashes; not the head): streamed and
   * hashed by worker threads, or in SQL when AUDIT_VERIFY_WORKERS=0. Verification jobs check their
   * chunks with it too.
   */
  async checkRange(em: EntityManager, tenantId: string, from: number, to: number): Promise<ChainCheck> {
    const workers = this.config.auditSealing.verifyWorkers;
    if (workers === 0) return checkRangeInSql(em, from, to);
    const url = this.orm.config.get('clientUrl')!;
    const { checked, broken } = await checkChainInParallel({ url, tenantId, from, to, workers });
    return { checked, brokenAtSeq: broken?.seq ?? null, reason: broken?.reason ?? null };
  }

  /**
   * What `audit_verify()` does, with the rows streamed and hashed by worker threads: the whole sealed
   * chain, then the head the sealer keeps (read with the count and end in one snapshot) must agree.
   */
  private async checkInNode(em: EntityManager, tenantId: string): Promise<ChainCheck> {
    const [end] = await em.execute<{ head_seq: string | null; head_hash: string | null; total: string; last_seq: string }[]>('select * from audit_chain_end()');
    const checked = Number(end.total);
    const range = await this.checkRange(em, tenantId, 1, Number(end.last_seq));
    if (range.reason) return { ...range, checked };
    if (end.head_seq === null) return { checked, brokenAtSeq: null, reason: null };
    if (Number(end.head_seq) !== checked) return { checked, brokenAtSeq: checked + 1, reason: 'truncated' };
    const [last] = await em.execute<{ hash: string }[]>('select hash from audit_log where tenant_id = app_current_tenant() and seq = ?', [checked]);
    if (checked > 0 && last?.hash !== end.head_hash) return { checked, brokenAtSeq: checked, reason: 'altered' };
    return { checked, brokenAtSeq: null, reason: null };
  }
}

type ChainCheck = { checked: number } & Pick<ChainVerification, 'brokenAtSeq' | 'reason'>;

/** Entries `from`..`to` of the caller's tenant as `audit_verify_range` checks them, in SQL. */
async function checkRangeInSql(em: EntityManager, from: number, to: number): Promise<ChainCheck> {
  const [row] = await em.execute<{ checked: string; broken_at_seq: string | null; reason: ChainVerification['reason'] }[]>('select * from audit_verify_range(?, ?)', [from, to]);
  return { checked: Number(row.checked), brokenAtSeq: row.broken_at_seq === null ? null : Number(row.broken_at_seq), reason: row.reason };
}

/** The same check in one SQL function (AUDIT_VERIFY_WORKERS=0). */
async function checkInSql(em: EntityManager): Promise<ChainCheck> {
  const [row] = await em.execute<{ checked: string; broken_at_seq: string | null; reason: ChainVerification['reason'] }[]>('select * from audit_verify()');
  return { checked: Number(row.checked), brokenAtSeq: row.broken_at_seq === null ? null : Number(row.broken_at_seq), reason: row.reason };
}

/** The tenant's rows not sealed yet: how many, and since when the oldest waits. */
export async function unsealedRows(em: EntityManager): Promise<ChainVerification['unsealed']> {
  const [row] = await em.execute<{ count: string; oldest: Date | null }[]>(`select count(*) as count, min(occurred_at) as oldest from audit_log where tenant_id = app_current_tenant() and seq is null`);
  return { count: Number(row.count), oldestAt: row.oldest ? new Date(row.oldest).toISOString() : null };
}

/**
 * How seed:large writes audit rows, in one place: sealed in Node, in chain order, and streamed into
 * `audit_log` with COPY FROM STDIN (behind the triggers, so the caller's transaction must have
 * `session_replication_role = replica`). The canonical text and hash follow the SQL `audit_canonical` /
 * `audit_hash` of the chain on main (a jsonb array's text form, SHA-256 in hex); `checkSealed` has the
 * database recompute the hashes of what was written, so a drift between the two fails the seed at
 * once instead of leaving a chain that does not verify. Since the service appends rows unsealed and
 * one sealer per tenant chains them, the seed writes rows already sealed (seq, prev_hash, hash) and
 * lets the default take `id` (the insert number, outside the hash), so insert order is chain order;
 * the chain head moves with them, and rows the service appended unsealed before are sealed after
 * them. When the chain's design changes, only this file changes.
 */
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** What a seeded row says; the chain's own columns (seq, time, hashes) are filled in here. */
export interface SeedAuditRow {
  /** A staff member (a counselor by default) or, with a null id, the system (its sweeps). */
  actorId: string | null;
  actorRoles?: string[];
  actorDepartmentId?: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  personId: string | null;
  legalBasis?: string | null;
  detail?: Record<string, unknown>;
}

const COLUMNS = 'tenant_id, seq, occurred_at, actor_type, actor_id, actor_roles, actor_department_id, action, subject_type, subject_id, person_id, legal_basis, outcome, detail, prev_hash, hash';
const ROLES = ['counselor'];

export class SeedAuditChain {
  private constructor(
    private readonly tenant: string,
    private lastSeq: number,
    private lastHash: string,
    /** Microseconds since the epoch of the next row: strictly increasing, like clock_timestamp(). */
    private clock: number,
  ) {}

  /** Locks the tenant's chain head for the caller's transaction and continues from it. */
  static async open(client: pg.Client, tenant: string): Promise<SeedAuditChain> {
    await client.query(`insert into audit_chain_heads (tenant_id, last_seq, last_hash) values ($1, 0, repeat('0', 64)) on conflict do nothing`, [tenant]);
    const [head] = (await client.query(`select last_seq::text, last_hash from audit_chain_heads where tenant_id = $1 for update`, [tenant])).rows;
    return new SeedAuditChain(tenant, Number(head.last_seq), head.last_hash, Date.now() * 1000);
  }

  /** Streams the rows into the log, each linked to the one before; returns the range of seq written. */
  async append(client: pg.Client, rows: Iterable<SeedAuditRow>): Promise<{ from: number; to: number }> {
    const from = this.lastSeq + 1;
    const copy = client.query(copyFrom(`copy audit_log (${COLUMNS}) from stdin`));
    await pipeline(Readable.from(this.lines(rows)), copy);
    await client.query(`update audit_chain_heads set last_seq = $2, last_hash = $3 where tenant_id = $1`, [this.tenant, this.lastSeq, this.lastHash]);
    return { from, to: this.lastSeq };
  }

  /** The database's own hash of every row in the range must equal the one written. */
  async checkSealed(client: pg.Client, range: { from: number; to: number }): Promise<void> {
    const [{ wrong }] = (
      await client.query(`select count(*)::int wrong from audit_log a where a.tenant_id = $1 and a.seq between $2 and $3 and a.hash <> audit_hash(a)`, [this.tenant, range.from, range.to])
    ).rows;
    if (wrong > 0) throw new Error(`seed:large's audit hashes differ from audit_hash() on ${wrong} rows: adapt bench/large-seed-audit.ts to the chain's canonical form`);
  }

  /** COPY text lines in chunks of a few thousand rows, so memory stays flat however many rows come. */
  private *lines(rows: Iterable<SeedAuditRow>): Generator<string> {
    let chunk: string[] = [];
    for (const row of rows) {
      const seq = ++this.lastSeq;
      const occurredAt = timestamp(this.clock++);
      const prev = this.lastHash;
      const actorType = row.actorId === null ? 'system' : 'staff';
      const roles = row.actorRoles ?? (row.actorId === null ? [] : ROLES);
      const [department, legalBasis, detail] = [row.actorDepartmentId ?? null, row.legalBasis ?? null, row.detail ?? {}];
      const hash = createHash('sha256')
        .update(jsonbText([this.tenant, seq, occurredAt, null, actorType, row.actorId, roles, department, row.action, row.subjectType, row.subjectId, row.personId, legalBasis, 'allowed', detail, prev]), 'utf8')
        .digest('hex');
      this.lastHash = hash;
      chunk.push(
        [this.tenant, seq, occurredAt, actorType, copyText(row.actorId), `{${roles.join(',')}}`, copyText(department), row.action, row.subjectType, copyText(row.subjectId), copyText(row.personId), copyText(legalBasis), 'allowed', copyText(JSON.stringify(detail)), prev, hash].join('\t'),
      );
      if (chunk.length === 5000) {
        yield chunk.join('\n') + '\n';
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk.join('\n') + '\n';
  }
}

/** PostgreSQL's `to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` of a time in microseconds. */
function timestamp(micros: number): string {
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
}

/** jsonb's text output: ", " between elements, ": " after keys, keys shorter first then bytewise, JSON string escapes. */
export function jsonbText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
  const keys = Object.keys(value as object).sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `{${keys.map((k) => `${JSON.stringify(k)}: ${jsonbText((value as Record<string, unknown>)[k])}`).join(', ')}}`;
}

function copyText(value: string | null): string {
  if (value === null) return '\\N';
  if (/[\t\n\r\\]/.test(value)) throw new Error(`seed audit value needs COPY escaping: ${value}`);
  return value;
}

import { createHash } from 'node:crypto';

/**
 * A sealed row as the verifier streams it: every column the hash covers, as text, in the order of
 * `audit_canonical` (foundation migration). The database renders what only it renders the same way
 * (the time, the roles and the detail as jsonb text); Node assembles the array and hashes it.
 */
export const CHAIN_ROW_SQL = `select seq::text, tenant_id::text,
    to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), request_id, actor_type, actor_id::text,
    to_jsonb(actor_roles)::text, actor_department_id::text, action, subject_type, subject_id, person_id::text,
    legal_basis, outcome, detail::text, prev_hash, hash
  from audit_log a where a.tenant_id = app_current_tenant() and a.seq between $1 and $2 order by a.seq`;

/** [seq, tenant, at, request, actorType, actor, roles (json), department, action, subjectType, subject, person, basis, outcome, detail (json), prevHash, hash] */
export type ChainRow = (string | null)[];

const ZERO_HASH = '0'.repeat(64);

/** A JSON string or null, escaped as PostgreSQL's jsonb output escapes it (the same set JSON.stringify escapes). */
const str = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));
/** The same for text that never needs escaping: uuids, times, hex hashes, and codes the table's checks restrict. */
const plain = (value: string | null) => (value === null ? 'null' : `"${value}"`);

/** `audit_hash(row)`: sha256 over `jsonb_build_array(...)::text`, whose elements jsonb prints separated by ", ". */
export function rowHash(r: ChainRow): string {
  const text = `[${plain(r[1])}, ${r[0]}, ${plain(r[2])}, ${str(r[3])}, ${plain(r[4])}, ${plain(r[5])}, ${r[6]}, ${plain(r[7])}, ${str(r[8])}, ${str(r[9])}, ${str(r[10])}, ${plain(r[11])}, ${plain(r[12])}, ${plain(r[13])}, ${r[14]}, ${plain(r[15])}]`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export type BreakReason = 'missing' | 'altered' | 'relinked';

export interface SegmentResult {
  checked: number;
  broken: { seq: number; reason: BreakReason } | null;
}

/**
 * Checks entries `from`..`to` as `audit_verify_range` does: rows arrive in order from `from - 1` (the
 * row before the range, whose hash the first one must link to); per row a gap counts first, then an
 * altered hash, then a broken link; the first break wins, and a range ending early is missing its tail.
 */
export class SegmentCheck {
  private prevSeq: number | null = null;
  private prevHash: string | null = null;
  private checked = 0;
  private broken: SegmentResult['broken'] = null;
  private readonly windowStart: number;

  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {
    this.windowStart = Math.max(from - 1, 1);
  }

  /** Takes the next row; false once a break is found (the rest need not come). */
  add(r: ChainRow): boolean {
    const seq = Number(r[0]);
    const hash = r[16];
    if (seq >= this.from) {
      this.checked++;
      const expected = this.prevSeq === null ? this.windowStart : this.prevSeq + 1;
      if (seq !== expected) this.broken = { seq: expected, reason: 'missing' };
      else if (hash !== rowHash(r)) this.broken = { seq, reason: 'altered' };
      else if (r[15] !== (this.prevHash ?? ZERO_HASH)) this.broken = { seq, reason: 'relinked' };
    }
    this.prevSeq = seq;
    this.prevHash = hash;
    return this.broken === null;
  }

  result(): SegmentResult {
    const last = this.prevSeq ?? this.from - 1;
    if (!this.broken && last < this.to) this.broken = { seq: Math.max(last, this.from - 1) + 1, reason: 'missing' };
    return { checked: this.checked, broken: this.broken };
  }
}

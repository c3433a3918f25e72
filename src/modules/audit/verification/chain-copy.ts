import { hash } from 'node:crypto';
import type { SegmentCheck } from './chain-rows';

/**
 * A segment of the sealed chain as the verifier streams it: `COPY … TO STDOUT (FORMAT binary)`, every
 * column the hash covers in the order of `audit_canonical` (foundation migration), then `prev_hash`
 * and `hash`. Binary, because the database then sends uuids, times and arrays as they are stored
 * instead of formatting them (its text output of one row costs more than hashing it), and Node reads
 * the fields in place without making a JS value per column. COPY takes no bind values: both ends are
 * integers checked here.
 */
export function chainCopySql(first: number, last: number): string {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) throw new Error(`chain segment ${first}..${last} is not a range of sequence numbers`);
  return `copy (select seq, tenant_id, occurred_at, request_id, actor_type, actor_id, actor_roles, actor_department_id, action, subject_type,
      subject_id, person_id, legal_basis, outcome, detail, prev_hash, hash
    from audit_log a where a.tenant_id = app_current_tenant() and a.seq between ${first} and ${last} order by a.seq) to stdout (format binary)`;
}

const FIELDS = 17;
const [SEQ, TENANT, AT, REQUEST, ACTOR_TYPE, ACTOR, ROLES, DEPARTMENT, ACTION, SUBJECT_TYPE, SUBJECT, PERSON, BASIS, OUTCOME, DETAIL, PREV_HASH, HASH] = Array.from({ length: FIELDS }, (_, i) => i);
/** "PGCOPY\n\377\r\n\0", flags, header extension length. */
const HEADER = 19;
const HEX = Buffer.from('0123456789abcdef');
const ZERO_HASH = Buffer.from('0'.repeat(64));
const NULL = Buffer.from('null');
/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01). */
const PG_EPOCH_US = 946_684_800_000_000;
const DAY_US = 86_400_000_000;

/**
 * Reads the binary COPY of one segment chunk by chunk (rows may straddle chunks), renders each row's
 * canonical text exactly as `audit_canonical` does (a jsonb array's text: elements separated by ", ",
 * strings escaped as jsonb escapes them) into one reused buffer, hashes it and hands the row's verdict
 * to the segment's check. No string or object is made per row on the usual path.
 */
export class ChainCopyReader {
  /** Rows read so far. */
  rows = 0;
  private pending: Buffer | null = null;
  private headerRead = false;
  private out = Buffer.allocUnsafe(8192);
  private pos = 0;
  private readonly start = new Int32Array(FIELDS);
  private readonly len = new Int32Array(FIELDS);
  /** The previous row's hash (`lastLength` bytes, -1 if null), which this row's `prev_hash` must repeat; zeros before the first row. */
  private lastHash = Buffer.from(ZERO_HASH);
  private lastLength = 64;
  private day = NaN;
  private dayText = Buffer.alloc(11);

  constructor(private readonly check: SegmentCheck) {}

  /** Takes the next chunk of the COPY output; false once the check found a break (the rest need not come). */
  push(chunk: Buffer): boolean {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    if (!this.headerRead) {
      if (data.length < HEADER || data.length < HEADER + data.readInt32BE(15)) return this.keep(data, 0);
      at = HEADER + data.readInt32BE(15);
      this.headerRead = true;
    }
    for (;;) {
      if (at + 2 > data.length) return this.keep(data, at);
      const fields = data.readInt16BE(at);
      if (fields === -1) return this.keep(data, data.length);
      if (fields !== FIELDS) throw new Error(`chain segment: a row of ${fields} columns`);
      let p = at + 2;
      for (let f = 0; f < FIELDS; f++) {
        if (p + 4 > data.length) return this.keep(data, at);
        const n = data.readInt32BE(p);
        p += 4;
        this.start[f] = p;
        this.len[f] = n;
        if (n > 0) p += n;
      }
      if (p > data.length) return this.keep(data, at);
      this.rows++;
      if (!this.row(data, p - at)) {
        this.pending = null;
        return false;
      }
      at = p;
    }
  }

  /** Keeps what is left of `data` from `from` (a row cut by the chunk's end) for the next chunk. */
  private keep(data: Buffer, from: number): boolean {
    this.pending = from < data.length ? Buffer.from(data.subarray(from)) : null;
    return true;
  }

  /** One row: its sequence number, whether its hash is its own and whether it links to the row before. */
  private row(data: Buffer, size: number): boolean {
    const s = this.start[SEQ];
    const seq = data.readInt32BE(s) * 0x1_0000_0000 + data.readUInt32BE(s + 4);
    const altered = !this.hashMatches(data, seq, size);
    const relinked = !this.linksToLast(data);
    const n = (this.lastLength = this.len[HASH]);
    if (n > this.lastHash.length) this.lastHash = Buffer.alloc(n);
    for (let i = 0, h = this.start[HASH]; i < n; i++) this.lastHash[i] = data[h + i];
    return this.check.add(seq, altered, relinked);
  }

  /** A null on either side never links. */
  private linksToLast(data: Buffer): boolean {
    const s = this.start[PREV_HASH];
    const n = this.len[PREV_HASH];
    if (n < 0 || n !== this.lastLength) return false;
    for (let i = 0; i < n; i++) if (data[s + i] !== this.lastHash[i]) return false;
    return true;
  }

  private hashMatches(data: Buffer, seq: number, size: number): boolean {
    // Escaping grows a byte to at most six (\u00XX); the separators and quotes add a little.
    if (this.out.length < size * 6 + 256) this.out = Buffer.allocUnsafe(size * 6 + 256);
    this.pos = 0;
    this.byte(0x5b); // [
    this.uuid(data, TENANT);
    this.comma();
    this.integer(seq);
    this.comma();
    this.time(data);
    this.comma();
    this.text(data, REQUEST);
    this.comma();
    this.text(data, ACTOR_TYPE);
    this.comma();
    this.uuid(data, ACTOR);
    this.comma();
    this.roles(data);
    this.comma();
    this.uuid(data, DEPARTMENT);
    this.comma();
    this.text(data, ACTION);
    this.comma();
    this.text(data, SUBJECT_TYPE);
    this.comma();
    this.text(data, SUBJECT);
    this.comma();
    this.uuid(data, PERSON);
    this.comma();
    this.text(data, BASIS);
    this.comma();
    this.text(data, OUTCOME);
    this.comma();
    this.detail(data);
    this.comma();
    this.text(data, PREV_HASH);
    this.byte(0x5d); // ]
    const hashAt = this.start[HASH];
    if (this.len[HASH] !== 64) return false;
    const digest = hash('sha256', this.out.subarray(0, this.pos), 'buffer');
    for (let i = 0; i < 32; i++) if (data[hashAt + 2 * i] !== HEX[digest[i] >> 4] || data[hashAt + 2 * i + 1] !== HEX[digest[i] & 15]) return false;
    return true;
  }

  private byte(b: number): void {
    this.out[this.pos++] = b;
  }

  private comma(): void {
    this.out[this.pos++] = 0x2c;
    this.out[this.pos++] = 0x20;
  }

  private integer(n: number): void {
    if (n < 0) {
      this.byte(0x2d);
      n = -n;
    }
    let width = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) width++;
    this.digits(n, width);
  }

  private null(): void {
    this.bytes(NULL, 0, 4);
  }

  /** A uuid as PostgreSQL prints it: lowercase 8-4-4-4-12, quoted. */
  private uuid(data: Buffer, f: number): void {
    if (this.len[f] < 0) return this.null();
    const s = this.start[f];
    this.byte(0x22);
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) this.byte(0x2d);
      this.byte(HEX[data[s + i] >> 4]);
      this.byte(HEX[data[s + i] & 15]);
    }
    this.byte(0x22);
  }

  /** `to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, quoted; the date part is kept per day. */
  private time(data: Buffer): void {
    if (this.len[AT] < 0) return this.null();
    const s = this.start[AT];
    const us = data.readInt32BE(s) * 0x1_0000_0000 + data.readUInt32BE(s + 4) + PG_EPOCH_US;
    const day = Math.floor(us / DAY_US);
    if (day !== this.day) {
      this.day = day;
      this.dayText = Buffer.from(`"${new Date(day * 86_400_000).toISOString().slice(0, 10)}T`);
    }
    this.bytes(this.dayText, 0, this.dayText.length);
    let t = us - day * DAY_US;
    const micros = t % 1_000_000;
    t = (t - micros) / 1_000_000;
    this.digits(Math.floor(t / 3600), 2);
    this.byte(0x3a);
    this.digits(Math.floor(t / 60) % 60, 2);
    this.byte(0x3a);
    this.digits(t % 60, 2);
    this.byte(0x2e);
    this.digits(micros, 6);
    this.byte(0x5a);
    this.byte(0x22);
  }

  private digits(n: number, width: number): void {
    for (let i = width - 1; i >= 0; i--, n = Math.floor(n / 10)) this.out[this.pos + i] = 0x30 + (n % 10);
    this.pos += width;
  }

  /** A text column as a jsonb string. */
  private text(data: Buffer, f: number): void {
    if (this.len[f] < 0) return this.null();
    this.string(data, this.start[f], this.len[f]);
  }

  /** Quoted, with the escapes jsonb prints (the same set JSON.stringify makes); other bytes as they are (UTF-8). */
  private string(data: Buffer, s: number, n: number): void {
    const out = this.out;
    let p = this.pos;
    out[p++] = 0x22;
    for (let i = s; i < s + n; i++) {
      const b = data[i];
      if (b < 0x20 || b === 0x22 || b === 0x5c) {
        this.pos += out.write(JSON.stringify(data.toString('utf8', s, s + n)), this.pos, 'utf8');
        return;
      }
      out[p++] = b;
    }
    out[p++] = 0x22;
    this.pos = p;
  }

  /** Copied a byte at a time: for a few dozen bytes cheaper than `Buffer.copy`, which makes a view per call. */
  private bytes(from: Uint8Array, s: number, e: number): void {
    const out = this.out;
    let p = this.pos;
    for (let i = s; i < e; i++) out[p++] = from[i];
    this.pos = p;
  }

  /** `text[]` as jsonb prints it: nested arrays per dimension, strings (or null) separated by ", ". */
  private roles(data: Buffer): void {
    if (this.len[ROLES] < 0) return this.null();
    const s = this.start[ROLES];
    const dims = data.readInt32BE(s);
    let at = s + 12 + 8 * dims;
    if (dims <= 1) {
      // The usual case, without the nesting below: one dimension (or none, an empty array).
      this.byte(0x5b);
      for (let i = 0, size = dims ? data.readInt32BE(s + 12) : 0; i < size; i++) {
        if (i > 0) this.comma();
        const n = data.readInt32BE(at);
        at += 4;
        if (n < 0) this.null();
        else this.string(data, at, n);
        if (n > 0) at += n;
      }
      this.byte(0x5d);
      return;
    }
    const sizes = Array.from({ length: dims }, (_, d) => data.readInt32BE(s + 12 + 8 * d));
    const level = (d: number): void => {
      this.byte(0x5b);
      for (let i = 0; i < (sizes[d] ?? 0); i++) {
        if (i > 0) this.comma();
        if (d + 1 < dims) level(d + 1);
        else {
          const n = data.readInt32BE(at);
          at += 4;
          if (n < 0) this.null();
          else this.string(data, at, n);
          if (n > 0) at += n;
        }
      }
      this.byte(0x5d);
    };
    level(0);
  }

  /** jsonb's binary form is a version byte (1) and its text. */
  private detail(data: Buffer): void {
    if (this.len[DETAIL] < 0) return this.null();
    const s = this.start[DETAIL];
    if (data[s] !== 1) throw new Error(`chain segment: jsonb version ${data[s]}`);
    this.bytes(data, s + 1, s + this.len[DETAIL]);
  }
}

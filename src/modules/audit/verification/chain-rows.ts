export type BreakReason = 'missing' | 'altered' | 'relinked';

export interface SegmentResult {
  checked: number;
  broken: { seq: number; reason: BreakReason } | null;
}

/**
 * Checks entries `from`..`to` as `audit_verify_range` does: rows arrive in order from `from - 1` (the
 * row before the range, whose hash the first one must link to); per row a gap counts first, then an
 * altered hash, then a broken link; the first break wins, and a range ending early is missing its tail.
 * Whether a row's hash is its own and whether it links to the row before, the reader decides
 * (`ChainCopyReader`); the order of the reasons is decided here.
 */
export class SegmentCheck {
  private prevSeq: number | null = null;
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
  add(seq: number, altered: boolean, relinked: boolean): boolean {
    if (seq >= this.from) {
      this.checked++;
      const expected = this.prevSeq === null ? this.windowStart : this.prevSeq + 1;
      if (seq !== expected) this.broken = { seq: expected, reason: 'missing' };
      else if (altered) this.broken = { seq, reason: 'altered' };
      else if (relinked) this.broken = { seq, reason: 'relinked' };
    }
    this.prevSeq = seq;
    return this.broken === null;
  }

  result(): SegmentResult {
    const last = this.prevSeq ?? this.from - 1;
    if (!this.broken && last < this.to) this.broken = { seq: Math.max(last, this.from - 1) + 1, reason: 'missing' };
    return { checked: this.checked, broken: this.broken };
  }
}

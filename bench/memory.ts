/** The highest resident set size of a process seen while a benchmark runs: sampled every 100 ms, plus on demand. */
export class PeakRss {
  private peak = 0;
  private periodPeak = 0;
  private readonly timer = setInterval(() => this.sample(), 100).unref();

  /** `rssOf`: the process's resident set size now, in bytes. */
  constructor(private readonly rssOf: () => number) {}

  sample(): number {
    const now = this.rssOf();
    this.peak = Math.max(this.peak, now);
    this.periodPeak = Math.max(this.periodPeak, now);
    return now;
  }

  /** The peak in MB since the last call (or the start), and starts a new period. */
  period(): number {
    this.sample();
    const mb = Math.round(this.periodPeak / 2 ** 20);
    this.periodPeak = 0;
    return mb;
  }

  /** Stops sampling; the peak in MB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return Math.round(this.peak / 2 ** 20);
  }
}

/** A line for the report: the service's RSS peak beside the 512 MB aim (and the V8 heap limit it ran with, when known). */
export const rssLine = (mb: number, what = 'service RSS peak', heapLimitMb?: number) =>
  `${what}: ${Math.round(mb)} MB (aim < 512 MB)${heapLimitMb ? `; V8 heap limit ${heapLimitMb} MB (MAX_OLD_SPACE_MB + young generation)` : ''}`;

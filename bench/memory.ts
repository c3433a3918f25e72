/** The highest resident set size seen while a benchmark runs: sampled every 100 ms, plus on demand. */
export class PeakRss {
  private peak = process.memoryUsage.rss();
  private readonly timer = setInterval(() => this.sample(), 100).unref();

  constructor(private readonly rssOf: () => number = () => process.memoryUsage.rss()) {}

  private periodPeak = 0;

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

/** A line for the report: the peak beside the 512 MB aim. */
export const rssLine = (mb: number, what = 'service RSS peak') => `${what}: ${mb} MB (aim < 512 MB)`;

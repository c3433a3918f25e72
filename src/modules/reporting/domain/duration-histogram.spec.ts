import { bucketOf, percentileOf, type BucketCount } from './duration-histogram';

function histogramOf(seconds: number[]): BucketCount[] {
  const counts = new Map<number, number>();
  for (const s of seconds) counts.set(bucketOf(s), (counts.get(bucketOf(s)) ?? 0) + 1);
  return [...counts].map(([bucket, n]) => ({ bucket, n }));
}

/** percentile_cont over the raw values, as PostgreSQL computes it. */
function exactPercentile(seconds: number[], p: number): number {
  const sorted = [...seconds].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = sorted[Math.floor(rank)];
  return low + (sorted[Math.ceil(rank)] - low) * (rank - Math.floor(rank));
}

/** A fixed pseudo-random sequence, so a failure can be replayed. */
function* lcg(seed: number) {
  for (let x = seed; ; ) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield x / 2 ** 31;
  }
}

describe('duration histogram', () => {
  it('puts each duration in the bucket whose bounds hold it, each 10 % wider than the last', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(5)).toBe(0);
    for (const minutes of [1, 5, 59, 60, 120, 600, 1440, 20_160, 525_600]) {
      const b = bucketOf(minutes * 60);
      expect(1.1 ** b - 1).toBeLessThanOrEqual(minutes + 1e-9);
      expect(1.1 ** (b + 1) - 1).toBeGreaterThan(minutes);
    }
  });

  it('answers null when there is nothing to measure', () => {
    expect(percentileOf([], 0.5)).toBeNull();
    expect(percentileOf([{ bucket: 3, n: 0 }], 0.9)).toBeNull();
  });

  it('reads p50 and p90 back within 5 % of the exact percentiles, on skewed samples of every size', () => {
    const random = lcg(42);
    for (const size of [1, 2, 3, 10, 57, 400, 5000]) {
      // Answers take minutes to weeks: log-uniform between 5 minutes and 30 days.
      const seconds = Array.from({ length: size }, () => 300 * Math.exp(random.next().value! * Math.log(8640)));
      for (const p of [0.5, 0.9]) {
        const exact = exactPercentile(seconds, p);
        const approximate = percentileOf(histogramOf(seconds), p)!;
        expect(Math.abs(approximate - exact) / exact).toBeLessThan(0.05);
      }
    }
  });

  it('interpolates between two answers as percentile_cont does', () => {
    // Two referrals accepted after 2 h and 4 h: p50 ≈ 3 h, p90 ≈ 3.8 h.
    const histogram = histogramOf([7200, 14_400]);
    expect(percentileOf(histogram, 0.5)! / 3600).toBeCloseTo(3, 1);
    expect(percentileOf(histogram, 0.9)! / 3600).toBeCloseTo(3.8, 1);
  });
});

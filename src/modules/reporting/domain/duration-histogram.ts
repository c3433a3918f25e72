/**
 * Times to accept and to complete, kept as counts per logarithmic bucket so that a month of a pair of
 * departments is a few dozen rows, whatever the number of referrals. Bucket b holds durations of
 * [GROWTH^b − 1, GROWTH^(b+1) − 1) minutes: each bucket is 10 % wider than the one before, so a
 * percentile read back is within about 5 % of the exact one. The migration's
 * `referral_duration_bucket()` computes the same bucket in SQL.
 */
export const GROWTH = 1.1;

export interface BucketCount {
  bucket: number;
  n: number;
}

export function bucketOf(seconds: number): number {
  return Math.floor(Math.log(Math.max(seconds, 0) / 60 + 1) / Math.log(GROWTH));
}

const minutesAt = (edge: number) => GROWTH ** edge - 1;

/**
 * The p-th percentile in seconds, with percentile_cont's definition (linear between the two nearest
 * order statistics); each order statistic is placed evenly inside its bucket.
 */
export function percentileOf(histogram: BucketCount[], p: number): number | null {
  const sorted = histogram.filter((h) => h.n > 0).sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, h) => sum + h.n, 0);
  if (total === 0) return null;
  const rank = p * (total - 1);
  const lower = orderStatistic(sorted, Math.floor(rank));
  const upper = orderStatistic(sorted, Math.ceil(rank));
  return (lower + (upper - lower) * (rank - Math.floor(rank))) * 60;
}

/** The k-th smallest duration (0-based) in minutes, estimated from the buckets. */
function orderStatistic(sorted: BucketCount[], k: number): number {
  let before = 0;
  for (const { bucket, n } of sorted) {
    if (k < before + n) {
      const low = minutesAt(bucket);
      return low + ((k - before + 0.5) / n) * (minutesAt(bucket + 1) - low);
    }
    before += n;
  }
  throw new Error(`order statistic ${k} beyond ${before} durations`);
}

/**
 * How regular a series of connections is, in the manner of RITA's beacon analysis (activecm/rita): the
 * intervals between connections are scored for skew (Bowley's quartile skewness: a jittered beacon is
 * symmetric around its period), dispersion (median absolute deviation around the median interval) and
 * connection count, and the three scores are averaged into 0..1. Pure: times in, numbers out.
 *
 * Departures from RITA, each for a reason:
 * - dispersion is relative to the median interval (RITA's legacy cutoff is an absolute 30 s, lenient for
 *   a 10 s beacon and harsh for an hourly one) and reaches 0 at `maxJitter`, so uniformly random
 *   intervals, which are symmetric and would pass on skew alone, score no dispersion at all;
 * - skew weighs in only as far as the quartiles spread: when they sit within a few percent of the median
 *   the series is regular whatever its shape, and the sign of a few seconds of jitter is noise;
 * - the count score is the connections over `fullConnections`, not over the dataset's duration, since a
 *   streaming window has no fixed dataset.
 */

export interface BeaconScoreOptions {
  /** Connections at which the count score is 1. */
  fullConnections: number;
  /** Relative MAD (MAD / median interval) at which the dispersion score is 0. */
  maxJitter: number;
}

export interface BeaconScore {
  /** Connections after merging those within a second of each other. */
  connections: number;
  medianIntervalMs: number;
  /** Bowley skewness of the intervals, -1..1. */
  skew: number;
  /** Median absolute deviation of the intervals from their median. */
  madMs: number;
  skewScore: number;
  dispersionScore: number;
  countScore: number;
  score: number;
}

/** Quartiles spread below this fraction of the median make skew irrelevant; at 10% and above it counts fully. */
const SKEW_RELEVANCE = 0.1;
/** RITA counts unique timestamps in seconds: a burst of requests is one connection. */
const SAME_CONNECTION_MS = 1000;

/** Linear-interpolated quantile of sorted values (numpy's default, as in RITA's notebooks). */
function quantile(sorted: Float64Array, q: number): number {
  const i = q * (sorted.length - 1);
  const lo = Math.floor(i);
  const a = sorted[lo]!;
  const b = sorted[Math.ceil(i)]!;
  return a + (b - a) * (i - lo);
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Scores connection times (ms, ascending); undefined with fewer than three connections (two intervals). */
export function scoreBeacon(times: readonly number[], options: BeaconScoreOptions): BeaconScore | undefined {
  const merged: number[] = [];
  for (const t of times) if (merged.length === 0 || t - merged[merged.length - 1]! >= SAME_CONNECTION_MS) merged.push(t);
  if (merged.length < 3) return undefined;

  // Typed arrays sort numerically without a comparator: this runs on every connection of a busy pair.
  const intervals = new Float64Array(merged.length - 1);
  for (let i = 1; i < merged.length; i++) intervals[i - 1] = merged[i]! - merged[i - 1]!;
  intervals.sort();
  const q1 = quantile(intervals, 0.25);
  const median = quantile(intervals, 0.5);
  const q3 = quantile(intervals, 0.75);
  const iqr = q3 - q1;
  // As RITA: Bowley's ratio says nothing when the median sits on a quartile.
  const skew = iqr > 0 && median !== q1 && median !== q3 ? (q1 + q3 - 2 * median) / iqr : 0;
  const skewWeight = Math.min(1, iqr / median / SKEW_RELEVANCE);
  const mad = quantile(intervals.map((x) => Math.abs(x - median)).sort(), 0.5);

  const skewScore = 1 - Math.abs(skew) * skewWeight;
  const dispersionScore = Math.max(0, 1 - mad / median / options.maxJitter);
  const countScore = Math.min(1, merged.length / options.fullConnections);
  return {
    connections: merged.length,
    medianIntervalMs: median,
    skew: round3(skew),
    madMs: mad,
    skewScore: round3(skewScore),
    dispersionScore: round3(dispersionScore),
    countScore: round3(countScore),
    score: round3((skewScore + dispersionScore + countScore) / 3),
  };
}

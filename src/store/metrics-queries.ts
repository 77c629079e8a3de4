/**
 * SOC metrics for dashboards: open cases by severity and status, alerts by category per time bucket, and
 * MTTA/MTTR from the audit log. MTTA is the time from a case's creation to its first `case.status` entry
 * whose `after.status` is IN_PROGRESS; MTTR to its first whose `after.status` is RESOLVED or CLOSED (the
 * audit contract of the case lifecycle). Each figure is one statement over indexed columns.
 */
import type Database from 'better-sqlite3';
import { OPEN_STATUSES } from '../engine/cases/model.js';

export const MetricsBucket = { HOUR: 'HOUR', DAY: 'DAY' } as const;
export type MetricsBucket = (typeof MetricsBucket)[keyof typeof MetricsBucket];
export const BUCKET_MS: Record<MetricsBucket, number> = { HOUR: 3_600_000, DAY: 86_400_000 };
export const MAX_BUCKETS = 1000;

export interface DurationStats {
  /** How many cases have the measurement. */
  count: number;
  meanMs: number | null;
  medianMs: number | null;
}

export interface Metrics {
  from: number;
  to: number;
  bucket: MetricsBucket;
  openCases: { total: number; bySeverity: Array<{ key: string; count: number }>; byStatus: Array<{ key: string; count: number }> };
  /** Every bucket of the range in order, empty ones included, so charts need no gap filling. */
  alertsByCategory: Array<{ start: number; total: number; counts: Array<{ category: string | null; count: number }> }>;
  alertTotal: number;
  casesCreated: number;
  mtta: DurationStats;
  mttr: DurationStats;
}

export function durationStats(values: readonly number[]): DurationStats {
  if (!values.length) return { count: 0, meanMs: null, medianMs: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { count: sorted.length, meanMs: sorted.reduce((sum, v) => sum + v, 0) / sorted.length, medianMs: median };
}

const OPEN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
/** Status changes people (or playbooks) made: not the ones a merge, split or undo implied. */
const statusChanges = `FROM audit_log a WHERE a.entity_type = 'Case' AND a.entity_id = c.id AND a.action = 'case.status' AND json_extract(a.after, '$.via') IS NULL`;
/** Acknowledged: the first move out of NEW (to work it, or to close it at triage). */
const ACK_AT = `(SELECT min(a.created_at) ${statusChanges} AND json_extract(a.before, '$.status') = 'NEW')`;
/** Resolved: for a case that is resolved or closed now (and not merged away), its latest resolution. */
const RESOLVED_AT = `CASE WHEN c.status IN ('RESOLVED', 'CLOSED') AND c.merged_into IS NULL
  THEN (SELECT max(a.created_at) ${statusChanges} AND json_extract(a.after, '$.status') IN ('RESOLVED', 'CLOSED')) END`;

export function createMetricsQueries(sqlite: Database.Database) {
  const s = {
    // `+merged_into` steers SQLite to the status index (few cases are open) rather than merged_into (nearly all rows).
    open: sqlite.prepare<[], { severity: string; status: string; n: number }>(
      `SELECT severity, status, count(*) AS n FROM cases WHERE status IN (${OPEN}) AND +merged_into IS NULL GROUP BY severity, status`,
    ),
    alerts: sqlite.prepare<[{ from: number; to: number; size: number }], { bucket: number; category: string | null; n: number }>(
      // `%` works on integers (numbers are bound as reals, so `/` would not truncate).
      `SELECT received_at - (received_at % @size) AS bucket, category, count(*) AS n FROM alerts
       WHERE received_at >= @from AND received_at < @to GROUP BY bucket, category ORDER BY bucket, category`,
    ),
    times: sqlite.prepare<[number, number], { createdAt: number; ackAt: number | null; resolvedAt: number | null }>(
      `SELECT c.created_at AS createdAt, ${ACK_AT} AS ackAt, ${RESOLVED_AT} AS resolvedAt
       FROM cases c WHERE c.created_at >= ? AND c.created_at < ?`,
    ),
  };

  return {
    /** Throws RangeError for an empty range or one needing more than MAX_BUCKETS buckets. */
    compute(from: number, to: number, bucket: MetricsBucket): Metrics {
      if (!(to > from)) throw new RangeError(`\`to\` must be after \`from\``);
      const size = BUCKET_MS[bucket];
      const first = Math.floor(from / size) * size;
      const buckets = Math.floor((to - 1) / size) - first / size + 1;
      if (buckets > MAX_BUCKETS) {
        throw new RangeError(`the range needs ${buckets} ${bucket} buckets, more than the ${MAX_BUCKETS} allowed: narrow it or use a larger bucket`);
      }

      const open = s.open.all();
      const sum = (pick: (r: (typeof open)[number]) => boolean) => open.filter(pick).reduce((n, r) => n + r.n, 0);

      const series = Array.from({ length: buckets }, (_, i) => ({ start: first + i * size, total: 0, counts: [] as Array<{ category: string | null; count: number }> }));
      let alertTotal = 0;
      for (const row of s.alerts.all({ from, to, size })) {
        const entry = series[(row.bucket - first) / size]!;
        entry.counts.push({ category: row.category, count: row.n });
        entry.total += row.n;
        alertTotal += row.n;
      }

      const times = s.times.all(from, to);
      const since = (at: number | null, createdAt: number) => (at === null ? [] : [Math.max(0, at - createdAt)]);
      return {
        from,
        to,
        bucket,
        openCases: {
          total: sum(() => true),
          bySeverity: SEVERITIES.map((key) => ({ key, count: sum((r) => r.severity === key) })),
          byStatus: OPEN_STATUSES.map((key) => ({ key, count: sum((r) => r.status === key) })),
        },
        alertsByCategory: series,
        alertTotal,
        casesCreated: times.length,
        mtta: durationStats(times.flatMap((t) => since(t.ackAt, t.createdAt))),
        mttr: durationStats(times.flatMap((t) => since(t.resolvedAt, t.createdAt))),
      };
    },
  };
}

export type MetricsQueries = ReturnType<typeof createMetricsQueries>;

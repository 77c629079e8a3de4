/**
 * The detections' memory in SQLite, through prepared statements (this runs once per alert, inside the
 * classify stage's transaction). Every window query is a range on the (detector, key, at) index with a
 * LIMIT, so its cost is bounded whatever the table holds.
 *
 * `detection_observations.detector` names a stream rather than a detector: failures are recorded once
 * and read by three detectors. Fired markers (`fired/<detector>`) live in the same table so that the
 * re-fire policy survives a restart and is pruned with the windows it guards.
 */
import type Database from 'better-sqlite3';

export interface ObservationRow {
  alertId: string;
  at: number;
  value: string | null;
}

export interface FirstSighting {
  alertId: string;
  firstSeenAt: number;
}

export interface DetectionStoreOptions {
  /** Observations older than this (behind the pruning clock) are deleted. */
  retentionMs: number;
  /** Sweep once every this many inserts. */
  pruneEvery: number;
}

const WINDOW = 'detector = ? AND key = ? AND at >= ? AND at <= ?';

export function createDetectionStore(sqlite: Database.Database, options: DetectionStoreOptions) {
  const s = {
    forget: sqlite.prepare<[string]>('DELETE FROM detection_observations WHERE alert_id = ?'),
    insert: sqlite.prepare<[string, string, string, number, string | null]>(
      'INSERT INTO detection_observations (detector, key, alert_id, at, value) VALUES (?, ?, ?, ?, ?)',
    ),
    // Counting through a LIMITed subquery stays on the index and stops at the cap.
    count: sqlite
      .prepare<[string, string, number, number, number], number>(`SELECT COUNT(*) FROM (SELECT 1 FROM detection_observations WHERE ${WINDOW} LIMIT ?)`)
      .pluck(),
    // Distinct values are counted in JS: COUNT(DISTINCT) opens a temporary b-tree per call, which costs more.
    values: sqlite
      .prepare<[string, string, number, number, number], string | null>(`SELECT value FROM detection_observations WHERE ${WINDOW} ORDER BY at DESC LIMIT ?`)
      .pluck(),
    recent: sqlite.prepare<[string, string, number, number, number], ObservationRow>(
      `SELECT alert_id AS alertId, at, value FROM detection_observations WHERE ${WINDOW} ORDER BY at DESC, id DESC LIMIT ?`,
    ),
    times: sqlite
      .prepare<[string, string, number, number, number], number>(`SELECT at FROM detection_observations WHERE ${WINDOW} ORDER BY at DESC LIMIT ?`)
      .pluck(),
    latest: sqlite.prepare<[string, string, number], { at: number; value: string | null }>(
      'SELECT at, value FROM detection_observations WHERE detector = ? AND key = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1',
    ),
    first: sqlite.prepare<[string, string], FirstSighting>(
      'SELECT alert_id AS alertId, first_seen_at AS firstSeenAt FROM detection_firsts WHERE detector = ? AND key = ?',
    ),
    insertFirst: sqlite.prepare<[string, string, string, number]>(
      'INSERT INTO detection_firsts (detector, key, alert_id, first_seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (detector, key) DO NOTHING',
    ),
    moveFirst: sqlite.prepare<[string, number, string, string]>('UPDATE detection_firsts SET alert_id = ?, first_seen_at = ? WHERE detector = ? AND key = ?'),
    bounds: sqlite.prepare<[], { lo: number | null; hi: number | null }>(
      // Two subqueries: SQLite answers a lone min() or max() from the rowid b-tree's ends, but scans for both at once.
      'SELECT (SELECT min(id) FROM detection_observations) AS lo, (SELECT max(id) FROM detection_observations) AS hi',
    ),
    sweep: sqlite.prepare<[number, number, number]>('DELETE FROM detection_observations WHERE id >= ? AND id < ? AND at < ?'),
  };

  // Pruning state is per process: after a restart the sweep starts over from the oldest row.
  const recentAts: number[] = [];
  let inserts = 0;
  let cursor = 0;

  /**
   * Deletes rows behind the clock in one slice of rowids, then moves on, wrapping at the end. A slice is
   * twice the inserts between sweeps, so the sweep laps the table faster than it grows and each call
   * touches a bounded number of rows (no index on `at` alone is needed). The clock is the median event
   * time of the recent inserts: one event with a forged far-future timestamp cannot empty every window.
   */
  function prune(): number {
    const sorted = [...recentAts].sort((a, b) => a - b);
    recentAts.length = 0;
    const clock = sorted[Math.floor(sorted.length / 2)];
    const { lo, hi } = s.bounds.get()!;
    if (clock === undefined || lo === null || hi === null) return 0;
    if (cursor < lo || cursor > hi) cursor = lo;
    const span = 2 * options.pruneEvery;
    const deleted = s.sweep.run(cursor, cursor + span, clock - options.retentionMs).changes;
    cursor += span;
    return deleted;
  }

  return {
    /** Drops what an alert contributed before: a reprocessed alert is counted once, as it is now. */
    forgetAlert: (alertId: string) => void s.forget.run(alertId),
    insert(stream: string, key: string, alertId: string, at: number, value: string | null = null): void {
      s.insert.run(stream, key, alertId, at, value);
      recentAts.push(at);
      if (++inserts % options.pruneEvery === 0) prune();
    },
    /** Rows in [from, to], counted up to `cap`. */
    count: (stream: string, key: string, from: number, to: number, cap: number) => s.count.get(stream, key, from, to, cap) ?? 0,
    /** Rows and distinct values among the newest `cap` rows in [from, to]. */
    distinct(stream: string, key: string, from: number, to: number, cap: number): { rows: number; values: number } {
      const values = s.values.all(stream, key, from, to, cap);
      return { rows: values.length, values: new Set(values.filter((v) => v !== null)).size };
    },
    /** The newest rows in [from, to], newest first. */
    recent: (stream: string, key: string, from: number, to: number, limit: number) => s.recent.all(stream, key, from, to, limit),
    /** Times of the newest rows in [from, to], newest first. */
    times: (stream: string, key: string, from: number, to: number, limit: number) => s.times.all(stream, key, from, to, limit),
    /** The last row at or before `to`, whatever its age. */
    latest: (stream: string, key: string, to: number) => s.latest.get(stream, key, to),
    first: (detector: string, key: string) => s.first.get(detector, key),
    /** Records a first sighting; false when one was already there. */
    insertFirst: (detector: string, key: string, alertId: string, at: number) => s.insertFirst.run(detector, key, alertId, at).changes > 0,
    moveFirst: (detector: string, key: string, alertId: string, at: number) => void s.moveFirst.run(alertId, at, detector, key),
    /** Runs a sweep now (tests; the store sweeps by itself every `pruneEvery` inserts). */
    prune,
  };
}

export type DetectionStore = ReturnType<typeof createDetectionStore>;

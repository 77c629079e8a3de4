/**
 * A migrated `:memory:` database (or a file, for restarts), detections over it, and `feed` to observe an
 * event as an alert: it inserts the minimal alerts row the foreign keys need, then calls `observe`.
 */
import type Database from 'better-sqlite3';
import { openDatabase, type DatabaseHandle } from '../../../../db/client.js';
import { runMigrations } from '../../../../db/migrate.js';
import { createDetections, type DetectionSettings } from '../../../../src/engine/classify/detections/index.js';
import type { DetectionHit, Signal } from '../../../../src/engine/classify/types.js';
import type { NormalizedEvent } from '../../../../src/engine/types.js';

export const T0 = Date.parse('2026-11-23T04:00:00.000Z');
export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;

export function openDb(path = ':memory:'): DatabaseHandle {
  const handle = openDatabase({ path });
  runMigrations(handle.db);
  return handle;
}

export function insertAlert(sqlite: Database.Database, id: string, at: number): void {
  sqlite
    .prepare(
      `INSERT OR IGNORE INTO alerts (id, source, payload_kind, payload, fingerprint, status, received_at, last_seen_at, updated_at)
       VALUES (?, 'test', 'LOG', ?, ?, 'PROCESSING', ?, ?, ?)`,
    )
    .run(id, id, id, at, at, at);
}

export interface FeedItem {
  at: number;
  event?: Partial<NormalizedEvent>;
  signals: Signal[];
  /** Defaults to the next `alt_<n>`. */
  id?: string;
}

export interface Rig {
  sqlite: Database.Database;
  detections: ReturnType<typeof createDetections>;
  /** Observes one event as a new alert and returns its hits. */
  feed(item: FeedItem): DetectionHit[] & { alertId: string };
  /** A new `createDetections` over the same database, as after a restart. */
  restart(settings?: Partial<DetectionSettings>): void;
  rows(detector?: string): number;
}

export function createRig(settings: Partial<DetectionSettings> = {}, sqlite: Database.Database = openDb().sqlite, start = 0): Rig {
  let n = start;
  const rig: Rig = {
    sqlite,
    detections: createDetections(sqlite, settings),
    feed({ at, event = {}, signals, id }) {
      const alertId = id ?? `alt_${String(++n).padStart(4, '0')}`;
      insertAlert(sqlite, alertId, at);
      const hits = rig.detections.observe({ alertId, at, event: { format: 'UNKNOWN', message: 'test', fields: {}, ...event }, signals: new Set(signals) });
      return Object.assign(hits, { alertId });
    },
    restart(next = settings) {
      rig.detections = createDetections(sqlite, next);
    },
    rows(detector) {
      const sql = detector ? 'SELECT COUNT(*) FROM detection_observations WHERE detector = ?' : 'SELECT COUNT(*) FROM detection_observations';
      return sqlite.prepare(sql).pluck().get(...(detector ? [detector] : [])) as number;
    },
  };
  return rig;
}

export const only = (hits: DetectionHit[], detector: string) => hits.filter((h) => h.detector === detector);

/** Deterministic pseudo-random numbers in [0, 1) (a 32-bit LCG): no Math.random in tests. */
export function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/**
 * Against alert storms: once a detection has fired for an entity, it fires again for it only when its
 * window has passed since, or when what it counts has grown by `refireFactor` (an attack that doubles is
 * news; one that goes on at the same pace is the same story). The marker is a row in the observations
 * table, so a restart does not forget it, and it is pruned with the windows.
 */
import type { DetectionStore } from './store.js';

const stream = (detector: string) => `fired/${detector}`;

export interface RefirePolicy {
  windowMs: number;
  /** Growth that justifies another hit within the window; Infinity for once per window. */
  factor: number;
}

export interface LastFire {
  at: number;
  count: number;
}

/** The last time the detector fired for the key, at or before `at` (a reprocessed alert sees the past as it was). */
export function lastFire(store: DetectionStore, detector: string, key: string, at: number): LastFire | undefined {
  const row = store.latest(stream(detector), key, at);
  return row ? { at: row.at, count: Number(row.value) } : undefined;
}

/** How large the count must be for a hit now: `threshold` out of cooldown, more within it. */
export function requiredCount(last: LastFire | undefined, at: number, threshold: number, policy: RefirePolicy): number {
  if (!last || at - last.at >= policy.windowMs) return threshold;
  return Math.max(threshold, Math.ceil(last.count * policy.factor));
}

export function markFired(store: DetectionStore, detector: string, key: string, alertId: string, at: number, count: number): void {
  store.insert(stream(detector), key, alertId, at, String(count));
}

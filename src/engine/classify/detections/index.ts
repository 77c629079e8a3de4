/**
 * The stateful detections of the classify stage: frequency (brute force, password spraying, success
 * after failures), periodicity (beaconing) and first sightings (first admin logon). Their windows live in
 * SQLite (detection_observations, detection_firsts), so they survive a restart and a batch's alerts see
 * each other when the caller runs `observe` for them in order inside one transaction.
 */
import type Database from 'better-sqlite3';
import type { DetectionHit } from '../types.js';
import { createBeaconing } from './beaconing.js';
import { createBruteForce } from './brute-force.js';
import { createFirstAdminLogon } from './first-admin-logon.js';
import { keysOf } from './keys.js';
import { createPasswordSpraying } from './password-spraying.js';
import { resolveSettings, retentionMs, type DetectionSettings } from './settings.js';
import { createDetectionStore } from './store.js';
import { record } from './streams.js';
import type { DetectionInput, Detector } from './types.js';
import { createSuccessAfterFailures } from './success-after-failures.js';

export type { DetectionInput } from './types.js';
export { DEFAULT_BEACON_ALLOWLIST, DEFAULT_DETECTION_SETTINGS, type DetectionSettings } from './settings.js';
export { BEACONING } from './beaconing.js';
export { BRUTE_FORCE } from './brute-force.js';
export { FIRST_ADMIN_LOGON } from './first-admin-logon.js';
export { PASSWORD_SPRAYING } from './password-spraying.js';
export { SUCCESS_AFTER_FAILURES } from './success-after-failures.js';

export function createDetections(sqlite: Database.Database, settings?: Partial<DetectionSettings>) {
  const s = resolveSettings(settings);
  const store = createDetectionStore(sqlite, { retentionMs: retentionMs(s), pruneEvery: s.pruneEvery });
  const detectors: Detector[] = [
    createBruteForce(store, s),
    createPasswordSpraying(store, s),
    createSuccessAfterFailures(store, s),
    createBeaconing(store, s),
    createFirstAdminLogon(store, s),
  ];

  return {
    /** Records what this event contributes and returns the detections it completes. Synchronous: the caller
     *  runs it inside its own transaction, once per alert, in order, so alerts of one batch see each other. */
    observe(input: DetectionInput): DetectionHit[] {
      if (!Number.isFinite(input.at)) throw new Error(`detection input for ${input.alertId} has no valid time`);
      store.forgetAlert(input.alertId);
      if (input.signals.size === 0) return [];
      const keys = keysOf(input.event);
      record(store, s, input, keys);
      const hits: DetectionHit[] = [];
      for (const detect of detectors) {
        const hit = detect(input, keys);
        if (hit) hits.push(hit);
      }
      return hits;
    },
  };
}

export type Detections = ReturnType<typeof createDetections>;

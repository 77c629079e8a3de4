/**
 * Password spraying (T1110.003): one source failing against many distinct accounts, a few attempts each,
 * slowly enough to stay under lockout thresholds. Breadth is what sets it apart from brute force (many
 * attempts on few accounts), hence the cap on attempts per account. Needs a source IP: without one,
 * failures on many accounts of one host could be many people.
 *
 * The test reads the newest `2 × sprayDistinctUsers × sprayMaxAttemptsPerUser` failures of the window
 * (30 by default), enough to show the accounts at the allowed attempts each and the repeats of a brute
 * force between them, so that a storm of thousands of failures costs a few dozen rows per call. A source
 * is reported once per window: a spray widens by itself as it works through its account list, as a
 * beacon's count grows, so growth is no news; the window bounds the wait for the next report.
 */
import { Category, Signal } from '../types.js';
import { relatedIds, seconds, spanMs } from './hit.js';
import { lastFire, markFired } from './refire.js';
import type { DetectionSettings } from './settings.js';
import type { DetectionStore } from './store.js';
import { Stream } from './streams.js';
import type { Detector } from './types.js';

export const PASSWORD_SPRAYING = 'password-spraying';

export function createPasswordSpraying(store: DetectionStore, s: DetectionSettings): Detector {
  return ({ alertId, at, signals }, keys) => {
    const source = keys.source;
    if (!signals.has(Signal.AUTH_FAILURE) || source === undefined) return undefined;
    const from = at - s.sprayWindowMs;
    // Distinct accounts never outnumber failures: an index-only count rules most events out cheaply.
    if (store.count(Stream.FAILURE_BY_SOURCE, source, from, at, s.sprayDistinctUsers) < s.sprayDistinctUsers) return undefined;
    const last = lastFire(store, PASSWORD_SPRAYING, source, at);
    if (last && at - last.at < s.sprayWindowMs) return undefined;
    const sample = store.distinct(Stream.FAILURE_BY_SOURCE, source, from, at, Math.min(s.countCap, Math.ceil(2 * s.sprayDistinctUsers * s.sprayMaxAttemptsPerUser)));
    if (sample.values < s.sprayDistinctUsers || sample.rows > sample.values * s.sprayMaxAttemptsPerUser) return undefined;

    // Firing is rare: the facts may read the window up to the cap.
    const { rows: failures, values: accounts } = store.distinct(Stream.FAILURE_BY_SOURCE, source, from, at, s.countCap);
    markFired(store, PASSWORD_SPRAYING, source, alertId, at, accounts);
    const rows = store.recent(Stream.FAILURE_BY_SOURCE, source, from, at, Math.max(s.maxRelatedAlerts, s.sprayDistinctUsers));
    const span = rows.length >= failures ? spanMs(rows) : s.sprayWindowMs;
    return {
      detector: PASSWORD_SPRAYING,
      category: Category.BRUTE_FORCE,
      confidence: 0.85,
      severity: accounts >= 4 * s.sprayDistinctUsers ? 'HIGH' : 'MEDIUM',
      techniques: ['T1110.003'],
      description: `Failed logins from ${source} against ${accounts} accounts within ${seconds(span)} s (${failures} attempts)`,
      relatedAlertIds: relatedIds(rows, alertId),
      facts: {
        source,
        distinctAccounts: accounts,
        failures,
        attemptsPerAccount: Math.round((failures / accounts) * 100) / 100,
        threshold: s.sprayDistinctUsers,
        windowSeconds: seconds(s.sprayWindowMs),
        spanSeconds: seconds(span),
        ...(last ? { previousAccounts: last.count } : {}),
      },
    };
  };
}

/**
 * Brute force (T1110): many failed authentications from one source within a short window, Wazuh's
 * frequency rule. The source is the client IP; without one (local consoles, some Windows records) the
 * same account on the same host, which is what repeated failures there amount to.
 */
import { Category, Signal } from '../types.js';
import { countText, distinctValues, relatedIds, seconds, spanMs } from './hit.js';
import { lastFire, markFired, requiredCount } from './refire.js';
import type { DetectionSettings } from './settings.js';
import type { DetectionStore } from './store.js';
import { Stream } from './streams.js';
import type { Detector } from './types.js';

export const BRUTE_FORCE = 'brute-force';

export function createBruteForce(store: DetectionStore, s: DetectionSettings): Detector {
  const policy = { windowMs: s.bruteForceWindowMs, factor: s.refireFactor };
  return ({ alertId, at, signals }, keys) => {
    if (!signals.has(Signal.AUTH_FAILURE)) return undefined;
    const bySource = keys.source !== undefined;
    const key = keys.source ?? keys.accountKey;
    if (key === undefined) return undefined;
    const stream = bySource ? Stream.FAILURE_BY_SOURCE : Stream.FAILURE_BY_ACCOUNT;
    const from = at - s.bruteForceWindowMs;

    // Count only as far as a hit needs, the threshold first: most events end at one index-only count.
    const enough = (n: number) => n <= s.countCap && store.count(stream, key, from, at, n) >= n;
    if (!enough(s.bruteForceThreshold)) return undefined;
    const last = lastFire(store, BRUTE_FORCE, key, at);
    const required = requiredCount(last, at, s.bruteForceThreshold, policy);
    if (required > s.bruteForceThreshold && !enough(required)) return undefined;

    const count = store.count(stream, key, from, at, s.countCap);
    markFired(store, BRUTE_FORCE, key, alertId, at, count);
    const rows = store.recent(stream, key, from, at, Math.max(s.maxRelatedAlerts, s.bruteForceThreshold));
    // With more failures than the hit lists, the listed ones do not show the whole span: say the window.
    const span = rows.length >= count ? spanMs(rows) : s.bruteForceWindowMs;
    const who = bySource ? `from ${keys.source}` : `for ${keys.account} on ${keys.host ?? 'an unnamed host'}`;
    const accounts = bySource ? distinctValues(rows) : 0;
    return {
      detector: BRUTE_FORCE,
      category: Category.BRUTE_FORCE,
      confidence: 0.9,
      // Four times the threshold inside one window is an automated attack, not a forgotten password.
      severity: count >= 4 * s.bruteForceThreshold ? 'HIGH' : 'MEDIUM',
      techniques: ['T1110'],
      description: `${countText(count, s.countCap)} failed logins ${who} within ${seconds(span)} s${bySource && accounts > 1 ? ` against ${accounts} accounts` : ''}`,
      relatedAlertIds: relatedIds(rows, alertId),
      facts: {
        count,
        threshold: s.bruteForceThreshold,
        windowSeconds: seconds(s.bruteForceWindowMs),
        spanSeconds: seconds(span),
        ...(bySource ? { source: keys.source!, distinctAccounts: accounts } : { account: keys.account!, host: keys.host ?? '' }),
        ...(last ? { previousCount: last.count } : {}),
      },
    };
  };
}

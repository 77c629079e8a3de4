/**
 * A successful login after repeated failures from its source or for its account: the guess that worked,
 * a likely compromised account (T1110 then T1078). Reported as SUSPICIOUS_ACCESS, not BRUTE_FORCE: the
 * failures already carry BRUTE_FORCE, while this alert is an access that calls for account containment
 * (reset, session revocation), a different response; correlation still joins them through the source.
 * Severity HIGH, CRITICAL when the login carries administrative rights.
 */
import { Category, Signal } from '../types.js';
import { seconds } from './hit.js';
import { lastFire, markFired, requiredCount } from './refire.js';
import type { DetectionSettings } from './settings.js';
import type { DetectionStore, ObservationRow } from './store.js';
import { Stream } from './streams.js';
import type { Detector } from './types.js';

export const SUCCESS_AFTER_FAILURES = 'success-after-failures';

export function createSuccessAfterFailures(store: DetectionStore, s: DetectionSettings): Detector {
  const policy = { windowMs: s.successAfterFailuresWindowMs, factor: s.refireFactor };
  return ({ alertId, at, signals }, keys) => {
    // An event that is both (a multi-factor step failing after a password succeeded) is not a success.
    if (!signals.has(Signal.AUTH_SUCCESS) || signals.has(Signal.AUTH_FAILURE)) return undefined;
    const key = keys.accountKey ?? keys.source;
    if (key === undefined) return undefined;
    const from = at - s.successAfterFailuresWindowMs;
    const last = lastFire(store, SUCCESS_AFTER_FAILURES, key, at);
    const required = requiredCount(last, at, s.successAfterFailuresThreshold, policy);
    if (required > s.countCap) return undefined;
    // Index-only counts first: most logins follow no failures at all.
    const countOf = (stream: string, k: string | undefined) => (k === undefined ? 0 : store.count(stream, k, from, at, required));
    const bySource = countOf(Stream.FAILURE_BY_SOURCE, keys.source);
    const byAccount = countOf(Stream.FAILURE_BY_ACCOUNT, keys.accountKey);
    if (bySource + byAccount < required) return undefined;

    // A failure from this source for this account is in both streams: count alerts, not rows. Either
    // stream reaching `required` alone settles it; otherwise both were counted whole and their union is exact.
    const limit = Math.max(required, s.maxRelatedAlerts - 1);
    const fromSource = keys.source ? store.recent(Stream.FAILURE_BY_SOURCE, keys.source, from, at, limit) : [];
    const forAccount = keys.accountKey ? store.recent(Stream.FAILURE_BY_ACCOUNT, keys.accountKey, from, at, limit) : [];
    const failures = new Map<string, ObservationRow>();
    for (const row of [...fromSource, ...forAccount]) failures.set(row.alertId, row);
    if (failures.size < required) return undefined;

    markFired(store, SUCCESS_AFTER_FAILURES, key, alertId, at, failures.size);
    const ordered = [...failures.values()].sort((a, b) => a.at - b.at || (a.alertId < b.alertId ? -1 : 1)).slice(-(s.maxRelatedAlerts - 1));
    const fullSource = bySource >= required ? store.count(Stream.FAILURE_BY_SOURCE, keys.source!, from, at, s.countCap) : bySource;
    const fullAccount = byAccount >= required ? store.count(Stream.FAILURE_BY_ACCOUNT, keys.accountKey!, from, at, s.countCap) : byAccount;
    // Lists cut at `limit` give a lower bound of the union and hide its start: say so rather than guess.
    const truncated = fromSource.length >= limit || forAccount.length >= limit;
    const total = truncated ? Math.max(fullSource, fullAccount, failures.size) : failures.size;
    const since = truncated ? s.successAfterFailuresWindowMs : at - ordered[0]!.at;
    const sameAccount = fromSource.some((r) => r.value === keys.account);
    const who = keys.account ? `${keys.account}${keys.host ? ` on ${keys.host}` : ''}` : 'an account';
    const privileged = signals.has(Signal.PRIVILEGED_LOGON);
    return {
      detector: SUCCESS_AFTER_FAILURES,
      category: Category.SUSPICIOUS_ACCESS,
      // Failures aimed at this very account make the guess likelier than failures spread over others.
      confidence: fullAccount > 0 || sameAccount ? 0.8 : 0.7,
      severity: privileged ? 'CRITICAL' : 'HIGH',
      techniques: ['T1110', 'T1078'],
      description: `Successful login for ${who}${keys.source ? ` from ${keys.source}` : ''} after ${total}${truncated ? '+' : ''} failed logins within ${seconds(since)} s`,
      relatedAlertIds: [...ordered.map((r) => r.alertId), alertId],
      facts: {
        failures: total,
        failuresFromSource: fullSource,
        failuresForAccount: fullAccount,
        threshold: s.successAfterFailuresThreshold,
        windowSeconds: seconds(s.successAfterFailuresWindowMs),
        secondsSinceFirstFailure: seconds(since),
        ...(keys.account ? { account: keys.account } : {}),
        ...(keys.source ? { source: keys.source } : {}),
        ...(privileged ? { privileged: 'yes' } : {}),
      },
    };
  };
}

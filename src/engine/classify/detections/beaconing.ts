/**
 * Beaconing (T1071): a host calling one destination at regular intervals, as implants check in with their
 * command and control. Connections of each (client, destination) pair are scored for regularity over the
 * window (see beacon-score.ts); time and update services are never recorded (streams.ts). A pair is
 * reported once per window: a beacon's count grows by itself, so growth is no news, unlike brute force.
 */
import { Category, Signal } from '../types.js';
import { relatedIds, seconds } from './hit.js';
import { scoreBeacon } from './beacon-score.js';
import { lastFire, markFired } from './refire.js';
import type { DetectionSettings } from './settings.js';
import type { DetectionStore } from './store.js';
import { connectionKey, isRoutinePeriodic, Stream } from './streams.js';
import type { Detector } from './types.js';

export const BEACONING = 'beaconing';

export function createBeaconing(store: DetectionStore, s: DetectionSettings): Detector {
  const scoring = { fullConnections: s.beaconFullConnections, maxJitter: s.beaconMaxJitter };
  return ({ alertId, at, signals }, keys) => {
    const { client, destination } = keys;
    if (!signals.has(Signal.NETWORK_CONNECTION) || !client || !destination || isRoutinePeriodic(destination, s)) return undefined;
    const key = connectionKey(client, destination);
    const from = at - s.beaconWindowMs;
    // Cheap checks first: scoring reads up to beaconMaxSamples rows and sorts them.
    const last = lastFire(store, BEACONING, key, at);
    if (last && at - last.at < s.beaconWindowMs) return undefined;
    if (store.count(Stream.CONNECTION, key, from, at, s.beaconMinConnections) < s.beaconMinConnections) return undefined;

    const times = store.times(Stream.CONNECTION, key, from, at, s.beaconMaxSamples).reverse();
    const result = scoreBeacon(times, scoring);
    if (!result || result.connections < s.beaconMinConnections || result.score < s.beaconScoreThreshold) return undefined;

    const count = store.count(Stream.CONNECTION, key, from, at, s.countCap);
    markFired(store, BEACONING, key, alertId, at, count);
    const rows = store.recent(Stream.CONNECTION, key, from, at, s.maxRelatedAlerts);
    const interval = seconds(result.medianIntervalMs);
    const jitterPct = Math.round((result.madMs / result.medianIntervalMs) * 1000) / 10;
    return {
      detector: BEACONING,
      category: Category.BEACONING,
      confidence: Math.min(0.95, result.score),
      severity: result.score >= 0.95 ? 'HIGH' : 'MEDIUM',
      techniques: ['T1071'],
      description: `${client} connected to ${destination.key} ${result.connections} times every ~${interval} s (jitter ${jitterPct}%, beacon score ${result.score})`,
      relatedAlertIds: relatedIds(rows, alertId),
      facts: {
        client,
        destination: destination.key,
        connections: result.connections,
        connectionsInWindow: count,
        medianIntervalSeconds: interval,
        madSeconds: seconds(result.madMs),
        skew: result.skew,
        skewScore: result.skewScore,
        dispersionScore: result.dispersionScore,
        countScore: result.countScore,
        score: result.score,
        threshold: s.beaconScoreThreshold,
        windowSeconds: seconds(s.beaconWindowMs),
      },
    };
  };
}

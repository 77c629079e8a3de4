/**
 * What an event contributes to the windows, written before any detector evaluates it so that a detector
 * sees the event it is evaluating. Failures are recorded once per grouping and shared: brute force and
 * spraying count them by source, success-after-failures by source and by account.
 */
import { Signal } from '../types.js';
import type { DetectionSettings } from './settings.js';
import type { DetectionStore } from './store.js';
import type { DetectionInput, Destination, EventKeys } from './types.js';

export const Stream = {
  /** AUTH_FAILURE by source IP; value: the account. */
  FAILURE_BY_SOURCE: 'auth-failure/source',
  /** AUTH_FAILURE by `host|account`; value: the source IP. */
  FAILURE_BY_ACCOUNT: 'auth-failure/account',
  /** NETWORK_CONNECTION by `client>destination`. */
  CONNECTION: 'connection',
} as const;

export const connectionKey = (client: string, destination: Destination) => `${client}>${destination.key}`;

/** Time services and update checks poll on a schedule by design: their regularity is no signal. */
export function isRoutinePeriodic(destination: Destination, settings: DetectionSettings): boolean {
  if (destination.port !== undefined && settings.beaconIgnorePorts.includes(destination.port)) return true;
  const host = destination.host;
  if (!host) return false;
  return settings.beaconAllowlist.some((entry) => {
    const e = entry.toLowerCase();
    return host === e || host.endsWith(`.${e}`);
  });
}

export function record(store: DetectionStore, settings: DetectionSettings, input: DetectionInput, keys: EventKeys): void {
  const { alertId, at, signals } = input;
  if (signals.has(Signal.AUTH_FAILURE)) {
    if (keys.source) store.insert(Stream.FAILURE_BY_SOURCE, keys.source, alertId, at, keys.account ?? null);
    if (keys.accountKey) store.insert(Stream.FAILURE_BY_ACCOUNT, keys.accountKey, alertId, at, keys.source ?? null);
  }
  if (signals.has(Signal.NETWORK_CONNECTION) && keys.client && keys.destination && !isRoutinePeriodic(keys.destination, settings)) {
    store.insert(Stream.CONNECTION, connectionKey(keys.client, keys.destination), alertId, at);
  }
}

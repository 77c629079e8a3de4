/** What every detector takes and gives; `index.ts` re-exports the public part. */
import type { NormalizedEvent } from '../../types.js';
import type { DetectionHit, Signal } from '../types.js';

export interface DetectionInput {
  alertId: string;
  /** Event time in ms (the event's own timestamp, else when it was received): windows are measured on it. */
  at: number;
  event: NormalizedEvent;
  /** Facts about the event derived by rules and fields (AUTH_FAILURE, AUTH_SUCCESS, PRIVILEGED_LOGON, NETWORK_CONNECTION). */
  signals: ReadonlySet<Signal>;
}

/** Where a connection went: `key` groups connections of one pair, `host`/`port` decide the allowlist. */
export interface Destination {
  key: string;
  host?: string;
  port?: number;
}

/** The entities an event names, normalized once per event and shared by every detector. */
export interface EventKeys {
  /** Source IP. */
  source?: string;
  /** Host the event happened on (lower case). */
  host?: string;
  /** The account authenticating or logging on (lower case). */
  account?: string;
  /** `host|account`: the same account on the same machine. */
  accountKey?: string;
  /** The connecting side for connections: source IP, else host. */
  client?: string;
  destination?: Destination;
}

/** One detector: evaluates an event after its observations are recorded, and fires at most once for it. */
export type Detector = (input: DetectionInput, keys: EventKeys) => DetectionHit | undefined;

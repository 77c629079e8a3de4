/**
 * The enrichment contract: every provider takes an IOC and returns a typed result. Plain data; the
 * provider runner (cache, timeout, limits, circuit breaker) and the pipeline wrap providers, never the
 * other way round.
 */
import type { IocType, IpFlags } from '../types.js';

export const EnrichmentStatus = {
  /** The provider answered with data. */
  OK: 'OK',
  /** The provider answered that it knows nothing (NXDOMAIN, not in any feed, 404). */
  NO_DATA: 'NO_DATA',
  /** The provider refused for quota or rate; `retryAt` says when to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The provider failed (malformed reply, 5xx, SERVFAIL, refused connection). */
  ERROR: 'ERROR',
  /** The provider did not answer in time. */
  TIMEOUT: 'TIMEOUT',
  /** Not asked: not applicable, not configured, private address, TLP forbids, circuit open. */
  SKIPPED: 'SKIPPED',
} as const;
export type EnrichmentStatus = (typeof EnrichmentStatus)[keyof typeof EnrichmentStatus];

export const Verdict = { MALICIOUS: 'MALICIOUS', SUSPICIOUS: 'SUSPICIOUS', BENIGN: 'BENIGN', UNKNOWN: 'UNKNOWN' } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** Traffic Light Protocol of the data an IOC came from (default AMBER: we do not know). */
export const Tlp = { CLEAR: 'CLEAR', GREEN: 'GREEN', AMBER: 'AMBER', RED: 'RED' } as const;
export type Tlp = (typeof Tlp)[keyof typeof Tlp];

export interface EnrichmentTarget {
  type: IocType;
  /** Normalized value, as stored in `iocs`. */
  value: string;
  /** Set for IPV4/IPV6. */
  ip?: IpFlags;
  tlp: Tlp;
}

export interface EnrichmentResult {
  provider: string;
  status: EnrichmentStatus;
  verdict: Verdict;
  /** Why, for people: "listed in Feodo Tracker (botnet C2: Emotet)", "domain registered 3 days ago". */
  reasons: string[];
  /** Provider-specific facts (DNS records, RDAP dates, feed entries, scores). JSON-able. */
  data: Record<string, unknown>;
  /** For RATE_LIMITED: when the provider may be asked again (epoch ms). */
  retryAt?: number;
  /** For ERROR/TIMEOUT/SKIPPED: what happened. */
  error?: string;
}

/** A source of facts about IOCs. `lookup` must honour `signal` (abort = timeout) and never throw for expected failures. */
export interface Enricher {
  /** Stable name, e.g. `dns`, `rdap`, `feeds`, `abuseipdb`. */
  name: string;
  /** Whether it reaches out over the network (then private/reserved addresses and TLP:RED are never sent). */
  external: boolean;
  supports(target: EnrichmentTarget): boolean;
  lookup(target: EnrichmentTarget, signal: AbortSignal): Promise<EnrichmentResult>;
}

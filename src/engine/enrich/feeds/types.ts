/**
 * Shapes shared by the feed parsers, the store, the loader and the enricher. Parsers are pure
 * (text in, indicators and problems out); everything with I/O takes its dependencies as arguments.
 */
import type { IocType } from '../../types.js';

export const FeedKind = {
  /** Indicators are bad: a match means the IOC is known malicious infrastructure. */
  FEED: 'FEED',
  /** Known-good infrastructure: a match explains away hits from feeds (MISP's warning-list idea). */
  WARNING_LIST: 'WARNING_LIST',
} as const;
export type FeedKind = (typeof FeedKind)[keyof typeof FeedKind];

export const FeedFormat = {
  /** One IP, CIDR, domain, URL, email or hash per line; `#` and `;` comments. */
  PLAIN: 'PLAIN',
  /** Spamhaus DROP (`1.2.3.0/24 ; SBL123`, also its NDJSON form) and FireHOL `.netset`/`.ipset`. */
  NETSET: 'NETSET',
  FEODO_JSON: 'FEODO_JSON',
  FEODO_CSV: 'FEODO_CSV',
  URLHAUS_CSV: 'URLHAUS_CSV',
  URLHAUS_JSON: 'URLHAUS_JSON',
  THREATFOX_JSON: 'THREATFOX_JSON',
  THREATFOX_CSV: 'THREATFOX_CSV',
  PHISHTANK_JSON: 'PHISHTANK_JSON',
  /** OpenPhish `feed.txt`: one URL per line, anything else is a problem. */
  OPENPHISH: 'OPENPHISH',
  /** A MISP feed directory: `location` is its base; `manifest.json` names the event files. */
  MISP_FEED: 'MISP_FEED',
  /** A single MISP event file `{"Event": {...}}`. */
  MISP_EVENT: 'MISP_EVENT',
  STIX21: 'STIX21',
  /** Vigil's warning-list JSON (groups of values with a reason each) or a MISP warninglist `list.json`. */
  WARNINGLIST: 'WARNINGLIST',
} as const;
export type FeedFormat = (typeof FeedFormat)[keyof typeof FeedFormat];

/** What a feed said about one indicator, as far as it said it. JSON-able; stored in `indicators.meta`. */
export interface IndicatorMeta {
  /** Kind of threat in the feed's words: `C2`, `malware_download`, `phishing`, `botnet_cc`. */
  threat?: string;
  malware?: string;
  tags?: string[];
  /** As the feed wrote it (usually `YYYY-MM-DD hh:mm:ss` UTC or ISO 8601). */
  firstSeen?: string;
  lastSeen?: string;
  /** 0-100 where the feed gives one. */
  confidence?: number;
  /** A link or an id at the source (`SBL256893`, a ThreatFox/URLhaus page, a STIX id). */
  reference?: string;
  /** Free text: STIX indicator name, MISP event info, phishing target. */
  description?: string;
  /** Warning lists: why the value is known-good ("public DNS resolver (Google)"). */
  reason?: string;
  [key: string]: unknown;
}

export type IndicatorType = IocType | 'CIDR';

export interface FeedIndicator {
  type: IndicatorType;
  /** Normalized like alert IOCs (normalizeIocValue); a CIDR is `network/length` in canonical form. */
  value: string;
  meta: IndicatorMeta;
}

export interface ParseProblem {
  /** 1-based line of line-oriented formats. */
  line?: number;
  reason: string;
}

export interface ParseResult {
  indicators: FeedIndicator[];
  /** Examples of what was skipped and why, at most FEED_LIMITS.problemsKept. */
  skipped: ParseProblem[];
  /** How many entries were skipped in all (`skipped` keeps only the first ones). */
  skippedCount: number;
  /** Set when the document as a whole could not be read: the loader then keeps the previous set. */
  error?: string;
}

export interface FeedConfig {
  /** Stable name, used in reasons ("listed in feodotracker"). */
  name: string;
  kind: FeedKind;
  format: FeedFormat;
  /** A file path or an http(s) URL, from configuration only (never from an alert). */
  location: string;
  /** Reload interval; without it the feed is loaded once. */
  refreshMs?: number;
}

export const FEED_LIMITS = {
  /** A feed document larger than this is refused whole (the biggest public dumps are far below). */
  maxChars: 64 * 1024 * 1024,
  /** Indicators kept per feed; the rest is counted as skipped. */
  maxIndicators: 2_000_000,
  /** Longer lines are no indicator (URLs are capped at 2048 by the URL normalizer anyway). */
  maxLineChars: 8192,
  /** Skipped entries kept as examples in a ParseResult. */
  problemsKept: 100,
  /** Problems recorded in `feeds.problems`. */
  problemsStored: 5,
  /** MISP feed events fetched per load. */
  maxMispEvents: 1000,
} as const;

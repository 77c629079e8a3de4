/**
 * From feed and warning-list hits to a verdict, with reasons people can read.
 *
 * Precedence: a warning list outranks feeds. Feeds do list shared infrastructure (a resolver queried by
 * malware, a CDN edge in front of a phishing page), so a feed hit on a warning-listed value is
 * SUSPICIOUS at most, with both reasons; a warning-list hit alone is BENIGN; a feed hit alone is
 * MALICIOUS. For URLs, an exact URL listing stays MALICIOUS even on a warning-listed host (phishing
 * pages on shared platforms are what such feeds list), while a warning-listed host alone proves nothing
 * about the page: UNKNOWN with the reason, never BENIGN.
 */
import { EnrichmentStatus, Verdict, type EnrichmentResult } from '../types.js';
import type { IndicatorHit } from './store.js';
import { FeedKind } from './types.js';

export const FEEDS_PROVIDER = 'feeds';
const MAX_REASONS = 8;
const MAX_DATA_HITS = 20;

function day(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : text.slice(0, 32);
}

function where(hit: IndicatorHit): string {
  if (hit.matchedBy === 'range') return ` (block ${hit.value})`;
  if (hit.matchedBy === 'parent') return ` (parent ${hit.value})`;
  return '';
}

/** "listed in feodotracker: Emotet C2 (first seen 2026-11-01)". */
export function feedReason(hit: IndicatorHit, prefix = ''): string {
  const m = hit.meta;
  const what = typeof m.malware === 'string' ? [m.malware, m.threat].filter((p) => typeof p === 'string').join(' ') : (m.description ?? m.threat ?? m.reference);
  const seen = day(typeof m.firstSeen === 'string' ? m.firstSeen : undefined);
  return `${prefix}listed in ${hit.feed}${where(hit)}${typeof what === 'string' && what !== '' ? `: ${what}` : ''}${seen ? ` (first seen ${seen})` : ''}`;
}

export function warningReason(hit: IndicatorHit, prefix = ''): string {
  const reason = typeof hit.meta.reason === 'string' ? hit.meta.reason : 'known-good infrastructure';
  return `${prefix}${reason}${where(hit)} [warning list ${hit.feed}]`;
}

function unique(list: string[]): string[] {
  return [...new Set(list)].slice(0, MAX_REASONS);
}

function hitData(hit: IndicatorHit, via: string): Record<string, unknown> {
  return { feed: hit.feed, kind: hit.kind, type: hit.type, value: hit.value, matchedBy: hit.matchedBy, via, meta: hit.meta };
}

export interface HitSet {
  /** Hits on the IOC itself. */
  own: IndicatorHit[];
  /** For URLs: hits on the URL's host. */
  host?: { name: string; hits: IndicatorHit[] };
}

export function verdictFor(hits: HitSet): EnrichmentResult {
  const feedOwn = hits.own.filter((h) => h.kind === FeedKind.FEED);
  const warnOwn = hits.own.filter((h) => h.kind === FeedKind.WARNING_LIST);
  const hostHits = hits.host?.hits ?? [];
  const feedHost = hostHits.filter((h) => h.kind === FeedKind.FEED);
  const warnHost = hostHits.filter((h) => h.kind === FeedKind.WARNING_LIST);
  const hostPrefix = hits.host ? `host ${hits.host.name} ` : '';
  const data = {
    hits: [...hits.own.map((h) => hitData(h, 'value')), ...hostHits.map((h) => hitData(h, 'host'))].slice(0, MAX_DATA_HITS),
    warningListed: warnOwn.length > 0 || warnHost.length > 0,
  };
  const feedReasons = [...feedOwn.map((h) => feedReason(h)), ...feedHost.map((h) => feedReason(h, hostPrefix))];
  const warnReasons = [...warnOwn.map((h) => warningReason(h)), ...warnHost.map((h) => warningReason(h, hostPrefix))];
  const result = (verdict: Verdict, reasons: string[]): EnrichmentResult => ({ provider: FEEDS_PROVIDER, status: EnrichmentStatus.OK, verdict, reasons: unique(reasons), data });

  if (feedOwn.length > 0 && warnOwn.length > 0) {
    return result(Verdict.SUSPICIOUS, [...feedReasons, ...warnReasons, 'a warning list outranks feeds: at most SUSPICIOUS']);
  }
  if (feedOwn.length > 0) return result(Verdict.MALICIOUS, [...feedReasons, ...warnReasons]);
  if (warnOwn.length > 0) return result(Verdict.BENIGN, warnReasons);
  if (feedHost.length > 0 && warnHost.length > 0) {
    return result(Verdict.SUSPICIOUS, [...feedReasons, ...warnReasons, 'a warning list outranks feeds: at most SUSPICIOUS']);
  }
  if (feedHost.length > 0) return result(Verdict.MALICIOUS, feedReasons);
  if (warnHost.length > 0) return result(Verdict.UNKNOWN, [...warnReasons, 'a known-good host does not vouch for every page it serves']);
  return { provider: FEEDS_PROVIDER, status: EnrichmentStatus.NO_DATA, verdict: Verdict.UNKNOWN, reasons: [], data };
}

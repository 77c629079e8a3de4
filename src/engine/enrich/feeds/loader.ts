/**
 * Loads one feed: fetch (injected), parse, then replace the feed's indicators in one transaction. Any
 * failure before the write (unreachable, unreadable, nothing usable) is recorded on the feed and the
 * previous set stays in force: a feed outage must not silently empty a blocklist.
 */
import { join } from 'node:path';
import { ParseCollector } from './collector.js';
import { checkLocation, type FetchText } from './fetch.js';
import { parseFeedText } from './parsers/index.js';
import { parseMispEvent, parseMispManifest } from './parsers/misp.js';
import type { FeedStore } from './store.js';
import { FEED_LIMITS, FeedFormat, type FeedConfig, type ParseProblem, type ParseResult } from './types.js';

export interface LoadFeedDeps {
  fetchText: FetchText;
  now?: () => number;
  signal?: AbortSignal;
}

export interface FeedLoadOutcome {
  feed: string;
  ok: boolean;
  /** Indicators now in force for the feed (after a failure: none were replaced, this is 0). */
  loaded: number;
  skipped: number;
  problems: ParseProblem[];
  error?: string;
}

const NAME = /^[A-Za-z0-9][\w.:-]{0,63}$/;

/** A file next to `base`, which is a MISP feed directory or URL (or its manifest.json). */
function sibling(base: string, file: string): string {
  const dir = base.endsWith('manifest.json') ? base.slice(0, -'manifest.json'.length) : base;
  if (/^https?:\/\//i.test(dir)) return new URL(file, dir.endsWith('/') ? dir : `${dir}/`).href;
  return join(dir, file);
}

async function loadMispFeed(config: FeedConfig, deps: LoadFeedDeps): Promise<ParseResult> {
  const manifest = parseMispManifest(await deps.fetchText(sibling(config.location, 'manifest.json'), deps.signal));
  if (manifest.error !== undefined) return { indicators: [], skipped: [], skippedCount: 0, error: `manifest.json: ${manifest.error}` };
  // Newest events first, so a cap keeps what matters now.
  const events = [...manifest.events].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
  const merged: ParseResult = { indicators: [], skipped: [], skippedCount: 0 };
  const note = (reason: string): void => {
    merged.skippedCount++;
    if (merged.skipped.length < FEED_LIMITS.problemsKept) merged.skipped.push({ reason });
  };
  if (manifest.dropped > 0) for (let i = 0; i < Math.min(manifest.dropped, 3); i++) note('manifest key that is not an event uuid');
  if (events.length > FEED_LIMITS.maxMispEvents) note(`${events.length - FEED_LIMITS.maxMispEvents} events over the limit of ${FEED_LIMITS.maxMispEvents}`);
  for (const event of events.slice(0, FEED_LIMITS.maxMispEvents)) {
    // Sequential on purpose: a feed server is someone else's, and one event at a time is polite.
    const result = parseMispEvent(await deps.fetchText(sibling(config.location, `${event.uuid}.json`), deps.signal));
    if (result.error !== undefined) return { ...merged, error: `event ${event.uuid}: ${result.error}` };
    merged.indicators.push(...result.indicators);
    merged.skippedCount += result.skippedCount - result.skipped.length;
    for (const p of result.skipped) note(`event ${event.uuid}: ${p.reason}`);
  }
  return merged;
}

async function fetchAndParse(config: FeedConfig, deps: LoadFeedDeps, now: number): Promise<ParseResult> {
  if (config.format === FeedFormat.MISP_FEED) return loadMispFeed(config, deps);
  const text = await deps.fetchText(config.location, deps.signal);
  if (text.trim() === '') return { indicators: [], skipped: [], skippedCount: 0, error: 'empty document' };
  return parseFeedText(config.format, text, now);
}

export async function loadFeed(config: FeedConfig, store: FeedStore, deps: LoadFeedDeps): Promise<FeedLoadOutcome> {
  const now = deps.now ?? Date.now;
  const fail = (error: string, problems: ParseProblem[] = []): FeedLoadOutcome => {
    if (NAME.test(config.name)) store.recordFailure(config, error, now());
    return { feed: config.name, ok: false, loaded: 0, skipped: 0, problems, error };
  };
  if (!NAME.test(config.name)) return fail('feed name must be 1-64 letters, digits, ".", "_", ":" or "-"');
  const bad = checkLocation(config.location);
  if (bad) return fail(bad);
  let result: ParseResult;
  try {
    result = await fetchAndParse(config, deps, now());
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  if (result.error !== undefined) return fail(result.error, result.skipped.slice(0, FEED_LIMITS.problemsStored));
  // Everything skipped is a wrong format or a broken download, not a feed that emptied itself.
  if (result.indicators.length === 0 && result.skippedCount > 0) {
    return fail(`no usable indicator (${result.skippedCount} entries skipped)`, result.skipped.slice(0, FEED_LIMITS.problemsStored));
  }
  const stored = store.replaceIndicators(config, result, now());
  return { feed: config.name, ok: true, ...stored, problems: result.skipped.slice(0, FEED_LIMITS.problemsStored) };
}

/** Builds a ParseResult from values given in configuration (the organisation's own ranges and names). */
export function collectConfiguredValues(values: readonly string[], meta: { reason: string }): ParseResult {
  const out = new ParseCollector({ allowReserved: true });
  for (const v of values) out.add(v.includes('/') || /^[0-9a-fA-F:.]+$/.test(v) ? 'IP' : 'HOST', v, { reason: meta.reason });
  return out.result();
}

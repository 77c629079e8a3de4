/**
 * The `feeds` and `indicators` tables behind prepared statements (the hot path of every lookup).
 * A load replaces one feed's indicators in a single synchronous transaction: readers see the old set
 * or the new one, and a load that throws half-way leaves the old set in place.
 *
 * Address ranges: every range row is a CIDR block keyed by `range_start`/`range_end` (see ip-range.ts).
 * Blocks are nested or disjoint, so those containing an address start at one of its 33 (IPv4) or 129
 * (IPv6) prefix network addresses: one statement seeks each of them in `indicators_range_idx` and keeps
 * rows whose end reaches the address. Overlapping and nested blocks, from one feed or several, are all
 * found, and the cost does not grow with the number of rows (measured with 100k IPv4 and 20k IPv6
 * blocks: about 35 us per IPv4 and 65 us per IPv6 lookup; test/engine/enrich/feeds/measure-lookup.ts).
 */
import type Database from 'better-sqlite3';
import { addressKey, addressNumber, containingStarts, parseCidr, type IpFamily } from './ip-range.js';
import { FEED_LIMITS, type FeedConfig, type FeedKind, type IndicatorMeta, type IndicatorType, type ParseProblem, type ParseResult } from './types.js';

export type MatchKind = 'exact' | 'range' | 'parent';

export interface IndicatorHit {
  feed: string;
  kind: FeedKind;
  type: IndicatorType;
  /** The stored entry that matched (the block `1.4.0.0/17`, the parent domain `evil.com`). */
  value: string;
  matchedBy: MatchKind;
  meta: IndicatorMeta;
}

export interface FeedStatus {
  name: string;
  kind: FeedKind;
  format: string;
  location: string;
  refreshMs: number | null;
  lastLoadedAt: number | null;
  /** OK after a successful load, FAILED when the last attempt failed (the previous set is kept). */
  lastStatus: string | null;
  loaded: number;
  skipped: number;
  problems: ParseProblem[];
}

export interface FeedStore {
  /** Replaces the feed's indicators with `result`'s in one transaction; returns what was stored. */
  replaceIndicators(config: FeedConfig, result: ParseResult, at: number): { loaded: number; skipped: number };
  /** Records a failed load without touching the indicators. */
  recordFailure(config: FeedConfig, error: string, at: number): void;
  feedStatus(name: string): FeedStatus | undefined;
  /** Exact (type, value) lookups: URLs, emails, hashes, and addresses listed one by one. */
  matchValue(type: IndicatorType, value: string): IndicatorHit[];
  /** A canonical address: exact entries and every CIDR block containing it. */
  matchIp(type: IndicatorType, value: string): IndicatorHit[];
  /** A domain or host name: the name itself and its parents (`evil.com` flags `a.b.evil.com`). */
  matchName(type: IndicatorType, value: string): IndicatorHit[];
  countIndicators(feed: string): number;
}

interface HitRow {
  feed: string;
  kind: string;
  type: string;
  value: string;
  meta: string | null;
}

/** Hits per lookup: a value listed by more feeds than this is flagged anyway. */
const MAX_HITS = 50;
const SELECT = 'SELECT i.feed AS feed, f.kind AS kind, i.type AS type, i.value AS value, i.meta AS meta FROM indicators i JOIN feeds f ON f.name = i.feed';

function toHit(row: HitRow, matchedBy: MatchKind): IndicatorHit {
  let meta: IndicatorMeta = {};
  try {
    meta = row.meta ? (JSON.parse(row.meta) as IndicatorMeta) : {};
  } catch {
    // A row written by something else: the match still stands without its details.
  }
  return { feed: row.feed, kind: row.kind as FeedKind, type: row.type as IndicatorType, value: row.value, matchedBy, meta };
}

export function createFeedStore(sqlite: Database.Database): FeedStore {
  const upsertFeed = sqlite.prepare(
    `INSERT INTO feeds (name, kind, format, location, refresh_ms) VALUES (@name, @kind, @format, @location, @refreshMs)
     ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, format = excluded.format, location = excluded.location, refresh_ms = excluded.refresh_ms`,
  );
  const deleteIndicators = sqlite.prepare('DELETE FROM indicators WHERE feed = ?');
  const insertIndicator = sqlite.prepare('INSERT INTO indicators (feed, type, value, range_start, range_end, meta, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const markLoaded = sqlite.prepare("UPDATE feeds SET last_loaded_at = ?, last_status = 'OK', loaded = ?, skipped = ?, problems = ? WHERE name = ?");
  const markFailed = sqlite.prepare("UPDATE feeds SET last_status = 'FAILED', problems = ? WHERE name = ?");
  const selectFeed = sqlite.prepare('SELECT name, kind, format, location, refresh_ms AS refreshMs, last_loaded_at AS lastLoadedAt, last_status AS lastStatus, loaded, skipped, problems FROM feeds WHERE name = ?');
  const countStmt = sqlite.prepare('SELECT count(*) AS n FROM indicators WHERE feed = ?');
  const exact = sqlite.prepare(`${SELECT} WHERE i.type = ? AND i.value = ? LIMIT ${MAX_HITS}`);
  const inRange = (bits: number) =>
    sqlite.prepare(`${SELECT} WHERE i.range_start IN (${new Array<string>(bits + 1).fill('?').join(', ')}) AND i.range_end >= ? LIMIT ${MAX_HITS}`);
  const rangeStmt: Record<IpFamily, Database.Statement> = { 4: inRange(32), 6: inRange(128) };

  const replace = sqlite.transaction((config: FeedConfig, result: ParseResult, at: number) => {
    upsertFeed.run({ ...config, refreshMs: config.refreshMs ?? null });
    deleteIndicators.run(config.name);
    const seen = new Set<string>();
    let loaded = 0;
    let overCap = 0;
    for (const ind of result.indicators) {
      const key = `${ind.type}\u0000${ind.value}`;
      if (seen.has(key)) continue;
      if (loaded >= FEED_LIMITS.maxIndicators) {
        overCap++;
        continue;
      }
      seen.add(key);
      const block = ind.type === 'CIDR' ? parseCidr(ind.value) : undefined;
      if (ind.type === 'CIDR' && !block) throw new Error(`invalid CIDR block ${ind.value}`);
      insertIndicator.run(config.name, ind.type, ind.value, block?.start ?? null, block?.end ?? null, JSON.stringify(ind.meta), at);
      loaded++;
    }
    const skipped = result.skippedCount + overCap;
    const problems = result.skipped.slice(0, FEED_LIMITS.problemsStored);
    markLoaded.run(at, loaded, skipped, problems.length > 0 ? JSON.stringify(problems) : null, config.name);
    return { loaded, skipped };
  });

  return {
    replaceIndicators: (config, result, at) => replace(config, result, at),
    recordFailure(config, error, at) {
      sqlite.transaction(() => {
        upsertFeed.run({ ...config, refreshMs: config.refreshMs ?? null });
        markFailed.run(JSON.stringify([{ reason: `load failed at ${new Date(at).toISOString()}: ${error.slice(0, 300)}` }]), config.name);
      })();
    },
    feedStatus(name) {
      const row = selectFeed.get(name) as (Omit<FeedStatus, 'problems'> & { problems: string | null }) | undefined;
      if (!row) return undefined;
      return { ...row, problems: row.problems ? (JSON.parse(row.problems) as ParseProblem[]) : [] };
    },
    matchValue: (type, value) => (exact.all(type, value) as HitRow[]).map((r) => toHit(r, 'exact')),
    matchIp(type, value) {
      const hits = (exact.all(type, value) as HitRow[]).map((r) => toHit(r, 'exact'));
      const addr = addressNumber(value);
      if (!addr) return hits;
      const rows = rangeStmt[addr.family].all(...containingStarts(addr.family, addr.n), addressKey(addr.family, addr.n)) as HitRow[];
      return [...hits, ...rows.map((r) => toHit(r, 'range'))];
    },
    matchName(type, value) {
      const hits: IndicatorHit[] = [];
      let name = value;
      for (;;) {
        for (const r of exact.all(type, name) as HitRow[]) hits.push(toHit(r, name === value ? 'exact' : 'parent'));
        const dot = name.indexOf('.');
        name = name.slice(dot + 1);
        // Parents stop at two labels: no feed entry is a bare TLD (normalization refuses one).
        if (dot < 0 || !name.includes('.') || hits.length >= MAX_HITS) break;
      }
      return hits;
    },
    countIndicators: (feed) => (countStmt.get(feed) as { n: number }).n,
  };
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedFormat, FeedKind, parseNetset, parsePlainList, type FeedConfig, type ParseResult } from '../../../../src/engine/enrich/feeds/index.js';
import { createTestStore, T0, type TestStore } from './helpers.js';

const feed = (name: string, kind: FeedKind = FeedKind.FEED): FeedConfig => ({ name, kind, format: FeedFormat.NETSET, location: `/feeds/${name}` });
const hits = (list: Array<{ feed: string; value: string; matchedBy: string }>) => list.map((h) => `${h.feed} ${h.value} ${h.matchedBy}`).sort();

let t: TestStore;
beforeEach(() => {
  t = createTestStore();
});
afterEach(() => t.handle.close());

describe('CIDR matching', () => {
  it('finds every containing block, nested and overlapping, across feeds', () => {
    t.store.replaceIndicators(feed('drop'), parseNetset('5.188.0.0/16\n5.188.10.0/23\n5.188.10.0/24\n5.188.11.0/24\n'), T0);
    t.store.replaceIndicators(feed('firehol'), parseNetset('5.188.8.0/21\n5.188.10.77\n31.184.196.0/24\n'), T0);
    expect(hits(t.store.matchIp('IPV4', '5.188.10.77'))).toEqual([
      'drop 5.188.0.0/16 range',
      'drop 5.188.10.0/23 range',
      'drop 5.188.10.0/24 range',
      'firehol 5.188.10.77 exact',
      'firehol 5.188.8.0/21 range',
    ]);
    expect(hits(t.store.matchIp('IPV4', '5.188.11.255'))).toEqual(['drop 5.188.0.0/16 range', 'drop 5.188.10.0/23 range', 'drop 5.188.11.0/24 range', 'firehol 5.188.8.0/21 range']);
    // Edges: the first and last address of a block are in it, their neighbours are not.
    expect(hits(t.store.matchIp('IPV4', '31.184.196.0'))).toEqual(['firehol 31.184.196.0/24 range']);
    expect(hits(t.store.matchIp('IPV4', '31.184.196.255'))).toEqual(['firehol 31.184.196.0/24 range']);
    expect(t.store.matchIp('IPV4', '31.184.195.255')).toEqual([]);
    expect(t.store.matchIp('IPV4', '31.184.197.0')).toEqual([]);
  });

  it('matches IPv6 blocks and keeps the families apart', () => {
    t.store.replaceIndicators(feed('drop6'), parseNetset('2a06:e480::/29 ; SBL301771\n2a0e:1c80::/32\n'), T0);
    t.store.replaceIndicators(feed('drop4'), parseNetset('42.0.0.0/8\n'), T0);
    const hit = t.store.matchIp('IPV6', '2a06:e487:ffff::1');
    expect(hits(hit)).toEqual(['drop6 2a06:e480::/29 range']);
    expect(hit[0]?.meta.reference).toBe('SBL301771');
    expect(t.store.matchIp('IPV6', '2a06:e488::1')).toEqual([]);
    // 2a00::/8 as hex starts like 42.0.0.0 (0x2a): the family tag keeps them apart.
    expect(t.store.matchIp('IPV6', '2a00::1')).toEqual([]);
    expect(hits(t.store.matchIp('IPV4', '42.1.2.3'))).toEqual(['drop4 42.0.0.0/8 range']);
  });

  it('looks ranges up through the index, not a scan', () => {
    const plan = t.handle.sqlite
      .prepare(`EXPLAIN QUERY PLAN SELECT i.feed FROM indicators i JOIN feeds f ON f.name = i.feed WHERE i.range_start IN (${new Array(33).fill('?').join(',')}) AND i.range_end >= ?`)
      .all(...new Array(34).fill('4c0a80001')) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/SEARCH i USING INDEX indicators_range_idx \(range_start=\? AND range_end>\?\)/);
  });
});

describe('names', () => {
  it('matches a domain and its parents, bounded by its labels', () => {
    t.store.replaceIndicators(feed('doms'), parsePlainList('evil.com\nb.evil.com\nother.org\n'), T0);
    expect(hits(t.store.matchName('DOMAIN', 'a.b.evil.com'))).toEqual(['doms b.evil.com parent', 'doms evil.com parent']);
    expect(hits(t.store.matchName('DOMAIN', 'evil.com'))).toEqual(['doms evil.com exact']);
    expect(t.store.matchName('DOMAIN', 'notevil.com')).toEqual([]);
    expect(t.store.matchName('DOMAIN', 'evil.com.example.net')).toEqual([]);
  });
});

describe('loads', () => {
  it('replaces a feed atomically: a load that throws half-way keeps the previous set', () => {
    t.store.replaceIndicators(feed('f'), parsePlainList('1.2.3.4\n5.6.7.8\n'), T0);
    const broken: ParseResult = {
      indicators: [
        { type: 'IPV4', value: '9.9.9.1', meta: {} },
        { type: 'IPV4', value: '9.9.9.2', meta: { n: 1n } },
      ],
      skipped: [],
      skippedCount: 0,
    };
    expect(() => t.store.replaceIndicators(feed('f'), broken, T0 + 1)).toThrow();
    expect(t.store.countIndicators('f')).toBe(2);
    expect(t.store.matchIp('IPV4', '1.2.3.4')).toHaveLength(1);
    expect(t.store.matchIp('IPV4', '9.9.9.1')).toEqual([]);
    expect(t.store.feedStatus('f')).toMatchObject({ lastLoadedAt: T0, loaded: 2, lastStatus: 'OK' });
  });

  it('records counts, a few problems, and drops duplicates', () => {
    const r = parsePlainList('1.2.3.4\n1.2.3.4\nbad value\nnope\n');
    expect(t.store.replaceIndicators(feed('f'), r, T0)).toEqual({ loaded: 1, skipped: 2 });
    const status = t.store.feedStatus('f');
    expect(status).toMatchObject({ kind: 'FEED', loaded: 1, skipped: 2, lastStatus: 'OK', lastLoadedAt: T0 });
    expect(status?.problems).toEqual([{ line: 3, reason: 'more than one value on the line' }, { line: 4, reason: 'not an IP, CIDR, domain, URL, email or hash: "nope"' }]);
  });
});

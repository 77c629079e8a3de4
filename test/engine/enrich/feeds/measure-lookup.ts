/**
 * Measures feed lookups against 100k CIDR blocks (plus nested and overlapping ones) and 100k exact
 * entries in a migrated :memory: database. A script, not a test: timings vary by machine.
 *   npx tsx test/engine/enrich/feeds/measure-lookup.ts
 */
import { openDatabase } from '../../../../db/client.js';
import { runMigrations } from '../../../../db/migrate.js';
import { createFeedStore, FeedFormat, FeedKind, parseNetset, parsePlainList } from '../../../../src/engine/enrich/feeds/index.js';

let seed = 42;
const rand = (n: number): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
};
const v4 = (): string => `${1 + rand(222)}.${rand(256)}.${rand(256)}.${rand(256)}`;

const handle = openDatabase({ path: ':memory:' });
runMigrations(handle.db);
const store = createFeedStore(handle.sqlite);

// Random blocks from /12 to /28 (about 100k survive the bogon filter); many nest in or overlap one another.
const ranges = parseNetset(Array.from({ length: 110_000 }, () => `${v4()}/${12 + rand(17)}`).join('\n'));
const v6 = parseNetset(Array.from({ length: 20_000 }, () => `2a0${rand(10)}:${rand(65536).toString(16)}:${rand(65536).toString(16)}::/${32 + rand(33)}`).join('\n'));
const exact = parsePlainList(Array.from({ length: 100_000 }, v4).join('\n'));

let started = performance.now();
store.replaceIndicators({ name: 'ranges', kind: FeedKind.FEED, format: FeedFormat.NETSET, location: '/r' }, ranges, Date.now());
store.replaceIndicators({ name: 'ranges6', kind: FeedKind.FEED, format: FeedFormat.NETSET, location: '/r6' }, v6, Date.now());
store.replaceIndicators({ name: 'exact', kind: FeedKind.FEED, format: FeedFormat.PLAIN, location: '/e' }, exact, Date.now());
console.log(`loaded ${store.countIndicators('ranges')} IPv4 blocks, ${store.countIndicators('ranges6')} IPv6 blocks, ${store.countIndicators('exact')} addresses in ${(performance.now() - started).toFixed(0)} ms`);

function measure(label: string, fn: () => number, n: number): void {
  for (let i = 0; i < 1000; i++) fn();
  let found = 0;
  started = performance.now();
  for (let i = 0; i < n; i++) found += fn();
  const us = ((performance.now() - started) * 1000) / n;
  console.log(`${label}: ${us.toFixed(1)} us per lookup (${n} lookups, ${found} hits)`);
}

measure('IPv4 lookup (exact + containing blocks)', () => store.matchIp('IPV4', v4()).length, 20_000);
measure('IPv6 lookup (exact + containing blocks)', () => store.matchIp('IPV6', `2a0${rand(10)}:${rand(65536).toString(16)}::${rand(65536).toString(16)}`).length, 20_000);
measure('domain lookup with parents (4 labels)', () => store.matchName('DOMAIN', `a${rand(1000)}.b.example${rand(1000)}.com`).length, 20_000);
handle.close();

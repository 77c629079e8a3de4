import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFetchText, FeedFormat, FeedKind, loadFeed, scheduleFeeds, type FeedConfig, type SetTimer } from '../../../../src/engine/enrich/feeds/index.js';
import { createTestStore, fixture, FIXTURES, startFileServer, T0, type FileServer, type TestStore } from './helpers.js';

const fetchText = createFetchText({ timeoutMs: 5000 });
const deps = { fetchText, now: () => T0 };

let server: FileServer;
let t: TestStore;
beforeAll(async () => {
  server = await startFileServer();
});
afterAll(() => server.close());
beforeEach(() => {
  t = createTestStore();
  server.files.clear();
  server.requests.length = 0;
});
afterEach(() => t.handle.close());

describe('loading over HTTP (loopback)', () => {
  it('loads a feed, then a failed reload keeps the previous set and records the failure', async () => {
    server.files.set('/feodo.json', { body: fixture('vigil/feodo-ipblocklist.json') });
    const config: FeedConfig = { name: 'feodotracker', kind: FeedKind.FEED, format: FeedFormat.FEODO_JSON, location: `${server.url}/feodo.json` };
    const first = await loadFeed(config, t.store, deps);
    expect(first).toMatchObject({ ok: true, loaded: 2, skipped: 2 });
    expect(t.store.feedStatus('feodotracker')).toMatchObject({ lastStatus: 'OK', loaded: 2, skipped: 2, lastLoadedAt: T0 });
    expect(t.store.feedStatus('feodotracker')?.problems[0]?.reason).toBe('not an IP address: "999.1.2.3"');

    for (const broken of [{ status: 503, body: 'busy' }, { body: '[{"ip_address": ' }, { body: '' }, { body: '[{"port": 1}]' }]) {
      server.files.set('/feodo.json', broken);
      const again = await loadFeed(config, t.store, { ...deps, now: () => T0 + 60_000 });
      expect(again.ok).toBe(false);
      expect(t.store.countIndicators('feodotracker')).toBe(2);
      expect(t.store.matchIp('IPV4', '45.77.120.14')).toHaveLength(1);
      const status = t.store.feedStatus('feodotracker');
      expect(status).toMatchObject({ lastStatus: 'FAILED', loaded: 2, lastLoadedAt: T0 });
      expect(status?.problems[0]?.reason).toContain(again.error);
    }
    expect(t.store.feedStatus('feodotracker')?.problems[0]?.reason).toMatch(/no usable indicator/);
  });

  it('loads a MISP feed: manifest.json, then each event', async () => {
    server.files.set('/misp/manifest.json', { body: fixture('misp/manifest.json') });
    server.files.set('/misp/57c4445b-c548-4654-af0b-4be3950d210f.json', { body: fixture('misp/57c4445b-c548-4654-af0b-4be3950d210f.json') });
    const config: FeedConfig = { name: 'circl-osint', kind: FeedKind.FEED, format: FeedFormat.MISP_FEED, location: `${server.url}/misp/` };
    const outcome = await loadFeed(config, t.store, deps);
    expect(outcome).toMatchObject({ ok: true, loaded: 3, skipped: 6 });
    expect(server.requests).toEqual(['/misp/manifest.json', '/misp/57c4445b-c548-4654-af0b-4be3950d210f.json']);
    // A missing event fails the whole load rather than silently dropping that event's indicators.
    server.files.delete('/misp/57c4445b-c548-4654-af0b-4be3950d210f.json');
    expect((await loadFeed(config, t.store, deps)).ok).toBe(false);
    expect(t.store.countIndicators('circl-osint')).toBe(3);
  });

  it('caps the size of a response', async () => {
    server.files.set('/big.txt', { body: '1.2.3.4\n'.repeat(1000) });
    const small = createFetchText({ maxBytes: 1000 });
    const outcome = await loadFeed({ name: 'big', kind: FeedKind.FEED, format: FeedFormat.PLAIN, location: `${server.url}/big.txt` }, t.store, { fetchText: small, now: () => T0 });
    expect(outcome).toMatchObject({ ok: false, error: 'response larger than 1000 bytes' });
  });
});

describe('loading from files', () => {
  it('loads a STIX bundle and a MISP feed directory from disk', async () => {
    const stix = await loadFeed({ name: 'oasis', kind: FeedKind.FEED, format: FeedFormat.STIX21, location: join(FIXTURES, 'stix21/indicators-for-C2-with-COA.json') }, t.store, deps);
    expect(stix).toMatchObject({ ok: true, loaded: 2 });
    const misp = await loadFeed({ name: 'misp-dir', kind: FeedKind.FEED, format: FeedFormat.MISP_FEED, location: join(FIXTURES, 'misp') }, t.store, deps);
    expect(misp).toMatchObject({ ok: true, loaded: 3 });
  });

  it('refuses bad names and schemes other than http(s) and reports a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-feeds-'));
    writeFileSync(join(dir, 'list.txt'), '185.220.101.33\n');
    const base = { kind: FeedKind.FEED, format: FeedFormat.PLAIN } as const;
    expect(await loadFeed({ ...base, name: 'ok', location: join(dir, 'list.txt') }, t.store, deps)).toMatchObject({ ok: true, loaded: 1 });
    expect(await loadFeed({ ...base, name: 'ftp', location: 'ftp://127.0.0.1/list.txt' }, t.store, deps)).toMatchObject({ ok: false, error: 'unsupported scheme ftp: use http(s) or a file path' });
    expect(await loadFeed({ ...base, name: 'bad name!', location: join(dir, 'list.txt') }, t.store, deps)).toMatchObject({ ok: false });
    expect((await loadFeed({ ...base, name: 'gone', location: join(dir, 'missing.txt') }, t.store, deps)).error).toMatch(/ENOENT/);
  });
});

describe('scheduleFeeds', () => {
  it('loads at once, reloads on each interval after the previous load, and stops', async () => {
    const timers: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
    const setTimer: SetTimer = (fn, ms) => {
      const timer = { fn, ms, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    };
    const loads: string[] = [];
    const loader = (c: FeedConfig) => {
      loads.push(c.name);
      return c.name === 'flaky' ? Promise.reject(new Error('boom')) : Promise.resolve();
    };
    const configs: FeedConfig[] = [
      { name: 'hourly', kind: FeedKind.FEED, format: FeedFormat.PLAIN, location: '/x', refreshMs: 3_600_000 },
      { name: 'flaky', kind: FeedKind.FEED, format: FeedFormat.PLAIN, location: '/y', refreshMs: 5 },
      { name: 'once', kind: FeedKind.FEED, format: FeedFormat.PLAIN, location: '/z' },
    ];
    const schedule = scheduleFeeds(configs, loader, setTimer);
    await schedule.ready;
    expect(loads).toEqual(['hourly', 'flaky', 'once']);
    // One timer per refreshing feed; intervals below a minute are raised to one.
    expect(timers.map((x) => x.ms)).toEqual([3_600_000, 60_000]);
    timers[1]?.fn();
    await new Promise((r) => setImmediate(r));
    expect(loads).toEqual(['hourly', 'flaky', 'once', 'flaky']);
    expect(timers).toHaveLength(3);
    schedule.stop();
    expect(timers.filter((x) => !x.cancelled).map((x) => x.ms)).toEqual([60_000]);
    expect(timers[0]?.cancelled).toBe(true);
    expect(timers[2]?.cancelled).toBe(true);
  });
});

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EnrichmentTarget } from '../../../../src/engine/enrich/types.js';
import {
  createFeedEnricher,
  createFetchText,
  FeedFormat,
  FeedKind,
  loadFeed,
  loadOrganisationWarningList,
  parsePlainList,
  shippedWarningListConfigs,
} from '../../../../src/engine/enrich/feeds/index.js';
import { normalizeIocValue } from '../../../../src/engine/extract/index.js';
import type { IocType } from '../../../../src/engine/types.js';
import { createTestStore, fixture, startFileServer, T0, type FileServer, type TestStore } from './helpers.js';

const deps = { fetchText: createFetchText({ timeoutMs: 5000 }), now: () => T0 };
const target = (type: IocType, raw: string): EnrichmentTarget => ({ type, value: normalizeIocValue(type, raw) ?? raw, tlp: 'AMBER' });

let server: FileServer;
let t: TestStore;
beforeAll(async () => {
  server = await startFileServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  t = createTestStore();
  for (const config of shippedWarningListConfigs()) expect(await loadFeed(config, t.store, deps)).toMatchObject({ ok: true });
});
afterEach(() => t.handle.close());

async function lookup(type: IocType, raw: string) {
  return createFeedEnricher(t.store).lookup(target(type, raw), new AbortController().signal);
}

describe('the feeds enricher', () => {
  it('is a local enricher for addresses, names, URLs, emails and hashes', async () => {
    const enricher = createFeedEnricher(t.store);
    expect(enricher).toMatchObject({ name: 'feeds', external: false });
    expect(enricher.supports(target('IPV4', '1.2.3.4'))).toBe(true);
    expect(enricher.supports(target('SHA512', 'a'.repeat(128)))).toBe(true);
    expect(enricher.supports(target('USERNAME', 'root'))).toBe(false);
    const controller = new AbortController();
    controller.abort();
    expect((await enricher.lookup(target('IPV4', '1.2.3.4'), controller.signal)).status).toBe('TIMEOUT');
    expect(await lookup('IPV4', '185.22.13.9')).toMatchObject({ provider: 'feeds', status: 'NO_DATA', verdict: 'UNKNOWN', reasons: [] });
  });

  it('flags a Feodo Tracker address MALICIOUS, naming the feed and what it said', async () => {
    server.files.set('/ipblocklist.json', { body: fixture('vigil/feodo-ipblocklist.json') });
    await loadFeed({ name: 'feodotracker', kind: FeedKind.FEED, format: FeedFormat.FEODO_JSON, location: `${server.url}/ipblocklist.json` }, t.store, deps);
    const result = await lookup('IPV4', '45.77.120[.]14');
    expect(result).toMatchObject({ status: 'OK', verdict: 'MALICIOUS', reasons: ['listed in feodotracker: Emotet C2 (first seen 2026-11-01)'] });
    expect(result.data.hits).toEqual([expect.objectContaining({ feed: 'feodotracker', value: '45.77.120.14', matchedBy: 'exact' })]);
  });

  it('flags addresses inside listed blocks, IPv4 and IPv6', async () => {
    server.files.set('/drop.txt', { body: fixture('vigil/spamhaus-drop.txt') });
    await loadFeed({ name: 'spamhaus-drop', kind: FeedKind.FEED, format: FeedFormat.NETSET, location: `${server.url}/drop.txt` }, t.store, deps);
    expect(await lookup('IPV4', '1.10.20.30')).toMatchObject({ verdict: 'MALICIOUS', reasons: ['listed in spamhaus-drop (block 1.10.16.0/20): SBL256894'] });
    expect(await lookup('IPV6', '2a06:e481::dead:beef')).toMatchObject({ verdict: 'MALICIOUS', reasons: ['listed in spamhaus-drop (block 2a06:e480::/29): SBL301771'] });
  });

  it('flags subdomains of a listed domain', async () => {
    server.files.set('/tf.csv', { body: fixture('vigil/threatfox.csv') });
    await loadFeed({ name: 'threatfox', kind: FeedKind.FEED, format: FeedFormat.THREATFOX_CSV, location: `${server.url}/tf.csv` }, t.store, deps);
    expect(await lookup('DOMAIN', 'a.b.update-check.cloudsync-portal.com')).toMatchObject({
      verdict: 'MALICIOUS',
      reasons: ['listed in threatfox (parent update-check.cloudsync-portal.com): Cobalt Strike botnet_cc (first seen 2026-11-19)'],
    });
    expect((await lookup('DOMAIN', 'cloudsync-portal.com')).status).toBe('NO_DATA');
  });
});

describe('warning lists', () => {
  it('answer BENIGN with the reason, for addresses, blocks and subdomains', async () => {
    expect(await lookup('IPV4', '8.8.8.8')).toMatchObject({ status: 'OK', verdict: 'BENIGN', reasons: ['public DNS resolver (Google) [warning list warninglist-public-dns-resolvers]'] });
    expect(await lookup('IPV6', '2606:4700:4700::1111')).toMatchObject({ verdict: 'BENIGN' });
    expect((await lookup('IPV6', '2606:4700:10::6814:1')).reasons[0]).toBe('CDN edge (Cloudflare, shared by many sites) (block 2606:4700::/32) [warning list warninglist-cdn-edge-ranges]');
    expect(await lookup('DOMAIN', 'login.microsoftonline.com')).toMatchObject({ verdict: 'BENIGN', reasons: ['well-known domain (Microsoft) (parent microsoftonline.com) [warning list warninglist-well-known-domains]'] });
  });

  it('cap a feed hit at SUSPICIOUS and keep both reasons', async () => {
    t.store.replaceIndicators({ name: 'noisy-feed', kind: FeedKind.FEED, format: FeedFormat.PLAIN, location: '/noisy' }, parsePlainList('8.8.8.8\nwww.google.com\n'), T0);
    const ip = await lookup('IPV4', '8.8.8.8');
    expect(ip.verdict).toBe('SUSPICIOUS');
    expect(ip.reasons).toEqual(['listed in noisy-feed', 'public DNS resolver (Google) [warning list warninglist-public-dns-resolvers]', 'a warning list outranks feeds: at most SUSPICIOUS']);
    expect((await lookup('DOMAIN', 'www.google.com')).verdict).toBe('SUSPICIOUS');
  });

  it("include the organisation's own ranges and names from configuration", async () => {
    loadOrganisationWarningList(t.store, { ranges: ['10.0.0.0/8', '203.0.113.0/24'], domains: ['corp.example.com', 'dc01.corp.local'] }, T0);
    expect(await lookup('IPV4', '10.20.30.40')).toMatchObject({ verdict: 'BENIGN', reasons: ["organisation's own network (block 10.0.0.0/8) [warning list warninglist-organisation]"] });
    expect((await lookup('DOMAIN', 'vpn.corp.example.com')).verdict).toBe('BENIGN');
    expect((await lookup('HOSTNAME', 'dc01.corp.local')).verdict).toBe('BENIGN');
  });

  it('for URLs: an exact listing stays MALICIOUS on a known-good host; the host alone vouches for nothing', async () => {
    server.files.set('/phishtank.json', { body: fixture('vigil/phishtank-online-valid.json') });
    await loadFeed({ name: 'phishtank', kind: FeedKind.FEED, format: FeedFormat.PHISHTANK_JSON, location: `${server.url}/phishtank.json` }, t.store, deps);
    const listed = await lookup('URL', 'https://docs.google.com/forms/d/e/1FAIpQLSf-example/viewform');
    expect(listed.verdict).toBe('MALICIOUS');
    expect(listed.reasons[0]).toBe('listed in phishtank: phishing (first seen 2026-11-20)');
    expect(await lookup('URL', 'https://docs.google.com/other')).toMatchObject({ status: 'OK', verdict: 'UNKNOWN' });
    t.store.replaceIndicators({ name: 'doms', kind: FeedKind.FEED, format: FeedFormat.PLAIN, location: '/d' }, parsePlainList('evil-updates.example-bad.com\n'), T0);
    expect(await lookup('URL', 'http://cdn.evil-updates.example-bad.com/a.zip')).toMatchObject({
      verdict: 'MALICIOUS',
      reasons: ['host cdn.evil-updates.example-bad.com listed in doms (parent evil-updates.example-bad.com)'],
    });
  });
});

describe('end to end with the shared STIX 2.1 and MISP samples', () => {
  it('a STIX 2.1 bundle loads and flags its file hash MALICIOUS', async () => {
    server.files.set('/stix/bundle.json', { body: fixture('stix21/indicators-for-C2-with-COA.json') });
    expect(await loadFeed({ name: 'oasis-stix', kind: FeedKind.FEED, format: FeedFormat.STIX21, location: `${server.url}/stix/bundle.json` }, t.store, deps)).toMatchObject({ ok: true, loaded: 2 });
    const result = await lookup('SHA256', 'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C');
    expect(result).toMatchObject({ verdict: 'MALICIOUS', reasons: ['listed in oasis-stix: Poison Ivy (first seen 2014-05-08)'] });
  });

  it('a MISP feed event loads and flags its MD5 MALICIOUS', async () => {
    server.files.set('/misp/manifest.json', { body: fixture('misp/manifest.json') });
    server.files.set('/misp/57c4445b-c548-4654-af0b-4be3950d210f.json', { body: fixture('misp/57c4445b-c548-4654-af0b-4be3950d210f.json') });
    expect(await loadFeed({ name: 'circl-osint', kind: FeedKind.FEED, format: FeedFormat.MISP_FEED, location: `${server.url}/misp` }, t.store, deps)).toMatchObject({ ok: true });
    const result = await lookup('MD5', '0749bae92ca336a02c83d126e04ec628');
    expect(result).toMatchObject({ verdict: 'MALICIOUS', reasons: ['listed in circl-osint: Ransomware - Xorist (first seen 2016-08-29)'] });
    // to_ids=false attributes (the VirusTotal link) are context, never flagged.
    expect((await lookup('URL', 'http://www.xylibox.com/2011/06/have-fun-with-trojan-ransomwin32xorist.html')).status).toBe('NO_DATA');
  });
});

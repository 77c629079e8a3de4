import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDnsEnricher } from '../../src/engine/enrich/providers/dns/index.js';
import { createRdapEnricher } from '../../src/engine/enrich/providers/rdap/index.js';
import { createRegistrationEnricher, createWhoisEnricher } from '../../src/engine/enrich/providers/whois/index.js';
import { startDnsServer, type DnsTestServer } from '../engine/enrich/providers/dns-server.js';
import { startRdapServer, type RdapTestServer } from '../engine/enrich/providers/rdap-server.js';
import { buildMmdb, u32 } from '../engine/enrich/geoip/mmdb-writer.js';
import { createHarness, settle, type Harness } from '../helpers/harness.js';

const fixtures = fileURLToPath(new URL('../fixtures/threat_intel/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-feeds-'));
const feedsFile = join(dir, 'feeds.json');
writeFileSync(
  feedsFile,
  JSON.stringify([
    { name: 'oasis-stix-example', format: 'STIX21', location: join(fixtures, 'stix21/indicators-for-C2-with-COA.json') },
    { name: 'circl-osint', format: 'MISP_FEED', location: join(fixtures, 'misp') },
  ]),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let h: Harness;
afterEach(() => h?.close());

async function submit(log: string): Promise<string> {
  return (await h.ok(`mutation($log: String!) { submitAlert(input: { log: $log }) { ... on SubmitAlertSuccess { alert { id } } } }`, { log })).submitAlert.alert.id;
}

/** Waits for the pipeline and the background lookups. */
async function quiet(): Promise<void> {
  await settle(h);
  const deadline = Date.now() + 10_000;
  while (h.services.enrichment.service.pending > 0) {
    if (Date.now() > deadline) throw new Error('background enrichment did not finish');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const IOC = `query($type: IocType!, $value: String!) { ioc(type: $type, value: $value) {
  reputation { verdict reasons } domainAge dns enrichments { provider status verdict reasons error } } }`;

describe('threat-intel feeds in the pipeline', () => {
  it('loads a STIX 2.1 bundle and a MISP feed, then flags matching IOCs MALICIOUS naming the feed', async () => {
    h = createHarness({ VIGIL_FEEDS_FILE: feedsFile });
    const reloaded = await h.ok('mutation { reloadFeeds { name lastStatus loaded } }', undefined, h.tokens.ADMIN);
    expect(reloaded.reloadFeeds).toEqual(expect.arrayContaining([{ name: 'oasis-stix-example', lastStatus: 'OK', loaded: 2 }, expect.objectContaining({ name: 'circl-osint', lastStatus: 'OK' })]));

    const id = await submit('Nov 23 04:00:00 ws-07 clamd[311]: /tmp/a.bin: Win.Ransomware.Xorist FOUND md5=0749bae92ca336a02c83d126e04ec628 sha256=ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c');
    await quiet();
    const events = (await h.ok(`query($id: ID!) { alert(id: $id) { events { stage summary detail } } }`, { id })).alert.events;
    const enrich = events.find((e: { stage: string }) => e.stage === 'ENRICH');
    expect(enrich.summary).toMatch(/MALICIOUS/);
    const md5 = (await h.ok(IOC, { type: 'MD5', value: '0749BAE92CA336A02C83D126E04EC628' })).ioc;
    expect(md5.reputation.verdict).toBe('MALICIOUS');
    expect(md5.reputation.reasons.join(' ')).toContain('circl-osint');
    const sha = (await h.ok(IOC, { type: 'SHA256', value: 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c' })).ioc;
    expect(sha.reputation.reasons.join(' ')).toContain('oasis-stix-example');
  });

  it('treats a public resolver as known-good, and lists feeds with their counts', async () => {
    h = createHarness();
    await h.ok('mutation { reloadFeeds { name } }', undefined, h.tokens.ADMIN);
    await submit('named[100]: client 8.8.8.8#53 query: example.org IN A');
    await quiet();
    expect((await h.ok(IOC, { type: 'IPV4', value: '8.8.8.8' })).ioc.reputation).toMatchObject({ verdict: 'BENIGN', reasons: [expect.stringMatching(/resolver/i)] });
    const feeds = (await h.ok('{ feeds { name kind loaded } }')).feeds;
    expect(feeds.every((f: { kind: string }) => f.kind === 'WARNING_LIST')).toBe(true);
    expect(feeds.find((f: { name: string }) => f.name === 'warninglist-public-dns-resolvers').loaded).toBeGreaterThan(3);
  });
});

describe('network enrichment against loopback servers', () => {
  let dns: DnsTestServer;
  let rdap: RdapTestServer;
  beforeAll(async () => {
    dns = await startDnsServer();
    rdap = await startRdapServer();
  });
  afterAll(async () => {
    await dns.close();
    await rdap.close();
  });

  const providers = () => [
    createDnsEnricher({ servers: [dns.address], timeoutMs: 500 }),
    createRegistrationEnricher({
      rdap: createRdapEnricher({ servers: { dns: { com: `${rdap.base}rdap/` } }, timeoutMs: 1000 }),
      // No WHOIS server for .com here: a lookup that falls back has nowhere to go but is never sent outside.
      whois: createWhoisEnricher({ servers: {}, timeoutMs: 500 }),
    }),
  ];

  it('looks new IOCs up in the background, as later ENRICH events, and serves the cache without asking again', async () => {
    h = createHarness({ VIGIL_ENRICH_NETWORK: 'on' }, ':memory:', { networkProviders: providers() });
    const id = await submit('proxy: user alice GET http://good.example.com/index.html 200');
    await quiet();
    const events = (await h.ok(`query($id: ID!) { alert(id: $id) { status events { stage summary } } }`, { id })).alert;
    expect(events.status).toBe('PROCESSED');
    const enrichEvents = events.events.filter((e: { stage: string }) => e.stage === 'ENRICH');
    expect(enrichEvents[0].summary).toMatch(/looked up in the background/);
    expect(enrichEvents.slice(1).map((e: { summary: string }) => e.summary).join('\n')).toMatch(/good\.example\.com: .*dns OK/);
    const ioc = (await h.ok(IOC, { type: 'DOMAIN', value: 'good.example.com' })).ioc;
    expect(ioc.dns.records.A).toEqual(['203.0.113.10', '203.0.113.11']);
    expect(ioc.enrichments.find((e: { provider: string }) => e.provider === 'registration')).toMatchObject({ status: 'OK' });
    expect(ioc.domainAge).toBeGreaterThan(365);

    const asked = dns.queries.length;
    await submit('proxy: user bob GET http://good.example.com/other.html 200');
    await quiet();
    expect(dns.queries.length).toBe(asked);
  });

  it('still completes every alert when the network is unreachable, and says why data is missing', async () => {
    const unreachable = [
      createDnsEnricher({ servers: ['127.0.0.1:9'], timeoutMs: 300 }),
      createRegistrationEnricher({ rdap: createRdapEnricher({ servers: { dns: { com: 'http://127.0.0.1:9/' } }, timeoutMs: 300 }), whois: createWhoisEnricher({ servers: { com: '127.0.0.1:9' }, timeoutMs: 300 }) }),
    ];
    h = createHarness({ VIGIL_ENRICH_NETWORK: 'on' }, ':memory:', { networkProviders: unreachable });
    const id = await submit('proxy: user carol GET http://unreachable-test.com/ 200');
    await quiet();
    expect((await h.ok(`query($id: ID!) { alert(id: $id) { status } }`, { id })).alert.status).toBe('PROCESSED');
    const ioc = (await h.ok(IOC, { type: 'DOMAIN', value: 'unreachable-test.com' })).ioc;
    const statuses = Object.fromEntries(ioc.enrichments.map((e: { provider: string; status: string }) => [e.provider, e.status]));
    expect(['ERROR', 'TIMEOUT']).toContain(statuses.dns);
    expect(['ERROR', 'TIMEOUT']).toContain(statuses.registration);
    expect(ioc.enrichments.find((e: { provider: string }) => e.provider === 'dns').error).toBeTruthy();
  });

  it('answers lookupIoc on demand and refreshEnrichment ignoring the cache; refuses nonsense', async () => {
    h = createHarness({ VIGIL_ENRICH_NETWORK: 'on' }, ':memory:', { networkProviders: providers() });
    const looked = await h.ok(`mutation { lookupIoc(value: "hxxp://good[.]example[.]com/x") { __typename ... on LookupIocSuccess { type value reputation { verdict } enrichments { provider status } } } }`);
    expect(looked.lookupIoc).toMatchObject({ __typename: 'LookupIocSuccess', type: 'URL', value: 'http://good.example.com/x' });
    const bad = await h.ok(`mutation { lookupIoc(value: "not an indicator") { __typename ... on ValidationError { code field } } }`);
    expect(bad.lookupIoc).toEqual({ __typename: 'ValidationError', code: 'INVALID_VALUE', field: 'value' });

    await submit('proxy: user dan GET http://good.example.com/a 200');
    await quiet();
    const iocId = (await h.ok(`{ ioc(type: DOMAIN, value: "good.example.com") { id } }`)).ioc.id;
    const before = dns.queries.length;
    const refreshed = await h.ok(`mutation($id: ID!) { refreshEnrichment(iocId: $id) { __typename ... on LookupIocSuccess { enrichments { provider status } } } }`, { id: iocId });
    expect(refreshed.refreshEnrichment.enrichments).toEqual(expect.arrayContaining([{ provider: 'dns', status: 'OK' }]));
    expect(dns.queries.length).toBeGreaterThan(before);
    const missing = await h.ok(`mutation { refreshEnrichment(iocId: "ioc_nope") { __typename ... on NotFoundError { entity id } } }`);
    expect(missing.refreshEnrichment).toEqual({ __typename: 'NotFoundError', entity: 'Ioc', id: 'ioc_nope' });
    const viewer = await h.gql(`mutation { lookupIoc(value: "8.8.8.8") { __typename } }`, undefined, h.tokens.VIEWER);
    expect(viewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('GeoIP from a MaxMind-format database', () => {
  it('tells the country and AS of an address, with the network off', async () => {
    const path = join(dir, 'geo.mmdb');
    writeFileSync(
      path,
      buildMmdb(
        [
          {
            network: '81.2.69.0/24',
            record: { country: { iso_code: 'NL', names: { en: 'Netherlands' } }, autonomous_system_number: u32(64500), autonomous_system_organization: 'Example Org' },
          },
        ],
        { databaseType: 'GeoIP2-Test' },
      ),
    );
    h = createHarness({ VIGIL_GEOIP_DB: path });
    await submit('Failed password for root from 81.2.69.160 port 22 ssh2');
    await quiet();
    const ioc = (await h.ok(`{ ioc(type: IPV4, value: "81.2.69.160") { geo { country countryName asn asOrg network } } }`)).ioc;
    expect(ioc.geo).toEqual({ country: 'NL', countryName: 'Netherlands', asn: 64500, asOrg: 'Example Org', network: '81.2.69.0/24' });
  });

  it('refuses to start with a GeoIP path that is not a database, naming it', () => {
    writeFileSync(join(dir, 'junk.mmdb'), 'not a database');
    expect(() => createHarness({ VIGIL_GEOIP_DB: join(dir, 'junk.mmdb') })).toThrow(/junk\.mmdb/);
  });
});

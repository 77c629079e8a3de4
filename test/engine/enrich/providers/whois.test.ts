import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRdapEnricher } from '../../../../src/engine/enrich/providers/rdap/index.js';
import {
  createRegistrationEnricher,
  createWhoisEnricher,
  DEFAULT_WHOIS_SERVERS,
  parseServer,
  parseWhois,
  parseWhoisDate,
  serverFor,
  type WhoisEnricherOptions,
} from '../../../../src/engine/enrich/providers/whois/index.js';
import type { EnrichmentTarget } from '../../../../src/engine/enrich/types.js';
import { fixture, startRdapServer, type RdapTestServer } from './rdap-server.js';
import { icannStyle, RU_STYLE, startWhoisServer, UK_STYLE, type WhoisTestServer } from './whois-server.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-01-15T00:00:00Z');
const GOOGLE = fixture('whois_parser/com_google.com');
const NOT_FOUND = fixture('whois_parser/notfound_com_likexian-have-no-money-to-register.com');

let whoisServer: WhoisTestServer;
let rdapServer: RdapTestServer;
beforeAll(async () => {
  whoisServer = await startWhoisServer({
    'google.com': GOOGLE,
    'likexian-have-no-money-to-register.com': NOT_FOUND,
    'young.com': icannStyle('young.com', '2026-01-12T10:00:00Z'),
    'example.ru': RU_STYLE,
    'example.co.uk': UK_STYLE,
    'limited.com': 'WHOIS LIMIT EXCEEDED - SEE WWWHOIS.VERISIGN-GRS.COM FOR WEB ACCESS\r\n',
    'garbage.com': 'hello there\r\n',
    'empty.com': '',
    'big.com': `${icannStyle('big.com', '2020-01-01T00:00:00Z')}\r\n${'legal text '.repeat(20_000)}`,
    'hang.com': null,
  });
  rdapServer = await startRdapServer();
});
afterAll(async () => {
  await whoisServer.close();
  await rdapServer.close();
});

const domain = (value: string): EnrichmentTarget => ({ type: 'DOMAIN', value, tlp: 'AMBER' });
const never = (): AbortSignal => new AbortController().signal;

function whois(options: Partial<WhoisEnricherOptions> = {}) {
  const at = whoisServer.address;
  return createWhoisEnricher({ servers: { com: at, ru: at, uk: at }, timeoutMs: 500, now: () => NOW, ...options });
}

describe('whois parser', () => {
  it('parses the MarkMonitor reply as likexian/whois-parser expects', () => {
    const expected = JSON.parse(fixture('whois_parser/com_google.com.json')) as {
      domain: { id: string; domain: string; whois_server: string; status: string[]; name_servers: string[]; created_date: string; updated_date: string; expiration_date: string };
      registrar: { id: string; name: string; email: string };
    };
    const parsed = parseWhois(GOOGLE, 'google.com');
    expect(parsed.kind).toBe('record');
    if (parsed.kind !== 'record') return;
    const r = parsed.registration;
    expect(r.domain).toBe(expected.domain.domain);
    expect(r.handle).toBe(expected.domain.id);
    expect(r.whoisServer).toBe(expected.domain.whois_server);
    expect(r.status).toEqual(expected.domain.status);
    expect(r.nameservers).toEqual(expected.domain.name_servers);
    expect(Date.parse(r.registeredAt ?? '')).toBe(Date.parse(expected.domain.created_date));
    expect(Date.parse(r.updatedAt ?? '')).toBe(Date.parse(expected.domain.updated_date));
    expect(Date.parse(r.expiresAt ?? '')).toBe(Date.parse(expected.domain.expiration_date));
    expect(r.registrar).toBe(expected.registrar.name);
    expect(r.registrarIanaId).toBe(expected.registrar.id);
    expect(r.registrarAbuseEmail).toBe(expected.registrar.email);
    expect(r.registeredAt).toBe('1997-09-15T07:00:00.000Z');
  });

  it('recognises the Verisign not-found reply', () => {
    expect(parseWhois(NOT_FOUND, 'likexian-have-no-money-to-register.com')).toEqual({ kind: 'not-found' });
    expect(parseWhois('%% NOT FOUND\n', 'x.com')).toEqual({ kind: 'not-found' });
  });

  it('parses created:/paid-till: style replies', () => {
    const parsed = parseWhois(RU_STYLE, 'example.ru');
    expect(parsed).toEqual({
      kind: 'record',
      registration: {
        domain: 'example.ru',
        source: 'whois',
        registeredAt: '2001-05-04T08:30:00.000Z',
        expiresAt: '2026-05-31T21:00:00.000Z',
        registrar: 'RU-CENTER-RU',
        status: ['REGISTERED', 'DELEGATED', 'VERIFIED'],
        nameservers: ['ns1.example.ru', 'ns2.example.net'],
      },
    });
  });

  it('parses indented block replies', () => {
    const parsed = parseWhois(UK_STYLE, 'example.co.uk');
    expect(parsed.kind === 'record' && parsed.registration).toEqual({
      domain: 'example.co.uk',
      source: 'whois',
      registeredAt: '1996-08-26T00:00:00.000Z',
      expiresAt: '2027-08-26T00:00:00.000Z',
      updatedAt: '2025-07-03T00:00:00.000Z',
      registrar: 'Example Registrar Ltd [Tag = EXAMPLE]',
      status: ['Registered until expiry date.'],
      nameservers: ['ns1.example.net', 'ns2.example.net'],
    });
  });

  it('reads registry date spellings as UTC, and refuses to guess', () => {
    expect(parseWhoisDate('1997-09-15T00:00:00-0700')).toBe('1997-09-15T07:00:00.000Z');
    expect(parseWhoisDate('2004-08-30 22:55:00')).toBe('2004-08-30T22:55:00.000Z');
    expect(parseWhoisDate('2004.08.30')).toBe('2004-08-30T00:00:00.000Z');
    expect(parseWhoisDate('30.08.2004 22:55:00')).toBe('2004-08-30T22:55:00.000Z');
    expect(parseWhoisDate('26-Aug-1996')).toBe('1996-08-26T00:00:00.000Z');
    expect(parseWhoisDate('2020-01-02 03:04:05 UTC')).toBe('2020-01-02T03:04:05.000Z');
    expect(parseWhoisDate('before the flood')).toBeUndefined();
    expect(parseWhoisDate('2020-13-45')).toBeUndefined();
  });

  it('picks servers by longest suffix and reads host:port', () => {
    expect(serverFor(DEFAULT_WHOIS_SERVERS, 'google.com')).toBe('whois.verisign-grs.com:43');
    expect(serverFor({ uk: 'a', 'co.uk': 'b' }, 'example.co.uk')).toBe('b');
    expect(serverFor(DEFAULT_WHOIS_SERVERS, 'example.invalid')).toBeUndefined();
    expect(parseServer('whois.nic.io')).toEqual({ host: 'whois.nic.io', port: 43 });
    expect(parseServer('127.0.0.1:4343')).toEqual({ host: '127.0.0.1', port: 4343 });
    expect(parseServer('[::1]:4343')).toEqual({ host: '::1', port: 4343 });
    expect(parseServer('host:99999')).toBeUndefined();
  });
});

describe('whois enricher', () => {
  it('queries the registered domain over TCP and returns the RDAP-shaped record', async () => {
    const result = await whois().lookup({ type: 'HOSTNAME', value: 'mail.google.com', tlp: 'AMBER' }, never());
    expect(whoisServer.queries).toContain('google.com\r\n');
    expect(result.status).toBe('OK');
    expect(result.verdict).toBe('UNKNOWN');
    expect(result.reasons).toEqual([]);
    expect(result.data).toMatchObject({
      domain: 'google.com',
      source: 'whois',
      registeredAt: '1997-09-15T07:00:00.000Z',
      expiresAt: '2028-09-13T07:00:00.000Z',
      registrar: 'MarkMonitor, Inc.',
      nameservers: ['ns2.google.com', 'ns3.google.com', 'ns4.google.com', 'ns1.google.com'],
      ageDays: Math.floor((NOW - Date.parse('1997-09-15T07:00:00Z')) / DAY),
      server: whoisServer.address,
    });
  });

  it('gives a young domain a reason and SUSPICIOUS', async () => {
    const result = await whois().lookup(domain('young.com'), never());
    expect(result.status).toBe('OK');
    expect(result.verdict).toBe('SUSPICIOUS');
    expect(result.reasons).toEqual(['registered 2 days ago']);
    expect(result.data).toMatchObject({ ageDays: 2, nameservers: ['ns1.parking.example', 'ns2.parking.example'], status: ['clientTransferProhibited'] });
  });

  it('maps "No match for" to NO_DATA', async () => {
    const result = await whois().lookup(domain('likexian-have-no-money-to-register.com'), never());
    expect(result.status).toBe('NO_DATA');
    expect(result.verdict).toBe('UNKNOWN');
  });

  it('handles other registry formats end to end', async () => {
    const ru = await whois().lookup(domain('www.example.ru'), never());
    expect(ru.data).toMatchObject({ registrar: 'RU-CENTER-RU', registeredAt: '2001-05-04T08:30:00.000Z' });
    const uk = await whois().lookup(domain('example.co.uk'), never());
    expect(uk.data).toMatchObject({ registeredAt: '1996-08-26T00:00:00.000Z' });
  });

  it('maps limits, garbage and empty replies', async () => {
    expect((await whois().lookup(domain('limited.com'), never())).status).toBe('RATE_LIMITED');
    const garbage = await whois().lookup(domain('garbage.com'), never());
    expect(garbage.status).toBe('ERROR');
    expect(garbage.error).toBe('unrecognised WHOIS reply');
    const empty = await whois().lookup(domain('empty.com'), never());
    expect(empty.status).toBe('ERROR');
    expect(empty.error).toBe('empty WHOIS reply');
  });

  it('caps the bytes read and parses the head', async () => {
    const result = await whois({ maxBytes: 4096 }).lookup(domain('big.com'), never());
    expect(result.status).toBe('OK');
    expect(result.data).toMatchObject({ truncated: true, registrar: 'Example Registrar, LLC' });
  });

  it('times out on a server that never answers, and stops on abort', async () => {
    const started = Date.now();
    expect((await whois({ timeoutMs: 200 }).lookup(domain('hang.com'), never())).status).toBe('TIMEOUT');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await whois({ timeoutMs: 10_000 }).lookup(domain('hang.com'), controller.signal)).status).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports a refused connection as ERROR and skips TLDs with no server', async () => {
    const refused = await createWhoisEnricher({ servers: { com: '127.0.0.1:1' }, timeoutMs: 500 }).lookup(domain('google.com'), never());
    expect(refused.status).toBe('ERROR');
    expect(refused.error).toBe('ECONNREFUSED');
    const before = whoisServer.queries.length;
    const skipped = await whois().lookup(domain('example.org'), never());
    expect(skipped.status).toBe('SKIPPED');
    expect(whoisServer.queries.length).toBe(before);
    expect(whois().supports({ type: 'IPV4', value: '192.0.2.1', tlp: 'AMBER' })).toBe(false);
  });
});

describe('registration enricher (RDAP, then WHOIS)', () => {
  function registration() {
    const rdapBase = `${rdapServer.base}rdap/`;
    // RDAP knows .cz and down.com's registry (which fails); WHOIS knows .com.
    const rdap = createRdapEnricher({ servers: { dns: { cz: rdapBase, com: rdapBase } }, timeoutMs: 500, now: () => NOW });
    return createRegistrationEnricher({ rdap, whois: whois() });
  }

  it('uses RDAP where it answers', async () => {
    const result = await registration().lookup(domain('example.cz'), never());
    expect(result.provider).toBe('registration');
    expect(result.data).toMatchObject({ source: 'rdap', registrar: 'REG-INTERNET-CZ' });
  });

  it('trusts an RDAP 404 without asking WHOIS', async () => {
    const before = whoisServer.queries.length;
    const result = await registration().lookup(domain('missing.com'), never());
    expect(result.status).toBe('NO_DATA');
    expect(whoisServer.queries.length).toBe(before);
  });

  it('falls back to WHOIS when RDAP has no server or fails', async () => {
    const result = await createRegistrationEnricher({
      rdap: createRdapEnricher({ servers: { dns: { cz: `${rdapServer.base}rdap/` } } }),
      whois: whois(),
    }).lookup(domain('google.com'), never());
    expect(result.status).toBe('OK');
    expect(result.data).toMatchObject({ source: 'whois', registrar: 'MarkMonitor, Inc.', rdap: { status: 'SKIPPED' } });
    // down.com: RDAP answers 503, WHOIS has no record either (not found).
    const failed = await registration().lookup(domain('down.com'), never());
    expect(failed.status).toBe('NO_DATA');
    expect(failed.data).toMatchObject({ rdap: { status: 'ERROR', error: 'HTTP 503' } });
  });
});

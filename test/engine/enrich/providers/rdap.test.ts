import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bootstrapFromOverrides,
  createRdapEnricher,
  DEFAULT_BOOTSTRAP_DIR,
  domainBase,
  ipBase,
  loadBootstrap,
  refreshBootstrap,
  type RdapEnricherOptions,
} from '../../../../src/engine/enrich/providers/rdap/index.js';
import type { EnrichmentTarget } from '../../../../src/engine/enrich/types.js';
import { FIXTURES, startRdapServer, type RdapTestServer } from './rdap-server.js';

let server: RdapTestServer;
beforeAll(async () => {
  server = await startRdapServer();
});
afterAll(async () => {
  await server.close();
});

const DAY = 86_400_000;
const NOW = Date.parse('2026-01-15T00:00:00Z');
const domain = (value: string): EnrichmentTarget => ({ type: 'DOMAIN', value, tlp: 'AMBER' });
const ipv4 = (value: string): EnrichmentTarget => ({ type: 'IPV4', value, tlp: 'AMBER' });
const never = (): AbortSignal => new AbortController().signal;

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function rdap(options: Partial<RdapEnricherOptions> = {}) {
  const base = `${server.base}rdap/`;
  return createRdapEnricher({
    servers: { dns: { cz: base, com: base }, ipv4: { '101.0.0.0/8': base, '198.51.100.0/24': base } },
    timeoutMs: 500,
    now: () => NOW,
    ...options,
  });
}

describe('rdap bootstrap', () => {
  it('reads the IANA files and picks the HTTPS service', async () => {
    const bootstrap = await loadBootstrap(fileURLToPath(new URL('openrdap/', FIXTURES)));
    expect(domainBase(bootstrap, 'example.cz')).toBe('https://rdap.nic.cz/');
    expect(domainBase(bootstrap, 'www.example.com.br')).toBe('https://rdap.registro.br/');
    expect(domainBase(bootstrap, 'example.com')).toBeUndefined();
    // The AFRINIC service lists HTTPS and HTTP.
    expect(ipBase(bootstrap, '41.1.2.3')).toBe('https://rdap.afrinic.net/rdap/');
    expect(ipBase(bootstrap, '101.1.1.1')).toMatch(/^https:\/\/rdap\.apnic\.net\//);
    expect(ipBase(bootstrap, '2001:db8::1')).toBeUndefined();
  });

  it('matches the longest label suffix and the longest prefix', () => {
    const bootstrap = bootstrapFromOverrides({
      dns: { uk: 'https://uk.test', 'co.uk': 'https://co-uk.test/' },
      ipv4: { '10.0.0.0/8': 'https://wide.test/', '10.1.0.0/16': 'https://narrow.test/' },
    });
    expect(domainBase(bootstrap, 'example.co.uk')).toBe('https://co-uk.test/');
    expect(domainBase(bootstrap, 'example.uk')).toBe('https://uk.test/');
    expect(ipBase(bootstrap, '10.1.2.3')).toBe('https://narrow.test/');
    expect(ipBase(bootstrap, '10.2.2.3')).toBe('https://wide.test/');
  });

  it('ships bootstrap files that load', async () => {
    const bootstrap = await loadBootstrap(DEFAULT_BOOTSTRAP_DIR);
    expect(bootstrap.dns?.size).toBeGreaterThan(0);
    expect(bootstrap.ipv4?.length).toBeGreaterThan(0);
  });
});

describe('rdap enricher: domains', () => {
  it('parses the CZ.NIC answer: dates, registrar handle, status, nameservers, age', async () => {
    const result = await rdap().lookup(domain('www.example.cz'), never());
    expect(result.status).toBe('OK');
    expect(result.verdict).toBe('UNKNOWN');
    expect(result.data).toEqual({
      domain: 'example.cz',
      source: 'rdap',
      handle: 'example.cz',
      registeredAt: '2004-08-30T22:55:00.000Z',
      expiresAt: '2019-08-30T12:00:00.000Z',
      registrar: 'REG-INTERNET-CZ',
      status: ['active'],
      nameservers: ['ns2.pipni.cz', 'ns3.pipni.cz', 'ns.pipni.cz'],
      whoisServer: 'whois.nic.cz',
      ageDays: Math.floor((NOW - Date.parse('2004-08-30T22:55:00Z')) / DAY),
      url: `${server.base}rdap/domain/example.cz`,
    });
    expect(result.reasons).toEqual(['registration expired on 2019-08-30']);
    expect(server.requests).toContain('/rdap/domain/example.cz');
  });

  it('parses the ICANN profile answer: registrar name, IANA id, abuse contact', async () => {
    const result = await rdap().lookup(domain('example.com'), never());
    expect(result.status).toBe('OK');
    expect(result.data).toMatchObject({
      domain: 'example.com',
      registeredAt: '1997-09-15T04:00:00.000Z',
      expiresAt: '2028-09-14T04:00:00.000Z',
      registrar: 'Example Inc.',
      registrarIanaId: '292',
      registrarAbuseEmail: 'abusecomplaints@example.com',
      nameservers: ['ns1.example.com', 'ns2.example.com', 'ns3.example.com', 'ns4.example.com'],
    });
    expect(result.data.status).toContain('client transfer prohibited');
    expect(result.data).not.toHaveProperty('updatedAt');
    expect(result.reasons).toEqual([]);
  });

  it('gives a young domain a reason and SUSPICIOUS, never more', async () => {
    const threeDaysOld = Date.parse('1997-09-15T04:00:00Z') + 3 * DAY + 3_600_000;
    const result = await rdap({ now: () => threeDaysOld }).lookup(domain('example.com'), never());
    expect(result.verdict).toBe('SUSPICIOUS');
    expect(result.reasons).toEqual(['registered 3 days ago']);
    expect(result.data.ageDays).toBe(3);
    const sameDay = await rdap({ now: () => Date.parse('1997-09-15T10:00:00Z') }).lookup(domain('example.com'), never());
    expect(sameDay.reasons).toEqual(['registered today']);
    const threshold = await rdap({ now: () => threeDaysOld, youngDomainDays: 3 }).lookup(domain('example.com'), never());
    expect(threshold.verdict).toBe('UNKNOWN');
  });

  it('maps 404 to NO_DATA', async () => {
    const result = await rdap().lookup(domain('missing.com'), never());
    expect(result.status).toBe('NO_DATA');
    expect(result.verdict).toBe('UNKNOWN');
    expect(result.reasons).toEqual(['not registered (RDAP 404)']);
    const ip = await rdap().lookup(ipv4('101.9.9.9'), never());
    expect(ip.status).toBe('NO_DATA');
  });

  it('maps a malformed body, a wrong object class, a 5xx and an oversized body to ERROR', async () => {
    for (const [name, error] of [
      ['broken.com', /not JSON/],
      ['wrongclass.com', /objectClassName/],
      ['down.com', /HTTP 503/],
    ] as const) {
      const result = await rdap().lookup(domain(name), never());
      expect(result.status, name).toBe('ERROR');
      expect(result.error, name).toMatch(error);
    }
    const huge = await rdap({ maxBytes: 16 * 1024 }).lookup(domain('huge.com'), never());
    expect(huge.status).toBe('ERROR');
    expect(huge.error).toMatch(/larger than/);
  });

  it('maps 429 to RATE_LIMITED with Retry-After', async () => {
    const result = await rdap().lookup(domain('limited.com'), never());
    expect(result.status).toBe('RATE_LIMITED');
    expect(result.retryAt).toBe(NOW + 120_000);
  });

  it('times out on a server that never answers, and on abort', async () => {
    const started = Date.now();
    const result = await rdap({ timeoutMs: 200 }).lookup(domain('hang.com'), never());
    expect(result.status).toBe('TIMEOUT');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = await rdap({ timeoutMs: 10_000 }).lookup(domain('hang.com'), controller.signal);
    expect(aborted.status).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports a refused connection as ERROR', async () => {
    // fetch refuses well-known ports such as 1, so take a free port and leave it closed.
    const port = await freePort();
    const result = await rdap({ servers: { dns: { com: `http://127.0.0.1:${port}/` } } }).lookup(domain('example.com'), never());
    expect(result.status).toBe('ERROR');
    expect(result.error).toBe('ECONNREFUSED');
  });

  it('skips a TLD with no RDAP server without sending anything', async () => {
    const before = server.requests.length;
    const result = await rdap().lookup(domain('example.org'), never());
    expect(result.status).toBe('SKIPPED');
    expect(result.error).toBe('no RDAP server for example.org');
    expect(server.requests.length).toBe(before);
  });

  it('supports registrable domains and IPs only', () => {
    const enricher = rdap();
    expect(enricher.external).toBe(true);
    expect(enricher.supports(domain('a.b.example.cz'))).toBe(true);
    expect(enricher.supports({ type: 'HOSTNAME', value: 'web01', tlp: 'AMBER' })).toBe(false);
    expect(enricher.supports({ type: 'MD5', value: 'd41d8cd98f00b204e9800998ecf8427e', tlp: 'AMBER' })).toBe(false);
    expect(enricher.supports(ipv4('101.1.1.1'))).toBe(true);
  });

  it('reads the servers from a bootstrap directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vigil-rdap-'));
    try {
      await writeFile(path.join(dir, 'dns.json'), JSON.stringify({ version: '1.0', services: [[['cz'], [`${server.base}rdap/`]]] }));
      const result = await createRdapEnricher({ bootstrapDir: dir, timeoutMs: 500, now: () => NOW }).lookup(domain('example.cz'), never());
      expect(result.status).toBe('OK');
      // No ipv4.json there: IPs are skipped, not errors.
      const ip = await createRdapEnricher({ bootstrapDir: dir }).lookup(ipv4('101.1.1.1'), never());
      expect(ip.status).toBe('SKIPPED');
      await writeFile(path.join(dir, 'dns.json'), '{"services": "nope"}');
      const broken = await createRdapEnricher({ bootstrapDir: dir }).lookup(domain('example.cz'), never());
      expect(broken.status).toBe('ERROR');
      expect(broken.error).toMatch(/bootstrap/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('rdap enricher: IP networks', () => {
  it('parses the APNIC answer: range, name, country, abuse contact, description', async () => {
    const result = await rdap().lookup(ipv4('101.1.1.1'), never());
    expect(result.status).toBe('OK');
    expect(result.verdict).toBe('UNKNOWN');
    expect(result.data).toEqual({
      handle: '101.1.0.0 - 101.1.3.255',
      name: 'CHINANET-FJ',
      country: 'CN',
      ipVersion: 'v4',
      startAddress: '101.1.0.0',
      endAddress: '101.1.3.255',
      type: 'ALLOCATED PORTABLE',
      status: ['active'],
      registeredAt: '2011-04-14T02:07:48.000Z',
      updatedAt: '2021-06-15T08:05:33.000Z',
      abuseEmail: 'anti-spam@chinatelecom.cn',
      description: ['CHINANET FUJIAN PROVINCE NETWORK', 'China Telecom', 'No.31,jingrong street', 'Beijing 100032'],
      url: `${server.base}rdap/ip/101.1.1.1`,
    });
  });

  it('names the owner from the registrant entity and reads cidr0', async () => {
    const result = await rdap().lookup(ipv4('198.51.100.7'), never());
    expect(result.data).toMatchObject({
      name: 'EXAMPLE-NET',
      owner: { handle: 'EXMPL', name: 'Example Networks LLC' },
      abuseEmail: 'abuse@example.net',
      cidrs: ['198.51.100.0/24'],
      registeredAt: '2010-05-01T16:00:00.000Z',
    });
  });
});

describe('refreshBootstrap', () => {
  it('downloads and checks the files, then writes them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vigil-rdap-'));
    try {
      const written = await refreshBootstrap(`${server.base}iana/`, dir, { files: ['dns.json', 'ipv4.json'] });
      expect(written).toEqual([path.join(dir, 'dns.json'), path.join(dir, 'ipv4.json')]);
      const bootstrap = await loadBootstrap(dir);
      expect(domainBase(bootstrap, 'example.cz')).toBe('https://rdap.nic.cz/');
      expect(JSON.parse(await readFile(path.join(dir, 'ipv4.json'), 'utf8'))).toHaveProperty('services');
      // One bad file and nothing is replaced.
      await expect(refreshBootstrap(`${server.base}iana/`, dir, { files: ['dns.json', 'broken.json'] })).rejects.toThrow(/services/);
      await expect(refreshBootstrap(`${server.base}iana/`, dir, { files: ['missing.json'] })).rejects.toThrow(/HTTP 404/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

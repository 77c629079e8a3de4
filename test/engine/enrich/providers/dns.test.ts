import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsEnricher } from '../../../../src/engine/enrich/providers/dns/index.js';
import type { EnrichmentTarget } from '../../../../src/engine/enrich/types.js';
import { startDnsServer, type DnsTestServer } from './dns-server.js';

let server: DnsTestServer;
beforeAll(async () => {
  server = await startDnsServer();
});
afterAll(async () => {
  await server.close();
});

const domain = (value: string): EnrichmentTarget => ({ type: 'DOMAIN', value, tlp: 'AMBER' });
const never = (): AbortSignal => new AbortController().signal;
const enricher = (timeoutMs = 400) => createDnsEnricher({ servers: [server.address], timeoutMs });

describe('dns enricher', () => {
  it('supports names with a dot and IP addresses only', () => {
    const dns = enricher();
    expect(dns.name).toBe('dns');
    expect(dns.external).toBe(true);
    expect(dns.supports(domain('good.example.com'))).toBe(true);
    expect(dns.supports({ type: 'HOSTNAME', value: 'web01', tlp: 'AMBER' })).toBe(false);
    expect(dns.supports({ type: 'HOSTNAME', value: 'web01.corp.example.com', tlp: 'AMBER' })).toBe(true);
    expect(dns.supports({ type: 'IPV6', value: '2001:db8::10', tlp: 'AMBER' })).toBe(true);
    expect(dns.supports({ type: 'SHA256', value: 'a'.repeat(64), tlp: 'AMBER' })).toBe(false);
  });

  it('returns A, AAAA, NS, MX and TXT records by type', async () => {
    const result = await enricher().lookup(domain('good.example.com'), never());
    expect(result).toEqual({
      provider: 'dns',
      status: 'OK',
      verdict: 'UNKNOWN',
      reasons: [],
      data: {
        name: 'good.example.com',
        records: {
          A: ['203.0.113.10', '203.0.113.11'],
          AAAA: ['2001:db8::10'],
          NS: ['ns1.example.net'],
          MX: [{ exchange: 'mail.example.com', priority: 10 }],
          TXT: ['v=spf1 -all'],
        },
      },
    });
    // Every question went to the configured server.
    expect(server.queries.filter((q) => q.name === 'good.example.com').map((q) => q.type).sort()).toEqual(['A', 'AAAA', 'MX', 'NS', 'TXT']);
  });

  it('answers PTR for IPv4 and IPv6', async () => {
    const v4 = await enricher().lookup({ type: 'IPV4', value: '192.0.2.10', tlp: 'AMBER' }, never());
    expect(v4.status).toBe('OK');
    expect(v4.data).toEqual({ name: '192.0.2.10', records: { PTR: ['host.example.com'] } });
    const v6 = await enricher().lookup({ type: 'IPV6', value: '2001:db8::10', tlp: 'AMBER' }, never());
    expect(v6.data.records).toEqual({ PTR: ['v6host.example.com'] });
  });

  it('maps NXDOMAIN to NO_DATA with the reason', async () => {
    const result = await enricher().lookup(domain('nx.example.com'), never());
    expect(result.status).toBe('NO_DATA');
    expect(result.reasons).toEqual(['NXDOMAIN']);
    expect(result.verdict).toBe('UNKNOWN');
    const ptr = await enricher().lookup({ type: 'IPV4', value: '192.0.2.99', tlp: 'AMBER' }, never());
    expect(ptr.status).toBe('NO_DATA');
  });

  it('maps a name with no records of any type to NO_DATA', async () => {
    const result = await enricher().lookup(domain('empty.example.com'), never());
    expect(result.status).toBe('NO_DATA');
    expect(result.reasons).toEqual(['no records']);
  });

  it('maps SERVFAIL to ERROR', async () => {
    const result = await enricher().lookup(domain('fail.example.com'), never());
    expect(result.status).toBe('ERROR');
    expect(result.error).toBe('SERVFAIL');
  });

  it('keeps the records when only one type fails', async () => {
    const result = await enricher().lookup(domain('partial.example.com'), never());
    expect(result.status).toBe('OK');
    expect(result.data).toEqual({ name: 'partial.example.com', records: { A: ['198.51.100.7'] }, failed: { TXT: 'SERVFAIL' } });
  });

  it('maps a malformed reply to ERROR', async () => {
    const result = await enricher(300).lookup(domain('broken.example.com'), never());
    expect(result.status).toBe('ERROR');
    expect(result.error).toBe('BAD_RESPONSE');
    expect(result.data).toMatchObject({ records: {}, failed: { A: 'BAD_RESPONSE' } });
  });

  it('times out quickly on a server that never answers', async () => {
    const started = Date.now();
    const result = await enricher(300).lookup(domain('silent.example.com'), never());
    expect(result.status).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops at once when the caller aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = enricher(10_000).lookup(domain('silent.example.com'), controller.signal);
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    expect(result.status).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
    const already = await enricher().lookup(domain('good.example.com'), AbortSignal.abort());
    expect(already.status).toBe('TIMEOUT');
  });

  it('calls a name resolving only to loopback SUSPICIOUS, and only notes private answers', async () => {
    const sinkholed = await enricher().lookup(domain('sinkholed.example.com'), never());
    expect(sinkholed.status).toBe('OK');
    expect(sinkholed.verdict).toBe('SUSPICIOUS');
    expect(sinkholed.reasons).toEqual(['resolves only to 127.0.0.1 (loopback: sinkhole or DNS rebinding)']);
    const internal = await enricher().lookup(domain('internal.example.com'), never());
    expect(internal.verdict).toBe('UNKNOWN');
    expect(internal.reasons).toEqual(['resolves only to private addresses (10.1.2.3)']);
  });

  it('reports a refused connection as ERROR', async () => {
    // A loopback UDP port nobody listens on answers ICMP port unreachable.
    const result = await createDnsEnricher({ servers: ['127.0.0.1:1'], timeoutMs: 300 }).lookup(domain('good.example.com'), never());
    expect(result.status).toBe('ERROR');
    expect(result.error).toBe('REFUSED');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createVirusTotalProvider, virusTotalUrlId } from '../../../../src/engine/enrich/providers/reputation/index.js';
import type { EnrichmentTarget } from '../../../../src/engine/enrich/types.js';
import { ipTarget, T0 } from '../runner/helpers.js';
import { sendJson, startFakeApi, type FakeApi } from './server.js';

let api: FakeApi;
afterEach(() => api?.close());

/** The documented v3 object shape: `{ data: { id, type, attributes: { last_analysis_stats, ... } } }`. */
function object(type: string, id: string, stats: Partial<Record<string, number>>) {
  return {
    data: {
      id,
      type,
      links: { self: `https://www.virustotal.com/api/v3/${type}s/${id}` },
      attributes: {
        last_analysis_date: 1_795_000_000,
        reputation: -12,
        last_analysis_stats: { harmless: 0, malicious: 0, suspicious: 0, undetected: 0, timeout: 0, ...stats },
      },
    },
  };
}

const provider = () => createVirusTotalProvider({ apiKey: 'vt-key', baseUrl: api.url, clock: () => T0 });
const run = (t: EnrichmentTarget) => provider().lookup(t, new AbortController().signal);

describe('VirusTotal', () => {
  it('asks the documented endpoint for each IOC type with x-apikey', async () => {
    api = await startFakeApi((_req, res) => sendJson(res, 200, object('ip_address', 'x', { harmless: 60, undetected: 30 })));
    const url = 'http://evil.example/a?b=c';
    const hash = 'a'.repeat(64);
    await run(ipTarget('185.22.13.9'));
    await run({ type: 'IPV6', value: '2001:db8:1::5', tlp: 'CLEAR' });
    await run({ type: 'DOMAIN', value: 'evil.example', tlp: 'CLEAR' });
    await run({ type: 'SHA256', value: hash, tlp: 'CLEAR' });
    await run({ type: 'URL', value: url, tlp: 'CLEAR' });
    expect(api.requests.map((r) => r.path)).toEqual([
      '/api/v3/ip_addresses/185.22.13.9',
      '/api/v3/ip_addresses/2001%3Adb8%3A1%3A%3A5',
      '/api/v3/domains/evil.example',
      `/api/v3/files/${hash}`,
      `/api/v3/urls/${virusTotalUrlId(url)}`,
    ]);
    expect(virusTotalUrlId(url)).not.toMatch(/[=+/]/);
    expect(api.requests.every((r) => r.headers['x-apikey'] === 'vt-key')).toBe(true);
  });

  it('does not support what v3 cannot look up', () => {
    const p = createVirusTotalProvider({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9' });
    expect(p.supports({ type: 'SHA512', value: 'a'.repeat(128), tlp: 'CLEAR' })).toBe(false);
    expect(p.supports({ type: 'EMAIL', value: 'a@b.example', tlp: 'CLEAR' })).toBe(false);
    expect(createVirusTotalProvider({}).supports(ipTarget('185.22.13.9'))).toBe(false);
  });

  it.each([
    [{ malicious: 12, suspicious: 2, harmless: 50, undetected: 30 }, 'MALICIOUS', 'VirusTotal: 12 of 94 engines flag it malicious, 2 suspicious'],
    [{ malicious: 1, harmless: 60, undetected: 33 }, 'SUSPICIOUS', 'VirusTotal: 1 of 94 engines flag it malicious, 0 suspicious'],
    [{ harmless: 64, undetected: 30 }, 'UNKNOWN', 'VirusTotal: none of 94 engines flag it'],
  ])('reads %o as %s', async (stats, verdict, reason) => {
    api = await startFakeApi((_req, res) => sendJson(res, 200, object('ip_address', '185.22.13.9', stats)));
    expect(await run(ipTarget('185.22.13.9'))).toMatchObject({ status: 'OK', verdict, reasons: [reason] });
  });

  it('answers NotFoundError (404) with NO_DATA and QuotaExceededError (429) with RATE_LIMITED', async () => {
    api = await startFakeApi((_req, res) => sendJson(res, 404, { error: { code: 'NotFoundError', message: 'Resource not found.' } }));
    expect(await run({ type: 'MD5', value: 'd41d8cd98f00b204e9800998ecf8427e', tlp: 'CLEAR' })).toMatchObject({ status: 'NO_DATA', verdict: 'UNKNOWN' });
    api.setHandler((_req, res) => sendJson(res, 429, { error: { code: 'QuotaExceededError', message: 'Quota exceeded' } }, { 'retry-after': '60' }));
    expect(await run(ipTarget('185.22.13.9'))).toMatchObject({ status: 'RATE_LIMITED', retryAt: T0 + 60_000 });
  });

  it('falls back to the runner default when a 429 has no Retry-After', async () => {
    api = await startFakeApi((_req, res) => sendJson(res, 429, { error: { code: 'QuotaExceededError', message: 'Quota exceeded' } }));
    const result = await run(ipTarget('185.22.13.9'));
    expect(result.status).toBe('RATE_LIMITED');
    expect(result.retryAt).toBeUndefined();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createAbuseIpdbProvider } from '../../../../src/engine/enrich/providers/reputation/index.js';
import { ipTarget, T0 } from '../runner/helpers.js';
import { sendJson, startFakeApi, type FakeApi } from './server.js';

let api: FakeApi;
afterEach(() => api?.close());

/** The documented shape of `GET /api/v2/check`. */
function check(ip: string, score: number, totalReports: number, extra: Record<string, unknown> = {}) {
  return {
    data: {
      ipAddress: ip,
      isPublic: true,
      ipVersion: 4,
      isWhitelisted: false,
      abuseConfidenceScore: score,
      countryCode: 'NL',
      usageType: 'Data Center/Web Hosting/Transit',
      isp: 'Example Hosting',
      domain: 'example-hosting.nl',
      hostnames: [],
      isTor: false,
      totalReports,
      numDistinctUsers: Math.min(totalReports, 87),
      lastReportedAt: totalReports > 0 ? '2026-11-22T17:02:11+00:00' : null,
      ...extra,
    },
  };
}

async function lookup(ip = '185.22.13.9') {
  const provider = createAbuseIpdbProvider({ apiKey: 'k-123', baseUrl: api.url, clock: () => T0 });
  return provider.lookup(ipTarget(ip), new AbortController().signal);
}

describe('AbuseIPDB', () => {
  it('sends the documented request and reads the confidence score', async () => {
    api = await startFakeApi((_req, res) => sendJson(res, 200, check('185.22.13.9', 97, 1234)));
    const result = await lookup();
    expect(api.requests).toHaveLength(1);
    const seen = api.requests[0]!;
    expect(seen.path).toBe('/api/v2/check?ipAddress=185.22.13.9&maxAgeInDays=90');
    expect(seen.headers.key).toBe('k-123');
    expect(seen.headers.accept).toBe('application/json');
    expect(result).toMatchObject({
      provider: 'abuseipdb',
      status: 'OK',
      verdict: 'MALICIOUS',
      reasons: ['AbuseIPDB confidence 97% (1,234 reports)'],
      data: { abuseConfidenceScore: 97, totalReports: 1234, countryCode: 'NL' },
    });
  });

  it.each([
    [40, 12, 'OK', 'SUSPICIOUS'],
    [5, 2, 'OK', 'UNKNOWN'],
    [0, 0, 'NO_DATA', 'UNKNOWN'],
  ])('maps confidence %i with %i reports to %s %s', async (score, reports, status, verdict) => {
    api = await startFakeApi((_req, res) => sendJson(res, 200, check('185.22.13.9', score, reports)));
    expect(await lookup()).toMatchObject({ status, verdict });
  });

  it('reads an allow-listed address as BENIGN', async () => {
    api = await startFakeApi((_req, res) => sendJson(res, 200, check('8.8.8.8', 0, 3, { isWhitelisted: true })));
    expect(await lookup('8.8.8.8')).toMatchObject({ status: 'OK', verdict: 'BENIGN' });
  });

  it.each([
    [401, 'ERROR', /check the API key/],
    [403, 'ERROR', /check the API key/],
    [422, 'ERROR', /HTTP 422/],
    [503, 'ERROR', /HTTP 503/],
  ])('answers HTTP %i with %s', async (code, status, error) => {
    api = await startFakeApi((_req, res) => sendJson(res, code, { errors: [{ detail: 'nope', status: code }] }));
    const result = await lookup();
    expect(result.status).toBe(status);
    expect(result.error).toMatch(error);
  });

  it('answers HTTP 429 with RATE_LIMITED until Retry-After (seconds)', async () => {
    api = await startFakeApi((_req, res) =>
      sendJson(res, 429, { errors: [{ detail: 'Daily rate limit of 1000 requests exceeded for this endpoint.', status: 429 }] }, { 'retry-after': '3600', 'x-ratelimit-remaining': '0' }),
    );
    expect(await lookup()).toMatchObject({ status: 'RATE_LIMITED', retryAt: T0 + 3_600_000 });
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const at = new Date(T0 + 90_000).toUTCString();
    api = await startFakeApi((_req, res) => sendJson(res, 429, {}, { 'retry-after': at }));
    expect(await lookup()).toMatchObject({ status: 'RATE_LIMITED', retryAt: T0 + 90_000 });
  });

  it('answers malformed JSON and a wrong shape with ERROR', async () => {
    api = await startFakeApi((_req, res) => sendJson(res, 200, '{"data": {"abuseConfi'));
    expect(await lookup()).toMatchObject({ status: 'ERROR', error: expect.stringMatching(/malformed JSON/) as unknown });
    api.setHandler((_req, res) => sendJson(res, 200, { data: { ipAddress: '185.22.13.9' } }));
    expect(await lookup()).toMatchObject({ status: 'ERROR', error: expect.stringMatching(/documented shape/) as unknown });
  });

  it('supports nothing without an API key', () => {
    const provider = createAbuseIpdbProvider({ baseUrl: 'http://127.0.0.1:9' });
    expect(provider.external).toBe(true);
    expect(provider.supports(ipTarget('185.22.13.9'))).toBe(false);
    expect(createAbuseIpdbProvider({ apiKey: '  ' }).supports(ipTarget('185.22.13.9'))).toBe(false);
  });
});

/**
 * The runner over real HTTP providers and a loopback server: what reaches the network is counted at
 * the server, so "no call" means no request at all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../../db/client.js';
import { createAbuseIpdbProvider, createGreyNoiseProvider, createReputationProviders } from '../../../../src/engine/enrich/providers/reputation/index.js';
import { createEnrichmentRunner } from '../../../../src/engine/enrich/runner/index.js';
import type { RunnerSettings } from '../../../../src/engine/enrich/runner/index.js';
import { HOUR, ipTarget, MIN, openDb, SEC, T0, testClock } from '../runner/helpers.js';
import { sendJson, startFakeApi, type FakeApi } from './server.js';

let handle: DatabaseHandle;
let api: FakeApi;
afterEach(async () => {
  handle?.close();
  await api?.close();
});

function check(ip: string, score = 97, totalReports = 1234) {
  return { data: { ipAddress: ip, isPublic: true, isWhitelisted: false, abuseConfidenceScore: score, totalReports, countryCode: 'NL' } };
}

function ipFrom(path: string): string {
  return new URL(path, 'http://x').searchParams.get('ipAddress') ?? '';
}

function setup(settings: RunnerSettings = {}) {
  handle = openDb();
  const time = testClock();
  const provider = createAbuseIpdbProvider({ apiKey: 'k', baseUrl: api.url, clock: time.clock });
  const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [provider], clock: time.clock, settings });
  return { time, runner };
}

describe('runner over HTTP', () => {
  it('makes no request for a cached answer, and one after the TTL', async () => {
    api = await startFakeApi((req, res) => sendJson(res, 200, check(ipFrom(req.url ?? ''))));
    const { time, runner } = setup();
    const target = ipTarget('185.22.13.9');
    const [first] = await runner.enrich(target);
    expect(first?.reasons).toEqual(['AbuseIPDB confidence 97% (1,234 reports)']);
    expect(api.requests).toHaveLength(1);

    time.advance(24 * HOUR - 1);
    expect(await runner.enrich(target)).toEqual([first]);
    expect(runner.cached(target)).toEqual([first]);
    expect(api.requests).toHaveLength(1);

    time.advance(1);
    await runner.enrich(target);
    expect(api.requests).toHaveLength(2);
  });

  it('times out quickly against a server that never answers', async () => {
    api = await startFakeApi(() => undefined);
    const { runner } = setup({ defaults: { timeoutMs: 100 } });
    const started = Date.now();
    const [result] = await runner.enrich(ipTarget('185.22.13.9'));
    expect(result?.status).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(api.requests).toHaveLength(1);
  });

  it('loses nothing to a 429: RATE_LIMITED with Retry-After, listed when due, then retried', async () => {
    let limited = true;
    api = await startFakeApi((req, res) => {
      if (limited) sendJson(res, 429, { errors: [{ detail: 'Daily rate limit exceeded', status: 429 }] }, { 'retry-after': '120' });
      else sendJson(res, 200, check(ipFrom(req.url ?? '')));
    });
    const { time, runner } = setup();
    const [first] = await runner.enrich(ipTarget('185.22.13.9'));
    expect(first).toMatchObject({ status: 'RATE_LIMITED', retryAt: T0 + 120 * SEC });
    // The quota is per key: other IOCs wait too, without a request.
    expect((await runner.enrich(ipTarget('185.22.13.10')))[0]?.status).toBe('RATE_LIMITED');
    expect(api.requests).toHaveLength(1);

    time.advance(120 * SEC - 1);
    expect(runner.dueForRetry(time.clock())).toEqual([]);
    expect((await runner.enrich(ipTarget('185.22.13.9')))[0]?.status).toBe('RATE_LIMITED');
    expect(api.requests).toHaveLength(1);

    time.advance(1);
    limited = false;
    const due = runner.dueForRetry(time.clock());
    expect(due).toEqual([
      { provider: 'abuseipdb', type: 'IPV4', value: '185.22.13.9' },
      { provider: 'abuseipdb', type: 'IPV4', value: '185.22.13.10' },
    ]);
    for (const entry of due) {
      const [retried] = await runner.enrich(ipTarget(entry.value), { providers: [entry.provider] });
      expect(retried).toMatchObject({ status: 'OK', verdict: 'MALICIOUS' });
    }
    expect(runner.dueForRetry(time.clock() + HOUR)).toEqual([]);
    expect(api.requests).toHaveLength(3);
  });

  it('opens the circuit on a failing API and half-opens after the cool-down', async () => {
    let healthy = false;
    api = await startFakeApi((req, res) => (healthy ? sendJson(res, 200, check(ipFrom(req.url ?? ''))) : sendJson(res, 503, 'Service Unavailable')));
    const { time, runner } = setup({ defaults: { breakerThreshold: 2, breakerCoolDownMs: MIN } });
    await runner.enrich(ipTarget('185.22.13.1'));
    await runner.enrich(ipTarget('185.22.13.2'));
    expect((await runner.enrich(ipTarget('185.22.13.3')))[0]).toMatchObject({ status: 'SKIPPED', error: 'circuit open' });
    expect(api.requests).toHaveLength(2);
    time.advance(MIN);
    healthy = true;
    expect((await runner.enrich(ipTarget('185.22.13.3')))[0]?.status).toBe('OK');
    expect(api.requests).toHaveLength(3);
  });

  it('never has more requests in flight at the server than the concurrency limit', async () => {
    api = await startFakeApi((req, res) => {
      setTimeout(() => sendJson(res, 200, check(ipFrom(req.url ?? ''))), 30);
    });
    const { runner } = setup({ defaults: { concurrency: 2, burst: 50 } });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => runner.enrich(ipTarget(`185.22.13.${i + 1}`))));
    expect(results.flat().every((r) => r.status === 'OK')).toBe(true);
    expect(api.requests).toHaveLength(8);
    expect(api.maxInFlight).toBe(2);
  });

  it('spends no request over the token bucket', async () => {
    api = await startFakeApi((req, res) => sendJson(res, 200, check(ipFrom(req.url ?? ''))));
    const { runner } = setup({ defaults: { ratePerMinute: 4, burst: 2, maxRateWaitMs: 0 } });
    const statuses = [];
    for (let i = 1; i <= 4; i += 1) statuses.push((await runner.enrich(ipTarget(`185.22.13.${i}`)))[0]?.status);
    expect(statuses).toEqual(['OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(api.requests).toHaveLength(2);
  });

  it('never sends a private address or TLP:RED data', async () => {
    api = await startFakeApi((req, res) => sendJson(res, 200, check(ipFrom(req.url ?? ''))));
    const { runner } = setup({ defaults: { allowAmber: true } });
    const privateIp = await runner.enrich({ type: 'IPV4', value: '10.0.0.8', tlp: 'CLEAR', ip: { private: true, loopback: false, reserved: false, range: 'private' } });
    const loopback = await runner.enrich({ type: 'IPV6', value: '::1', tlp: 'CLEAR' });
    const red = await runner.enrich(ipTarget('185.22.13.9', 'RED'));
    for (const [r] of [privateIp, loopback, red]) expect(r?.status).toBe('SKIPPED');
    expect(api.requests).toHaveLength(0);
  });

  it('lists no provider without an API key, and so sends nothing', async () => {
    api = await startFakeApi((_req, res) => sendJson(res, 200, {}));
    handle = openDb();
    const keyless = createGreyNoiseProvider({ baseUrl: api.url });
    const providers = createReputationProviders({ abuseipdb: { baseUrl: api.url }, virustotal: { apiKey: '', baseUrl: api.url }, greynoise: { baseUrl: api.url } });
    expect(providers).toEqual([]);
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [keyless], clock: () => T0 });
    expect(await runner.enrich(ipTarget('185.22.13.9'))).toEqual([]);
    expect((await keyless.lookup(ipTarget('185.22.13.9'), new AbortController().signal)).status).toBe('SKIPPED');
    expect(api.requests).toHaveLength(0);
    expect(createReputationProviders({ otx: { apiKey: 'k', baseUrl: api.url } }).map((p) => p.name)).toEqual(['otx']);
  });
});

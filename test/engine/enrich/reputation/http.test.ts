import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAbuseIpdbProvider } from '../../../../src/engine/enrich/providers/reputation/index.js';
import { ipTarget, T0 } from '../runner/helpers.js';
import { sendJson, startFakeApi, type FakeApi } from './server.js';

const servers: FakeApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function api(handler: Parameters<typeof startFakeApi>[0]) {
  const s = await startFakeApi(handler);
  servers.push(s);
  return s;
}

const good = { data: { ipAddress: '185.22.13.9', abuseConfidenceScore: 100, totalReports: 5, isWhitelisted: false } };
const lookup = (baseUrl: string, extra: { maxResponseBytes?: number; signal?: AbortSignal } = {}) =>
  createAbuseIpdbProvider({ apiKey: 'secret-key', baseUrl, clock: () => T0, maxResponseBytes: extra.maxResponseBytes }).lookup(
    ipTarget('185.22.13.9'),
    extra.signal ?? new AbortController().signal,
  );

describe('the shared HTTP rules', () => {
  it('never follows a redirect to another host (the key stays home)', async () => {
    const elsewhere = await api((_req, res) => sendJson(res, 200, good));
    const origin = await api((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/api/v2/check?ipAddress=185.22.13.9` });
      res.end();
    });
    const result = await lookup(origin.url);
    expect(result).toMatchObject({ status: 'ERROR', error: expect.stringMatching(/redirected to another host/) as unknown });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('follows a redirect within the same origin', async () => {
    const s = await api((req, res) => {
      if (req.url?.startsWith('/api/v2/check')) {
        res.writeHead(307, { location: '/v2-moved' });
        res.end();
      } else sendJson(res, 200, good);
    });
    expect((await lookup(s.url)).verdict).toBe('MALICIOUS');
    expect(s.requests.map((r) => r.path)).toEqual(['/api/v2/check?ipAddress=185.22.13.9&maxAgeInDays=90', '/v2-moved']);
    expect(s.requests[1]?.headers.key).toBe('secret-key');
  });

  it('keeps a base path', async () => {
    const s = await api((_req, res) => sendJson(res, 200, good));
    await lookup(`${s.url}/proxy/abuseipdb/`);
    expect(s.requests[0]?.path).toBe('/proxy/abuseipdb/api/v2/check?ipAddress=185.22.13.9&maxAgeInDays=90');
  });

  it('refuses an answer over the size cap, declared or streamed', async () => {
    const big = JSON.stringify({ ...good, padding: 'x'.repeat(10_000) });
    const declared = await api((_req, res) => sendJson(res, 200, big));
    expect((await lookup(declared.url, { maxResponseBytes: 1000 })).error).toMatch(/larger than 1000 bytes/);
    const chunked = await api((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(big.slice(0, 5000));
      res.end(big.slice(5000));
    });
    expect((await lookup(chunked.url, { maxResponseBytes: 1000 })).error).toMatch(/larger than 1000 bytes/);
  });

  it('answers ERROR when nothing listens', async () => {
    // Take a free port, then release it, so the connection is refused.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));
    expect(await lookup(`http://127.0.0.1:${port}`)).toMatchObject({ status: 'ERROR', error: expect.stringMatching(/could not reach AbuseIPDB/) as unknown });
  });

  it('answers TIMEOUT when its signal aborts a request the server never answers', async () => {
    const s = await api(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await lookup(s.url, { signal: controller.signal })).status).toBe('TIMEOUT');
    expect(s.requests).toHaveLength(1);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createGreyNoiseProvider, createOtxProvider } from '../../../../src/engine/enrich/providers/reputation/index.js';
import type { EnrichmentTarget } from '../../../../src/engine/enrich/types.js';
import { ipTarget, T0 } from '../runner/helpers.js';
import { sendJson, startFakeApi, type FakeApi } from './server.js';

let api: FakeApi;
afterEach(() => api?.close());
const signal = () => new AbortController().signal;

/** The documented `GET /v3/community/{ip}` answer. */
function community(ip: string, fields: { noise: boolean; riot: boolean; classification?: string; name?: string }) {
  return {
    ip,
    noise: fields.noise,
    riot: fields.riot,
    classification: fields.classification ?? 'unknown',
    name: fields.name ?? 'unknown',
    link: `https://viz.greynoise.io/ip/${ip}`,
    last_seen: '2026-11-22',
    message: 'Success',
  };
}

describe('GreyNoise community', () => {
  const run = (ip = '185.22.13.9') => createGreyNoiseProvider({ apiKey: 'gn-key', baseUrl: api.url, clock: () => T0 }).lookup(ipTarget(ip), signal());

  it('asks /v3/community/{ip} with the key header and reads the classification', async () => {
    api = await startFakeApi((_req, res) => sendJson(res, 200, community('185.22.13.9', { noise: true, riot: false, classification: 'malicious' })));
    expect(await run()).toMatchObject({ provider: 'greynoise', status: 'OK', verdict: 'MALICIOUS', reasons: ['GreyNoise: malicious internet scanner'] });
    expect(api.requests[0]).toMatchObject({ path: '/v3/community/185.22.13.9', headers: { key: 'gn-key' } });
  });

  it('reads RIOT as BENIGN whatever the classification', async () => {
    api = await startFakeApi((_req, res) => sendJson(res, 200, community('8.8.8.8', { noise: false, riot: true, classification: 'benign', name: 'Google Public DNS' })));
    expect(await run('8.8.8.8')).toMatchObject({ verdict: 'BENIGN', reasons: ['GreyNoise RIOT: known business service (Google Public DNS)'] });
  });

  it('reads benign scanners as BENIGN and unknown noise as UNKNOWN', async () => {
    api = await startFakeApi((_req, res) => sendJson(res, 200, community('185.22.13.9', { noise: true, riot: false, classification: 'benign', name: 'Shodan.io' })));
    expect((await run()).verdict).toBe('BENIGN');
    api.setHandler((_req, res) => sendJson(res, 200, community('185.22.13.9', { noise: true, riot: false })));
    expect(await run()).toMatchObject({ status: 'OK', verdict: 'UNKNOWN' });
  });

  it('answers the documented 404 with NO_DATA', async () => {
    api = await startFakeApi((_req, res) =>
      sendJson(res, 404, { ip: '185.22.13.9', noise: false, riot: false, message: 'IP not observed scanning the internet or contained in RIOT data set.' }),
    );
    expect(await run()).toMatchObject({ status: 'NO_DATA', verdict: 'UNKNOWN' });
  });

  it('supports IPv4 only, and only with a key', () => {
    const p = createGreyNoiseProvider({ apiKey: 'k' });
    expect(p.supports(ipTarget('185.22.13.9'))).toBe(true);
    expect(p.supports({ type: 'IPV6', value: '2001:db8::1', tlp: 'CLEAR' })).toBe(false);
    expect(createGreyNoiseProvider({}).supports(ipTarget('185.22.13.9'))).toBe(false);
  });
});

/** The documented `general` section: `pulse_info` with `count` and `pulses`. */
function general(count: number, names: string[]) {
  return {
    sections: ['general', 'geo', 'reputation', 'url_list', 'passive_dns', 'malware'],
    indicator: 'x',
    type: 'IPv4',
    reputation: 0,
    validation: [],
    pulse_info: { count, pulses: names.map((name, i) => ({ id: `p${i}`, name, tags: ['c2'], created: '2026-10-01T00:00:00' })), references: [], related: {} },
  };
}

describe('AlienVault OTX', () => {
  const run = (t: EnrichmentTarget) => createOtxProvider({ apiKey: 'otx-key', baseUrl: api.url, clock: () => T0 }).lookup(t, signal());

  it('asks the section of each IOC type with X-OTX-API-KEY', async () => {
    api = await startFakeApi((_req, res) => sendJson(res, 200, general(0, [])));
    await run(ipTarget('185.22.13.9'));
    await run({ type: 'IPV6', value: '2001:db8::1', tlp: 'CLEAR' });
    await run({ type: 'DOMAIN', value: 'evil.example', tlp: 'CLEAR' });
    await run({ type: 'HOSTNAME', value: 'c2.evil.example', tlp: 'CLEAR' });
    await run({ type: 'SHA1', value: 'b'.repeat(40), tlp: 'CLEAR' });
    await run({ type: 'URL', value: 'http://evil.example/x', tlp: 'CLEAR' });
    expect(api.requests.map((r) => r.path)).toEqual([
      '/api/v1/indicators/IPv4/185.22.13.9/general',
      '/api/v1/indicators/IPv6/2001%3Adb8%3A%3A1/general',
      '/api/v1/indicators/domain/evil.example/general',
      '/api/v1/indicators/hostname/c2.evil.example/general',
      `/api/v1/indicators/file/${'b'.repeat(40)}/general`,
      '/api/v1/indicators/url/http%3A%2F%2Fevil.example%2Fx/general',
    ]);
    expect(api.requests.every((r) => r.headers['x-otx-api-key'] === 'otx-key')).toBe(true);
  });

  it.each([
    [7, 'OK', 'MALICIOUS'],
    [2, 'OK', 'SUSPICIOUS'],
    [0, 'NO_DATA', 'UNKNOWN'],
  ])('reads %i pulses as %s %s', async (count, status, verdict) => {
    const names = Array.from({ length: count }, (_, i) => `Emotet C2 wave ${i + 1}`);
    api = await startFakeApi((_req, res) => sendJson(res, 200, general(count, names)));
    const result = await run(ipTarget('185.22.13.9'));
    expect(result).toMatchObject({ status, verdict });
    if (count === 7) expect(result.reasons[0]).toBe('AlienVault OTX: in 7 pulses: "Emotet C2 wave 1", "Emotet C2 wave 2", "Emotet C2 wave 3", ...');
  });

  it('answers 401 with a hint about the key', async () => {
    api = await startFakeApi((_req, res) => sendJson(res, 403, { detail: 'Authentication required' }));
    expect((await run(ipTarget('185.22.13.9'))).error).toMatch(/check the API key/);
  });
});

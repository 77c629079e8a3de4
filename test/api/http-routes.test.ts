import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let base: string;
beforeAll(async () => {
  h = createHarness({ VIGIL_MAX_ALERT_BYTES: '2048' });
  base = `http://127.0.0.1:${await h.app.start(0, '127.0.0.1')}`;
});
afterAll(() => h.close());

const analyze = (body: unknown, token: string | null = h.tokens.ANALYST, raw?: string) =>
  fetch(`${base}/api/analyze`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: raw ?? JSON.stringify(body),
  });

describe('HTTP routes beside GraphQL', () => {
  it('serves /healthz without a key', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: 'ok', pendingJobs: expect.any(Number) });
  });

  it('serves GraphiQL to a browser at /graphql without a key', async () => {
    const response = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Vigil</title>');
  });

  it('answers unknown paths with 404 JSON', async () => {
    const response = await fetch(`${base}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no route /nope; GraphQL is at /graphql' });
  });

  it('POST /api/analyze runs the pipeline and answers the IOCs it found (seed contract)', async () => {
    const response = await analyze({ log: 'Failed SSH login from 185.22.13.9 user root' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, any>;
    expect(body).toMatchObject({ status: 'PROCESSED', duplicate: false, alert_id: expect.stringMatching(/^alt_/), intent: 'Brute Force', category: 'BRUTE_FORCE' });
    expect(body.techniques).toContainEqual(expect.stringMatching(/^T1110/));
    expect(body.iocs).toEqual(expect.arrayContaining(['185.22.13.9', 'root']));
    expect(body.indicators).toEqual(expect.arrayContaining([{ type: 'IPV4', value: '185.22.13.9', role: 'SOURCE' }, { type: 'USERNAME', value: 'root', role: 'USER' }]));
    // No field is a placeholder: fields of later stages are absent until those stages exist.
    expect(body).toMatchObject({ risk: 'High', severity_score: expect.any(Number) });
    expect(body.score_factors.reduce((sum: number, f: { points: number }) => sum + f.points, 0)).toBe(body.severity_score);
    // The seed's own example answer for this line.
    expect(body.recommended_action).toBe('Block IP + enable rate limiting');
    expect(body.recommendations[0]).toEqual({ action: 'BLOCK_IP', target: '185.22.13.9', reason: '185.22.13.9 is the source of the failed logins', automatedBy: ['brute-force'] });
    expect(Object.keys(body).sort()).toEqual(['alert_id', 'category', 'confidence', 'duplicate', 'format', 'indicators', 'intent', 'iocs', 'recommendations', 'recommended_action', 'risk', 'score_factors', 'severity_score', 'status', 'techniques']);
  });

  it('reads the seed code\'s {"alert": "..."} as a log line, and a JSON string there as a structured alert', async () => {
    const line = (await (await analyze({ alert: 'Invalid user test from 203.0.113.7' })).json()) as Record<string, any>;
    expect(line.iocs).toEqual(expect.arrayContaining(['203.0.113.7', 'test']));
    const json = (await (await analyze({ alert: JSON.stringify({ message: 'blocked', src_ip: '198.51.100.4' }) })).json()) as Record<string, any>;
    expect(json).toMatchObject({ format: 'JSON', iocs: ['198.51.100.4'] });
  });

  it('answers a repeat with the stored results', async () => {
    await analyze({ log: 'repeat me from 192.0.2.200' });
    const again = (await (await analyze({ log: 'repeat me from 192.0.2.200' })).json()) as Record<string, any>;
    expect(again).toMatchObject({ duplicate: true, status: 'PROCESSED', iocs: ['192.0.2.200'] });
  });

  it.each([
    ['no key', { log: 'x' }, undefined, undefined, 401, /Authorization: Bearer/],
    ['a viewer key', { log: 'x' }, 'VIEWER', undefined, 403, /needs the ANALYST role/],
    ['invalid JSON', undefined, 'ANALYST', '{"log": ', 400, /not valid JSON/],
    ['an array body', [1], 'ANALYST', undefined, 400, /must be a JSON object/],
    ['an empty log', { log: '' }, 'ANALYST', undefined, 422, /`log` is empty/],
    ['neither field', { text: 'x' }, 'ANALYST', undefined, 422, /give a raw log line/],
    ['an oversized body', { log: 'x'.repeat(10_000) }, 'ANALYST', undefined, 413, /over the limit/],
  ] as const)('refuses %s with a clear error', async (_name, body, role, raw, status, message) => {
    const response = await analyze(body, role ? h.tokens[role] : null, raw);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });

  it('refuses GET on /api/analyze', async () => {
    const response = await fetch(`${base}/api/analyze`);
    expect(response.status).toBe(405);
  });
});

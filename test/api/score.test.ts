import { afterEach, describe, expect, it } from 'vitest';
import type { Enricher } from '../../src/engine/enrich/types.js';
import { createHarness, settle, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(() => h.close());

const SCORE = `query($id: ID!) { alert(id: $id) { score { value level factors { name weight value points evidence } } events { stage summary detail } } }`;

async function submit(log: string): Promise<string> {
  return (await h.ok(`mutation($log: String!) { submitAlert(input: { log: $log }) { ... on SubmitAlertSuccess { alert { id } } } }`, { log })).submitAlert.alert.id;
}

async function quiet(): Promise<void> {
  await settle(h);
  while (h.services.enrichment.service.pending > 0) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('risk score over the API', () => {
  it('scores the seed example HIGH with factors that add up, shown in GraphQL', async () => {
    h = createHarness();
    const id = await submit('Failed SSH login from 185.22.13.9 user root');
    await quiet();
    const { score } = (await h.ok(SCORE, { id })).alert;
    expect(score.level).toBe('HIGH');
    expect(score.factors.reduce((sum: number, f: { points: number }) => sum + f.points, 0)).toBe(score.value);
    expect(score.factors.map((f: { name: string }) => f.name)).toEqual(['category', 'ruleSeverity', 'sourceSeverity', 'reputation', 'domainAge', 'assetCriticality', 'privilegedAccount', 'attackTactic', 'repetition']);
  });

  it('rescores when a background lookup brings new evidence, as a SCORE event with the factors before and after', async () => {
    // A reputation service stand-in on no network at all: it calls 185.22.13.9 malicious, but only once
    // released, so that the alert's own SCORE stage has run first and the new evidence arrives later.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const reputation: Enricher = {
      name: 'reputation-test',
      external: true,
      supports: (t) => t.type === 'IPV4',
      lookup: async (t) => {
        await held;
        return { provider: 'reputation-test', status: 'OK', verdict: t.value === '185.22.13.9' ? 'MALICIOUS' : 'UNKNOWN', reasons: ['reported 1,234 times'], data: {} };
      },
    };
    h = createHarness({ VIGIL_ENRICH_NETWORK: 'on', VIGIL_SHARE_AMBER: 'true' }, ':memory:', { networkProviders: [reputation] });
    const id = await submit('Failed SSH login from 185.22.13.9 user root');
    await settle(h);
    const before = (await h.ok(SCORE, { id })).alert.score;
    expect(before.factors.find((f: { name: string }) => f.name === 'reputation').points).toBe(0);
    release();
    await quiet();
    const alert = (await h.ok(SCORE, { id })).alert;
    const rescore = alert.events.filter((e: { stage: string }) => e.stage === 'SCORE').at(-1);
    expect(rescore.summary).toMatch(/^rescored on new evidence: HIGH \d+ -> (HIGH|CRITICAL) \d+/);
    expect(rescore.detail.before.score).toBe(before.value);
    expect(rescore.detail.after.score).toBe(before.value + 15);
    expect(rescore.detail.after.factors.find((f: { name: string }) => f.name === 'reputation').evidence).toBe('185.22.13.9 is MALICIOUS: reputation-test: reported 1,234 times');
    expect(alert.score).toMatchObject({ value: before.value + 15 });
    // The alert's case follows its score, with the change on the case's record.
    const cased = (await h.ok(`query($id: ID!) { alert(id: $id) { case { score severity events { kind actor summary } } } }`, { id })).alert.case;
    expect(cased.score).toBe(before.value + 15);
    expect(cased.events.at(-1)).toMatchObject({ kind: 'UPDATED', actor: 'system:correlator', summary: expect.stringMatching(/rescored on new evidence$/) });
  });

  it('opens a case for an uncased alert whose rescore reaches the case threshold', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const reputation: Enricher = {
      name: 'reputation-test',
      external: true,
      supports: (t) => t.type === 'IPV4',
      lookup: async () => {
        await held;
        return { provider: 'reputation-test', status: 'OK', verdict: 'MALICIOUS', reasons: ['C2 server'], data: {} };
      },
    };
    h = createHarness({ VIGIL_ENRICH_NETWORK: 'on', VIGIL_SHARE_AMBER: 'true', VIGIL_CASE_OPEN_SCORE: '35' }, ':memory:', { networkProviders: [reputation] });
    const { submitAlert } = await h.ok(`mutation($a: JSON!) { submitAlert(input: { alert: $a }) { ... on SubmitAlertSuccess { alert { id } } } }`, {
      a: { message: 'DNS query for update-check.example answered by 185.22.13.9', host: 'laptop-7', dst_ip: '185.22.13.9', program: 'dnsmasq' },
    });
    const id = submitAlert.alert.id;
    await settle(h);
    const first = (await h.ok(`query($id: ID!) { alert(id: $id) { score { value } case { number } } }`, { id })).alert;
    expect(first.score.value).toBeLessThan(35);
    expect(first.case).toBeNull();
    release();
    await quiet();
    const later = (await h.ok(`query($id: ID!) { alert(id: $id) { score { value } case { number score createdBy } } }`, { id })).alert;
    expect(later.score.value).toBeGreaterThanOrEqual(35);
    expect(later.case).toMatchObject({ number: 1, score: later.score.value, createdBy: 'system:correlator' });
  });
});

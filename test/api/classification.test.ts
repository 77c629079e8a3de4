import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, settle, type Harness } from '../helpers/harness.js';

const userRules = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
afterAll(() => rmSync(userRules, { recursive: true, force: true }));

let h: Harness;
beforeEach(() => {
  h = createHarness({ VIGIL_RULES_DIR: userRules });
});
afterEach(() => h.close());

const CLASSIFICATION = `query($id: ID!) { alert(id: $id) { category classification {
  category label confidence severity decidedBy explanation
  rules { ruleId category matched } model { category confidence topFeatures { feature } }
  detections { detector description relatedAlertIds facts }
  techniques { id name tactic source } } } }`;

async function submit(log: string): Promise<string> {
  const data = await h.ok(`mutation($log: String!) { submitAlert(input: { log: $log }) { ... on SubmitAlertSuccess { alert { id } } } }`, { log });
  return data.submitAlert.alert.id;
}

async function classificationOf(id: string) {
  await settle(h);
  return (await h.ok(CLASSIFICATION, { id })).alert;
}

describe('classification over the API', () => {
  it('calls the seed example Brute Force and says why, with ATT&CK techniques', async () => {
    const alert = await classificationOf(await submit('Failed SSH login from 185.22.13.9 user root'));
    expect(alert.category).toBe('BRUTE_FORCE');
    expect(alert.classification).toMatchObject({ label: 'Brute Force', decidedBy: 'RULE', explanation: expect.stringContaining('Brute Force') });
    expect(alert.classification.rules[0]).toMatchObject({ category: 'BRUTE_FORCE', matched: expect.any(Array) });
    expect(alert.classification.techniques).toEqual(expect.arrayContaining([expect.objectContaining({ id: expect.stringMatching(/^T1110/), tactic: 'Credential Access', source: 'RULE' })]));
    expect(alert.classification.model.topFeatures.length).toBeGreaterThan(0);
  });

  it('raises a BRUTE_FORCE detection naming all ten alerts for ten failed logins for different users from one IP within a minute', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push(await submit(`Nov 23 04:00:${String(i * 5).padStart(2, '0')} web-01 sshd[${4000 + i}]: Failed password for invalid user user${i} from 185.22.13.9 port ${40000 + i} ssh2`));
    }
    const last = await classificationOf(ids[9]!);
    const hit = last.classification.detections.find((d: { detector: string }) => d.detector === 'brute-force');
    expect(hit).toBeDefined();
    expect([...hit.relatedAlertIds].sort()).toEqual([...ids].sort());
    expect(last.classification).toMatchObject({ category: 'BRUTE_FORCE', decidedBy: 'DETECTION' });
    const first = await classificationOf(ids[0]!);
    expect(first.classification.detections).toEqual([]);
  });

  it('filters alerts by category', async () => {
    const brute = await submit('Failed SSH login from 185.22.13.9 user root');
    await submit('Nov 23 04:00:00 web-01 systemd[1]: Started Session 42 of user alice.');
    await settle(h);
    const data = await h.ok(`{ alerts(filter: { category: [BRUTE_FORCE] }) { edges { node { id category } } } }`);
    expect(data.alerts.edges.map((e: any) => e.node.id)).toEqual([brute]);
  });

  it('lists rules and searches ATT&CK techniques', async () => {
    const rules = await h.ok(`{ rules(filter: { category: [BRUTE_FORCE] }) { id origin category techniques } }`);
    expect(rules.rules.length).toBeGreaterThan(3);
    expect(rules.rules.every((r: any) => r.category === 'BRUTE_FORCE' && r.origin === 'SHIPPED')).toBe(true);
    const techniques = await h.ok(`{ attackTechniques(search: "password guessing") { id name parentName tactics { name } } }`);
    expect(techniques.attackTechniques).toEqual([{ id: 'T1110.001', name: 'Password Guessing', parentName: 'Brute Force', tactics: [{ name: 'Credential Access' }] }]);
  });

  it('reloads rule packs (admin): a broken user rule is reported and skipped, a good one takes effect', async () => {
    writeFileSync(
      join(userRules, 'local.yaml'),
      `pack: local
rules:
  - id: local-canary
    title: Canary file touched
    description: Someone opened the canary file.
    category: SUSPICIOUS_ACCESS
    severity: HIGH
    confidence: 0.95
    techniques: [T1083]
    match:
      all:
        - field: message
          contains: canary-7f3a
  - id: local-broken
    title: Broken
    description: Bad category.
    category: NOT_A_CATEGORY
    severity: LOW
    confidence: 0.5
    match:
      all:
        - field: message
          contains: x
`,
    );
    const forbidden = await h.gql('mutation { reloadRules { ruleCount } }', undefined, h.tokens.ANALYST);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const reloaded = await h.ok('mutation { reloadRules { ruleCount errors { file ruleId message } } }', undefined, h.tokens.ADMIN);
    expect(reloaded.reloadRules.errors).toEqual([expect.objectContaining({ file: expect.stringContaining('local.yaml'), ruleId: 'local-broken', message: expect.stringMatching(/category/i) })]);
    const alert = await classificationOf(await submit('audit: user bob opened /srv/canary-7f3a.docx'));
    expect(alert.classification).toMatchObject({ category: 'SUSPICIOUS_ACCESS', decidedBy: 'RULE', rules: [expect.objectContaining({ ruleId: 'local-canary' })] });
    rmSync(join(userRules, 'local.yaml'));
  });
});

describe('beaconing end to end', () => {
  const T = Date.parse('2026-11-23T00:00:00Z');
  const line = (at: number, dst: string, port: number) =>
    `CEF:0|Acme|EdgeFW|2.1|100|Connection allowed|3|rt=${at} src=10.20.0.15 spt=${40000 + (at % 1000)} dst=${dst} dpt=${port} proto=TCP act=allow`;

  /** The detections fired anywhere in the series (a beacon is reported once per window, by the alert that completes it). */
  async function detectionsIn(times: number[], dst: string, port: number) {
    const ids: string[] = [];
    for (const at of times) ids.push(await submit(line(at, dst, port)));
    const fired: string[] = [];
    for (const id of ids) fired.push(...(await classificationOf(id)).classification.detections.map((d: { detector: string }) => d.detector));
    return fired;
  }

  it('finds connections every 60 s with small jitter, and not random ones or an NTP poll', async () => {
    // Uniform jitter of up to ±2 s from a seeded generator: deterministic, but not a hand-picked pattern.
    let seed = 42;
    const jitterMs = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 4000 - 2000;
    const regular = Array.from({ length: 20 }, (_, i) => T + i * 60_000 + Math.round(jitterMs()));
    expect(await detectionsIn(regular, '203.0.113.80', 443)).toEqual(['beaconing']);
    const jitter = regular;
    const random = [0, 7, 95, 130, 410, 422, 900, 1300, 1310, 2000, 2800, 2805, 3100, 4400, 4410, 4700, 6000, 6090, 7500, 7502];
    expect(await detectionsIn(random.map((s) => T + s * 1000), '198.51.100.9', 443)).toEqual([]);
    expect(await detectionsIn(jitter.map((_, i) => T + i * 64_000), '192.0.2.123', 123)).toEqual([]);
  });
});

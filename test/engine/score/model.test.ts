import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORE_SETTINGS, scoreAlert, type ScoreInput } from '../../../src/engine/score/model.js';
import { loadConfig } from '../../../src/config.js';
import type { NormalizedEvent } from '../../../src/engine/types.js';

const event: NormalizedEvent = { format: 'UNKNOWN', message: 'Failed SSH login from 185.22.13.9 user root', srcIp: '185.22.13.9', user: 'root', fields: {} };
const credentialAccess = [{ id: 'T1110', name: 'Brute Force', tactics: [{ id: 'TA0006', name: 'Credential Access' }], source: 'RULE' as const }];
const base: ScoreInput = {
  event,
  classification: { category: 'BRUTE_FORCE', confidence: 0.8, severity: 'MEDIUM', techniques: credentialAccess, detections: [] },
  iocs: [],
  occurrenceCount: 1,
  inCriticalNetwork: () => false,
};

const sum = (r: ReturnType<typeof scoreAlert>) => r.factors.reduce((s, f) => s + f.points, 0);

describe('risk score', () => {
  it("puts the seed's failed root SSH login at HIGH, with factors that add up to the score", () => {
    const r = scoreAlert(base);
    expect(r.level).toBe('HIGH');
    expect(sum(r)).toBe(r.score);
    expect(r.factors.find((f) => f.name === 'privilegedAccount')).toMatchObject({ points: 10, evidence: 'privileged account root' });
    expect(r.factors.find((f) => f.name === 'attackTactic')?.evidence).toBe('ATT&CK tactic Credential Access');
  });

  it('keeps a benign event LOW even for root, and reaches CRITICAL with a detection and a malicious IOC', () => {
    const benign = scoreAlert({ ...base, classification: { ...base.classification!, category: 'BENIGN', confidence: 0.9, severity: 'LOW' } });
    expect(benign.level).toBe('LOW');
    const worst = scoreAlert({
      ...base,
      classification: { ...base.classification!, confidence: 0.95, severity: 'HIGH', detections: [{ detector: 'brute-force', category: 'BRUTE_FORCE', confidence: 0.9, severity: 'HIGH', techniques: [], description: '', relatedAlertIds: [], facts: {} }] },
      iocs: [{ type: 'IPV4', value: '185.22.13.9', verdict: 'MALICIOUS', reasons: ['listed in feodotracker'] }],
    });
    expect(worst.level).toBe('CRITICAL');
    expect(worst.factors.find((f) => f.name === 'reputation')?.evidence).toBe('185.22.13.9 is MALICIOUS: listed in feodotracker');
    expect(sum(worst)).toBe(worst.score);
  });

  it('counts young domains, source severity, critical assets and repetition', () => {
    const r = scoreAlert(
      { ...base, event: { ...event, ruleLevel: 12, host: 'DC01' }, iocs: [{ type: 'DOMAIN', value: 'new.example', verdict: 'SUSPICIOUS', reasons: ['registered 3 days ago'] }], occurrenceCount: 8 },
      { ...DEFAULT_SCORE_SETTINGS, criticalAssets: { hosts: ['dc01'], users: [], networks: [] } },
    );
    const values = Object.fromEntries(r.factors.map((f) => [f.name, f.value]));
    expect(values).toMatchObject({ domainAge: 1, assetCriticality: 1, sourceSeverity: 0.8, reputation: 0.5 });
    expect(r.factors.find((f) => f.name === 'repetition')?.evidence).toBe('seen 8 times');
    expect(sum(r)).toBe(r.score);
  });

  it('keeps factors summing to the score for many random inputs', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 200; i++) {
      const r = scoreAlert({ ...base, classification: { ...base.classification!, confidence: rand() }, occurrenceCount: 1 + Math.floor(rand() * 100), event: { ...event, ruleLevel: Math.floor(rand() * 16) } });
      expect(sum(r)).toBe(r.score);
    }
  });

  it('reads thresholds and weights from the environment and refuses bad ones', () => {
    expect(loadConfig({ VIGIL_RISK_THRESHOLDS: '10,50,90' }).score.thresholds).toEqual({ medium: 10, high: 50, critical: 90 });
    expect(() => loadConfig({ VIGIL_RISK_THRESHOLDS: '50,40,90' })).toThrow(/must ascend/);
    expect(loadConfig({ VIGIL_SCORE_WEIGHTS: '{"category": 30, "privilegedAccount": 15}' }).score.weights).toMatchObject({ category: 30, privilegedAccount: 15 });
    expect(() => loadConfig({ VIGIL_SCORE_WEIGHTS: '{"category": 50}' })).toThrow(/sum to 100/);
    expect(() => loadConfig({ VIGIL_SCORE_WEIGHTS: '{"nope": 5}' })).toThrow(/VIGIL_SCORE_WEIGHTS/);
  });
});

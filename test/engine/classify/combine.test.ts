import { describe, expect, it } from 'vitest';
import { loadAttackCatalog } from '../../../src/engine/attack/catalog.js';
import { combine } from '../../../src/engine/classify/combine.js';
import { signalsOf } from '../../../src/engine/classify/signals.js';
import { CATEGORIES, type Category, type DetectionHit, type ModelPrediction, type RuleMatch } from '../../../src/engine/classify/types.js';
import type { NormalizedEvent } from '../../../src/engine/types.js';

const attack = loadAttackCatalog();
const event: NormalizedEvent = { format: 'UNKNOWN', message: 'Failed password for root from 185.22.13.9 port 22 ssh2', fields: {} };

const rule = (category: Category, confidence: number, extra: Partial<RuleMatch> = {}): RuleMatch => ({
  ruleId: `r-${category.toLowerCase()}`,
  pack: 'test.yaml',
  title: `${category} rule`,
  description: '',
  category,
  severity: 'MEDIUM',
  confidence,
  techniques: category === 'BRUTE_FORCE' ? ['T1110.001'] : [],
  signals: [],
  matched: [],
  ...extra,
});

const model = (category: Category, confidence: number): ModelPrediction => ({
  category,
  confidence,
  probabilities: Object.fromEntries(CATEGORIES.map((c) => [c, c === category ? confidence : (1 - confidence) / 6])) as Record<Category, number>,
  topFeatures: [{ feature: 'failed password', weight: 2.5 }],
});

const detection = (category: Category): DetectionHit => ({
  detector: 'success-after-failures',
  category,
  confidence: 0.9,
  severity: 'HIGH',
  techniques: ['T1110', 'T1078'],
  description: 'login for root after 6 failures from 185.22.13.9',
  relatedAlertIds: ['alt_1', 'alt_2'],
  facts: { failures: 6 },
});

describe('combining rules, model and detections', () => {
  it('lets a confident rule decide, and names its techniques with their tactic', () => {
    const c = combine({ event, rules: [rule('BRUTE_FORCE', 0.85)], model: model('BENIGN', 0.6), detections: [] }, attack);
    expect(c).toMatchObject({ category: 'BRUTE_FORCE', label: 'Brute Force', decidedBy: 'RULE', confidence: 0.85, severity: 'MEDIUM' });
    expect(c.techniques).toEqual([{ id: 'T1110.001', name: 'Brute Force: Password Guessing', tactics: [{ id: 'TA0006', name: 'Credential Access' }], source: 'RULE' }]);
    expect(c.summary).toBe('Brute Force (85%): rule r-brute_force: BRUTE_FORCE rule');
  });

  it('raises confidence when the model agrees with the rule', () => {
    const c = combine({ event, rules: [rule('BRUTE_FORCE', 0.8)], model: model('BRUTE_FORCE', 0.9), detections: [] }, attack);
    expect(c.confidence).toBeCloseTo(0.8 + 0.2 * 0.45, 5);
  });

  it('lets the model decide when no rule is confident, with its coarse technique', () => {
    const c = combine({ event, rules: [rule('PHISHING', 0.3)], model: model('MALWARE', 0.7), detections: [] }, attack);
    expect(c).toMatchObject({ category: 'MALWARE', decidedBy: 'MODEL', confidence: 0.7, severity: 'HIGH' });
    expect(c.techniques.map((t) => [t.id, t.source])).toEqual([['T1204', 'MODEL']]);
    expect(c.summary).toContain('"failed password"');
  });

  it('prefers a threat rule over a BENIGN rule of equal confidence', () => {
    const c = combine({ event, rules: [rule('BENIGN', 0.9), rule('PRIVILEGE_MISUSE', 0.9)], model: null, detections: [] }, attack);
    expect(c.category).toBe('PRIVILEGE_MISUSE');
  });

  it('lets a detection outrank a BENIGN rule: a successful login after failures is suspicious', () => {
    const c = combine({ event, rules: [rule('BENIGN', 0.95)], model: model('BENIGN', 0.9), detections: [detection('SUSPICIOUS_ACCESS')] }, attack);
    expect(c).toMatchObject({ category: 'SUSPICIOUS_ACCESS', decidedBy: 'DETECTION', severity: 'HIGH', confidence: 0.9 });
    expect(c.techniques.map((t) => `${t.id}:${t.source}`)).toEqual(['T1110:DETECTION', 'T1078:DETECTION']);
  });

  it('includes techniques named by the alert source, and ignores unknown ids', () => {
    const c = combine({ event: { ...event, mitreTechniques: ['T1110', 'T9999'] }, rules: [], model: model('BENIGN', 0.8), detections: [] }, attack);
    expect(c.techniques.map((t) => t.id)).toEqual(['T1110']);
  });
});

describe('signals from normalized fields', () => {
  it('derives authentication and connection facts', () => {
    expect([...signalsOf({ ...event, action: 'ssh_login', outcome: 'failure' }, [])]).toEqual(['AUTH_FAILURE']);
    expect([...signalsOf({ ...event, action: 'ssh_login', outcome: 'success', user: 'root' }, [])].sort()).toEqual(['AUTH_SUCCESS', 'PRIVILEGED_LOGON']);
    expect([...signalsOf({ ...event, eventId: '4625' }, [])]).toEqual(['AUTH_FAILURE']);
    expect([...signalsOf({ ...event, eventId: '4672' }, [])]).toEqual(['PRIVILEGED_LOGON']);
    expect([...signalsOf({ ...event, srcIp: '10.0.0.5', dstIp: '203.0.113.9', dstPort: 443 }, [])]).toEqual(['NETWORK_CONNECTION']);
    expect([...signalsOf({ ...event, action: 'sudo', outcome: 'success', user: 'root' }, [])]).toEqual([]);
    expect([...signalsOf(event, [rule('BRUTE_FORCE', 0.9, { signals: ['AUTH_FAILURE'] })])]).toEqual(['AUTH_FAILURE']);
  });
});

describe('a confident BENIGN rule', () => {
  it('wins over a model that disagrees (a routine sudo is not misuse because the model has seen sudo in attacks)', () => {
    const c = combine({ event, rules: [rule('BENIGN', 0.75)], model: model('PRIVILEGE_MISUSE', 0.9), detections: [] }, attack);
    expect(c).toMatchObject({ category: 'BENIGN', decidedBy: 'RULE', confidence: 0.75 });
  });
});

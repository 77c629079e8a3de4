import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR } from '../../../../src/engine/classify/rules/index.js';
import { attack, shippedRules } from './helpers.js';

const PACKS = [
  'generic', 'sshd', 'pam', 'sudo', 'linux-accounts', 'windows-security', 'windows-defender', 'sysmon',
  'process-execution', 'clamav', 'edr', 'web-server', 'proxy', 'mail', 'dns', 'firewall', 'cisco-asa',
  'suricata', 'aws-cloudtrail', 'office365', 'github-audit', 'wazuh',
];

describe('shipped rule packs', () => {
  const set = shippedRules();
  const rules = set.rules();

  it('load with zero errors (a broken shipped pack is a bug)', () => {
    expect(set.errors).toEqual([]);
  });

  it('ship one file per log source, each with rules', () => {
    expect(readdirSync(DEFAULT_RULES_DIR).filter((f) => f.endsWith('.yaml')).sort()).toEqual(PACKS.map((p) => `${p}.yaml`).sort());
    for (const pack of PACKS) expect(rules.filter((r) => r.pack === `${pack}.yaml`).length, pack).toBeGreaterThanOrEqual(3);
    expect(rules.length).toBeGreaterThanOrEqual(180);
  });

  it('give every rule a title, a description and a sensible confidence', () => {
    for (const rule of rules) {
      expect(rule.title.length, rule.id).toBeGreaterThanOrEqual(10);
      expect(rule.description.length, rule.id).toBeGreaterThanOrEqual(40);
      expect(rule.confidence, rule.id).toBeGreaterThan(0.3);
      expect(rule.confidence, rule.id).toBeLessThanOrEqual(0.95);
      expect(rule.origin).toBe('SHIPPED');
    }
  });

  it('name active ATT&CK v18.1 techniques for every threat rule', () => {
    for (const rule of rules.filter((r) => r.category !== 'BENIGN')) {
      expect(rule.techniques.length, rule.id).toBeGreaterThan(0);
      for (const id of rule.techniques) expect(attack.technique(id)?.retired, `${rule.id} ${id}`).toBe(false);
    }
  });

  it('keep rules that only feed the connection count below every threat rule, so they never decide', () => {
    const feeders = rules.filter((r) => r.category === 'BENIGN' && r.signals.join() === 'NETWORK_CONNECTION');
    expect(feeders.length).toBeGreaterThanOrEqual(8);
    const weakestThreat = Math.min(...rules.filter((r) => r.category !== 'BENIGN').map((r) => r.confidence));
    for (const rule of feeders) expect(rule.confidence, rule.id).toBeLessThan(weakestThreat);
  });

  it('keep BENIGN rules at low severity', () => {
    for (const rule of rules.filter((r) => r.category === 'BENIGN')) expect(rule.severity, rule.id).toBe('LOW');
  });

  it('cover every category', () => {
    const categories = new Set(rules.map((r) => r.category));
    expect([...categories].sort()).toEqual(['BEACONING', 'BENIGN', 'BRUTE_FORCE', 'MALWARE', 'PHISHING', 'PRIVILEGE_MISUSE', 'SUSPICIOUS_ACCESS']);
  });

  it('returns copies from rules(), so callers cannot change the set', () => {
    const first = set.rules()[0]!;
    first.techniques.push('T0000');
    expect(set.rules()[0]?.techniques).not.toContain('T0000');
  });
});

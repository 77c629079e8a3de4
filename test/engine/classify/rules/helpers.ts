import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadAttackCatalog } from '../../../../src/engine/attack/catalog.js';
import { loadRuleSet, type RuleSet } from '../../../../src/engine/classify/rules/index.js';
import type { Category, RuleMatch } from '../../../../src/engine/classify/types.js';
import { normalize } from '../../../../src/engine/normalize/index.js';
import type { NormalizedEvent } from '../../../../src/engine/types.js';

export const NOW = Date.UTC(2024, 2, 12, 12, 0, 0);
export const attack = loadAttackCatalog();

let shipped: RuleSet | undefined;
/** The shipped packs, loaded once per test file. */
export function shippedRules(): RuleSet {
  shipped ??= loadRuleSet({ attack });
  return shipped;
}

export function logEvent(line: string): NormalizedEvent {
  return normalize({ kind: 'log', text: line }, { now: NOW });
}

export function jsonEvent(value: Record<string, unknown>): NormalizedEvent {
  return normalize({ kind: 'json', value }, { now: NOW });
}

/** Matches of the shipped rules for a raw line or a JSON record. */
export function matches(input: string | Record<string, unknown>): RuleMatch[] {
  return shippedRules().match(typeof input === 'string' ? logEvent(input) : jsonEvent(input));
}

/** Prints what did match when the expectation fails, so a broken rule is easy to see. */
function describeMatches(found: RuleMatch[]): string {
  return found.length === 0 ? '(no rule matched)' : found.map((m) => `${m.ruleId} ${m.category} ${m.confidence}`).join(', ');
}

/** The strongest match has this category (and, when given, comes from this rule). */
export function expectTop(input: string | Record<string, unknown>, category: Category, ruleId?: string): RuleMatch {
  const found = matches(input);
  const top = found[0];
  expect(top?.category, describeMatches(found)).toBe(category);
  if (ruleId) expect(found.map((m) => m.ruleId), describeMatches(found)).toContain(ruleId);
  return top!;
}

/** No rule fires, or every rule that fires says BENIGN. */
export function expectHarmless(input: string | Record<string, unknown>): RuleMatch[] {
  const found = matches(input);
  expect(found.filter((m) => m.category !== 'BENIGN'), describeMatches(found)).toEqual([]);
  return found;
}

/** No rule of this category fires. */
export function expectNotCategory(input: string | Record<string, unknown>, category: Category): void {
  const found = matches(input);
  expect(found.filter((m) => m.category === category), describeMatches(found)).toEqual([]);
}

/** A scratch directory of rule packs, removed by `cleanup()`. */
export class PackDir {
  readonly root = mkdtempSync(join(tmpdir(), 'vigil-rules-'));

  constructor(readonly name = 'packs') {
    mkdirSync(this.path, { recursive: true });
  }

  get path(): string {
    return join(this.root, this.name);
  }

  write(file: string, text: string): string {
    const path = join(this.path, file);
    writeFileSync(path, text);
    return path;
  }

  cleanup(): void {
    try {
      chmodSync(this.path, 0o755);
    } catch {
      // already gone
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A minimal valid rule in YAML, indented for a `rules:` list; `extra` replaces or adds keys ('' drops one). */
export function ruleYaml(id: string, extra: Record<string, string> = {}): string {
  const keys: Record<string, string> = {
    id,
    title: 'Test rule',
    description: 'A rule written for a unit test.',
    category: 'BRUTE_FORCE',
    severity: 'MEDIUM',
    confidence: '0.7',
    techniques: '[T1110]',
    match: '\n      all:\n        - field: message\n          contains: failed login',
    ...extra,
  };
  const lines = Object.entries(keys)
    .filter(([, v]) => v !== '')
    .map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v}`);
  return `${lines.join('\n')}\n`;
}

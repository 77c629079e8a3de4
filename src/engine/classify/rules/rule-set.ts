/**
 * The shipped packs and an optional user directory merged into one set of rules, and matching an event
 * against it.
 *
 * A user rule with the id of a shipped rule replaces it. That is the intended way to tune a shipped
 * rule, so it is not an error: `errors` stays the list of things that are broken, and a test can demand
 * it be empty for the shipped packs. Replacements are listed in `overrides` (and show as origin USER in
 * `rules()`) for whoever wants to log them. A user pack may also switch shipped rules off with
 * `disable: [id, ...]`.
 */
import { fileURLToPath } from 'node:url';
import type { AttackCatalog } from '../../attack/catalog.js';
import type { NormalizedEvent } from '../../types.js';
import type { RuleMatch, Severity } from '../types.js';
import { CompileContext, type Explain } from './conditions.js';
import { EventView } from './fields.js';
import { type CompiledRule, loadPack, type RuleOrigin, type RuleSummary } from './pack.js';
import { listPackFiles, readPackFile, type RuleLoadError } from './source.js';

export const DEFAULT_RULES_DIR: string = fileURLToPath(new URL('../../../../data/rules', import.meta.url));

export interface RuleOverride {
  id: string;
  /** The user pack file whose rule replaced the shipped one. */
  file: string;
  /** The shipped pack it replaced, e.g. `sshd.yaml`. */
  replaced: string;
}

export interface RuleSet {
  /** Every matching rule, strongest (confidence, then severity) first. */
  match(event: NormalizedEvent): RuleMatch[];
  rules(): RuleSummary[];
  /** Problems found at load; the broken files and rules were skipped. */
  errors: RuleLoadError[];
  /** Shipped rules replaced by a user rule of the same id. */
  overrides: RuleOverride[];
}

export interface LoadRuleSetOptions {
  /** Shipped packs; defaults to data/rules. */
  shippedDir?: string;
  /** Site-specific packs; a directory that does not exist is the same as none. */
  userDir?: string | undefined;
  attack: AttackCatalog;
}

const SEVERITY_RANK: Record<Severity, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

function loadDir(dir: string, origin: RuleOrigin, attack: AttackCatalog, ctx: CompileContext, errors: RuleLoadError[]) {
  return listPackFiles(dir, origin === 'USER', errors).flatMap((file) => {
    // Every expected problem is reported by the steps themselves; this is the promise never to throw
    // on a hand-written file, whatever it holds.
    try {
      const parsed = readPackFile(file, errors);
      return parsed ? [loadPack(parsed, origin, attack, ctx, errors)] : [];
    } catch (err) {
      errors.push({ file, message: `cannot load pack: ${(err as Error).message}` });
      return [];
    }
  });
}

function toMatch(rule: CompiledRule, matched: string[]): RuleMatch {
  const s = rule.summary;
  return {
    ruleId: s.id,
    pack: s.pack,
    title: s.title,
    description: s.description,
    category: s.category,
    severity: s.severity,
    confidence: s.confidence,
    techniques: [...s.techniques],
    signals: [...s.signals],
    matched,
  };
}

export function compareMatches(a: RuleMatch, b: RuleMatch): number {
  return b.confidence - a.confidence || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.ruleId.localeCompare(b.ruleId);
}

export function loadRuleSet(options: LoadRuleSetOptions): RuleSet {
  const errors: RuleLoadError[] = [];
  const overrides: RuleOverride[] = [];
  const byId = new Map<string, CompiledRule>();
  const ctx = new CompileContext();

  for (const pack of loadDir(options.shippedDir ?? DEFAULT_RULES_DIR, 'SHIPPED', options.attack, ctx, errors)) {
    for (const rule of pack.rules) {
      const earlier = byId.get(rule.summary.id);
      if (earlier) {
        errors.push({ file: rule.file, ruleId: rule.summary.id, line: rule.line, message: `duplicate rule id: already defined in ${earlier.summary.pack}` });
      } else {
        byId.set(rule.summary.id, rule);
      }
    }
  }

  const userPacks = options.userDir === undefined ? [] : loadDir(options.userDir, 'USER', options.attack, ctx, errors);
  // Disables apply to shipped rules only, before user rules join, so a user may disable and re-define.
  for (const { id, file, line } of userPacks.flatMap((p) => p.disable)) {
    if (byId.get(id)?.summary.origin === 'SHIPPED') byId.delete(id);
    else errors.push({ file, ruleId: id, line, message: `disable: no shipped rule has the id "${id}"` });
  }
  for (const rule of userPacks.flatMap((p) => p.rules)) {
    const earlier = byId.get(rule.summary.id);
    if (earlier?.summary.origin === 'USER') {
      errors.push({ file: rule.file, ruleId: rule.summary.id, line: rule.line, message: `duplicate rule id: already defined in ${earlier.summary.pack}` });
      continue;
    }
    if (earlier) overrides.push({ id: rule.summary.id, file: rule.file, replaced: earlier.summary.pack });
    byId.set(rule.summary.id, rule);
  }

  const rules = [...byId.values()].sort((a, b) => a.summary.id.localeCompare(b.summary.id));
  return {
    errors,
    overrides,
    rules: () => rules.map((r) => ({ ...r.summary, techniques: [...r.summary.techniques], signals: [...r.summary.signals] })),
    match(event) {
      const view = new EventView(event);
      const out: RuleMatch[] = [];
      // One scratch list for all rules: evaluators empty it again when they fail.
      const scratch: Explain[] = [];
      for (const rule of rules) {
        if (rule.evaluate(view, scratch)) out.push(toMatch(rule, scratch.splice(0).map((explain) => explain())));
      }
      return out.sort(compareMatches);
    },
  };
}

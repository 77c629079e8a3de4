/**
 * One pack file to compiled rules. A bad rule is reported and skipped, never thrown: user packs are
 * edited by hand, and one typo must not take the other rules (or the pipeline) down with it.
 */
import { basename } from 'node:path';
import { formatPath, issuePath } from '../../yaml-document.js';
import type { AttackCatalog } from '../../attack/catalog.js';
import type { Category, Severity, Signal } from '../types.js';
import { type CompileContext, compileCondition, ConditionError, type Evaluator } from './conditions.js';
import { packSchema, ruleSchema } from './schema.js';
import type { ParsedFile, RuleLoadError } from './source.js';

export type RuleOrigin = 'SHIPPED' | 'USER';

export interface RuleSummary {
  id: string;
  /** The file the rule came from: `sshd.yaml`, or `user:local.yaml` for a user pack. */
  pack: string;
  origin: RuleOrigin;
  title: string;
  description: string;
  category: Category;
  severity: Severity;
  confidence: number;
  techniques: string[];
  signals: Signal[];
}

export interface CompiledRule {
  summary: RuleSummary;
  file: string;
  line: number | undefined;
  evaluate: Evaluator;
}

export interface PackResult {
  rules: CompiledRule[];
  /** Shipped rule ids a user pack switches off, with where it says so. */
  disable: Array<{ id: string; file: string; line: number | undefined }>;
}

function checkTechniques(ids: string[], attack: AttackCatalog): string[] {
  const problems: string[] = [];
  for (const id of ids) {
    const technique = attack.technique(id);
    if (!technique) problems.push(`unknown ATT&CK technique ${id} (not in ATT&CK v${attack.version})`);
    else if (technique.retired) problems.push(`ATT&CK technique ${id} (${technique.name}) is revoked or deprecated in v${attack.version}`);
  }
  return problems;
}

export function loadPack(
  parsed: ParsedFile,
  origin: RuleOrigin,
  attack: AttackCatalog,
  ctx: CompileContext,
  errors: RuleLoadError[],
): PackResult {
  const { file } = parsed;
  const result: PackResult = { rules: [], disable: [] };
  if (parsed.data === null || parsed.data === undefined) {
    errors.push({ file, message: 'empty file: a rule pack is a mapping with a "rules" list' });
    return result;
  }
  const pack = packSchema.safeParse(parsed.data);
  if (!pack.success) {
    for (const issue of pack.error.issues) {
      const path = issuePath(issue);
      errors.push({ file, line: parsed.lineOf(path), message: `${formatPath(path) || 'file'}: ${issue.message}` });
    }
    return result;
  }
  const label = origin === 'USER' ? `user:${basename(file)}` : basename(file);
  const { rules, disable = [] } = pack.data;
  if (disable.length > 0 && origin === 'SHIPPED') {
    errors.push({ file, line: parsed.lineOf(['disable']), message: 'disable: only user packs may switch shipped rules off' });
  } else {
    disable.forEach((id, i) => result.disable.push({ id, file, line: parsed.lineOf(['disable', i]) }));
  }
  if (rules.length === 0 && disable.length === 0) {
    errors.push({ file, line: parsed.lineOf([]), message: 'the pack has no rules' });
  }

  const seen = new Set<string>();
  rules.forEach((raw, i) => {
    const at = ['rules', i] as const;
    const rawId = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
    const report = (path: Array<string | number>, message: string): void => {
      const rel = formatPath(path);
      errors.push({ file, ruleId: rawId, line: parsed.lineOf([...at, ...path]), message: rel ? `${rel}: ${message}` : message });
    };
    const checked = ruleSchema.safeParse(raw);
    if (!checked.success) {
      for (const issue of checked.error.issues) report(issuePath(issue), issue.message);
      return;
    }
    const rule = checked.data;
    const techniqueProblems = checkTechniques(rule.techniques, attack);
    if (techniqueProblems.length > 0) {
      for (const problem of techniqueProblems) report(['techniques'], problem);
      return;
    }
    if (seen.has(rule.id)) {
      report(['id'], `duplicate rule id "${rule.id}" in this file`);
      return;
    }
    let evaluate: Evaluator;
    try {
      evaluate = compileCondition(rule.match, ['match'], ctx);
    } catch (err) {
      if (!(err instanceof ConditionError)) throw err;
      report(err.path, err.message);
      return;
    }
    seen.add(rule.id);
    result.rules.push({
      file,
      line: parsed.lineOf(at),
      evaluate,
      summary: {
        id: rule.id,
        pack: label,
        origin,
        title: rule.title,
        description: rule.description,
        category: rule.category,
        severity: rule.severity,
        confidence: rule.confidence,
        techniques: [...new Set(rule.techniques)],
        signals: [...new Set(rule.signals)],
      },
    });
  });
  return result;
}

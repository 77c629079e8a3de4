/**
 * The shape of a rule pack file, as zod schemas. Every object is strict so that a misspelt key
 * (`contain:`, `serverity:`) is an error instead of a silently ignored line. Conditions are checked by
 * a small recursive walk rather than a zod union, so an error inside a nested group names the exact key
 * at fault instead of "no union member matched".
 */
import { z } from 'zod';
import { CATEGORIES, Category, SEVERITIES, SIGNALS } from '../types.js';

/** Bounds on what one rule may ask for, so an untrusted user pack cannot make loading or matching costly. */
export const RULE_LIMITS = {
  rulesPerFile: 2000,
  listItems: 500,
  stringChars: 1000,
  regexChars: 2000,
  depth: 8,
  fileBytes: 1024 * 1024,
} as const;

const TECHNIQUE_ID = /^T\d{4}(?:\.\d{3})?$/;
const RULE_ID = /^[a-z0-9][a-z0-9._-]{1,79}$/;

const scalar = z.union([z.string().max(RULE_LIMITS.stringChars), z.number(), z.boolean()]);
const text = z.string().min(1).max(RULE_LIMITS.stringChars);
const texts = z.array(text).min(1).max(RULE_LIMITS.listItems);
const textOrTexts = z.union([text, texts]);
const fieldName = z.string().min(1).max(256);

/** Operators that test a value; a leaf has exactly one of these, or one or more numeric bounds. */
export const MATCH_OPERATORS = ['equals', 'in', 'contains', 'contains_any', 'starts_with', 'ends_with', 'regex', 'exists'] as const;
export const NUMERIC_OPERATORS = ['gt', 'gte', 'lt', 'lte'] as const;
const STRING_OPERATORS: ReadonlySet<string> = new Set(['equals', 'in', 'contains', 'contains_any', 'starts_with', 'ends_with', 'regex']);

export const leafSchema = z
  .strictObject({
    field: z.union([fieldName, z.array(fieldName).min(1).max(32)]),
    equals: scalar.optional(),
    in: z.array(scalar).min(1).max(RULE_LIMITS.listItems).optional(),
    contains: text.optional(),
    contains_any: texts.optional(),
    starts_with: textOrTexts.optional(),
    ends_with: textOrTexts.optional(),
    regex: z.string().min(1).max(RULE_LIMITS.regexChars).optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    exists: z.boolean().optional(),
    case_sensitive: z.boolean().optional(),
    decode: z.enum(['url']).optional(),
  })
  .superRefine((leaf, ctx) => {
    const ops = MATCH_OPERATORS.filter((op) => leaf[op] !== undefined);
    const bounds = NUMERIC_OPERATORS.filter((op) => leaf[op] !== undefined);
    if (ops.length + bounds.length === 0) {
      ctx.addIssue({ code: 'custom', message: `a condition needs one operator: ${[...MATCH_OPERATORS, ...NUMERIC_OPERATORS].join(', ')}` });
    } else if (ops.length > 1 || (ops.length === 1 && bounds.length > 0)) {
      ctx.addIssue({ code: 'custom', message: `a condition takes one operator (numeric bounds may combine), found ${[...ops, ...bounds].join(' and ')}; use "all" to combine` });
    }
    const onText = ops.length === 1 && STRING_OPERATORS.has(ops[0] ?? '');
    if (leaf.case_sensitive !== undefined && !onText) ctx.addIssue({ code: 'custom', message: 'case_sensitive only applies to string operators' });
    if (leaf.decode !== undefined && !onText) ctx.addIssue({ code: 'custom', message: 'decode only applies to string operators' });
  });

export type LeafSpec = z.infer<typeof leafSchema>;
export interface GroupSpec {
  all?: ConditionSpec[];
  any?: ConditionSpec[];
  none?: ConditionSpec[];
}
export type ConditionSpec = LeafSpec | GroupSpec;

export function isLeaf(spec: ConditionSpec): spec is LeafSpec {
  return Object.hasOwn(spec, 'field');
}

type Path = Array<string | number>;
export interface SpecIssue {
  path: Path;
  message: string;
}

const GROUP_KEYS = ['all', 'any', 'none'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a condition tree; returns what is wrong with it, each issue with its path under `match`. */
export function checkCondition(value: unknown, path: Path, depth: number, issues: SpecIssue[], top = false): void {
  if (!isPlainObject(value)) {
    issues.push({ path, message: 'a condition must be a mapping: a leaf with "field", or a group with all/any/none' });
    return;
  }
  if (Object.hasOwn(value, 'field')) {
    if (top) issues.push({ path, message: 'match must be a group: put the condition under "all" or "any"' });
    const parsed = leafSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        issues.push({ path: [...path, ...(issue.path as Path), ...keys.slice(0, 1)], message: issue.message });
      }
    }
    return;
  }
  if (depth > RULE_LIMITS.depth) {
    issues.push({ path, message: `conditions nest deeper than ${RULE_LIMITS.depth} levels` });
    return;
  }
  const unknown = Object.keys(value).filter((k) => !(GROUP_KEYS as readonly string[]).includes(k));
  for (const key of unknown) {
    issues.push({ path: [...path, key], message: `unknown key "${key}": a group has all, any or none; a leaf needs "field"` });
  }
  const present = GROUP_KEYS.filter((k) => value[k] !== undefined);
  if (present.length === 0 && unknown.length === 0) issues.push({ path, message: 'empty condition: nothing to match' });
  // A rule whose only test is `none` would fire on almost every event.
  if (top && present.length > 0 && !present.includes('all') && !present.includes('any')) {
    issues.push({ path, message: 'match needs "all" or "any": "none" alone would match nearly everything' });
  }
  for (const key of present) {
    const list = value[key];
    if (!Array.isArray(list) || list.length === 0 || list.length > RULE_LIMITS.listItems) {
      issues.push({ path: [...path, key], message: `"${key}" must be a list of 1 to ${RULE_LIMITS.listItems} conditions` });
      continue;
    }
    list.forEach((item, i) => checkCondition(item, [...path, key, i], depth + 1, issues));
  }
}

const match = z.unknown().superRefine((value, ctx) => {
  const issues: SpecIssue[] = [];
  checkCondition(value, [], 1, issues, true);
  for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

export const ruleSchema = z
  .strictObject({
    id: z.string().regex(RULE_ID, 'id must be 2-80 characters: lower-case letters, digits, ".", "_" or "-"'),
    title: z.string().trim().min(3).max(200),
    description: z.string().trim().min(10).max(4000),
    category: z.enum(CATEGORIES),
    severity: z.enum(SEVERITIES),
    confidence: z.number().min(0).max(1),
    techniques: z.array(z.string().regex(TECHNIQUE_ID, 'ATT&CK ids look like T1110 or T1110.001')).max(20).default([]),
    signals: z.array(z.enum(SIGNALS)).max(SIGNALS.length).default([]),
    references: z.array(z.string().max(RULE_LIMITS.stringChars)).max(20).optional(),
    match: match.transform((v) => v as GroupSpec),
  })
  .superRefine((rule, ctx) => {
    if (rule.category !== Category.BENIGN && rule.techniques.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['techniques'], message: `a ${rule.category} rule must name the ATT&CK technique(s) it evidences` });
    }
  });

export type RuleSpec = z.infer<typeof ruleSchema>;

/** The file around the rules; rules are checked one by one so that one bad rule does not sink its pack. */
export const packSchema = z.strictObject({
  pack: z.string().min(1).max(80).optional(),
  description: z.string().max(4000).optional(),
  /** A place for YAML anchors (`&name`) that rules reuse through aliases (`*name`); not read otherwise. */
  definitions: z.unknown().optional(),
  /** Ids of shipped rules to switch off (user packs only). */
  disable: z.array(z.string().min(1).max(80)).max(RULE_LIMITS.listItems).optional(),
  rules: z.array(z.unknown()).max(RULE_LIMITS.rulesPerFile).default([]),
});

export type PackSpec = z.infer<typeof packSchema>;

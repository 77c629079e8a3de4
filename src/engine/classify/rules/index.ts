/**
 * The declarative rule engine of the classify stage: YAML rule packs (shipped in data/rules, plus an
 * optional user directory) compiled into a RuleSet that matches normalized events.
 */
export { CompileContext, compileCondition, ConditionError, urlDecode, type Evaluator, type Explain } from './conditions.js';
export { EVENT_FIELDS, EventView } from './fields.js';
export type { RuleOrigin, RuleSummary } from './pack.js';
export { compareMatches, DEFAULT_RULES_DIR, loadRuleSet, type LoadRuleSetOptions, type RuleOverride, type RuleSet } from './rule-set.js';
export { RULE_LIMITS, type ConditionSpec, type GroupSpec, type LeafSpec, type RuleSpec } from './schema.js';
export type { RuleLoadError } from './source.js';

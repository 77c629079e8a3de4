/**
 * Combines rules, the text model and detections into one classification: a detection (it has seen the
 * pattern across alerts) outranks a rule; a confident rule outranks the model; the model covers what
 * no rule knows. Agreement between independent sources raises confidence.
 */
import type { AttackCatalog } from '../attack/catalog.js';
import type { NormalizedEvent } from '../types.js';
import type { Classification, TechniqueEvidence } from './classification.js';
import { CATEGORY_LABEL, Category, EvidenceSource, Severity, type DetectionHit, type ModelPrediction, type RuleMatch } from './types.js';

export interface CombineSettings {
  /** A rule below this confidence only informs; the model decides. */
  ruleMinConfidence: number;
}

export const DEFAULT_COMBINE_SETTINGS: CombineSettings = { ruleMinConfidence: 0.6 };

/** When the model decides alone: a coarse severity and technique per category. */
const MODEL_SEVERITY: Record<Category, Severity> = {
  MALWARE: 'HIGH',
  PHISHING: 'MEDIUM',
  BRUTE_FORCE: 'MEDIUM',
  BEACONING: 'MEDIUM',
  PRIVILEGE_MISUSE: 'HIGH',
  SUSPICIOUS_ACCESS: 'MEDIUM',
  BENIGN: 'LOW',
};
const MODEL_TECHNIQUES: Record<Category, string[]> = {
  MALWARE: ['T1204'],
  PHISHING: ['T1566'],
  BRUTE_FORCE: ['T1110'],
  BEACONING: ['T1071'],
  PRIVILEGE_MISUSE: ['T1078'],
  SUSPICIOUS_ACCESS: ['T1078'],
  BENIGN: [],
};
const SEVERITY_RANK: Record<Severity, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

const strongest = <T extends { confidence: number; severity: Severity }>(items: readonly T[]): T | undefined =>
  [...items].sort((a, b) => b.confidence - a.confidence || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])[0];

/** Agreement closes part of the remaining doubt (half of it, scaled by the second source's confidence), never all. */
const reinforce = (a: number, b: number) => Math.min(0.99, a + ((1 - a) * b) / 2);

export function combine(
  input: { event: NormalizedEvent; rules: RuleMatch[]; model: ModelPrediction | null; detections: DetectionHit[] },
  attack: AttackCatalog,
  settings: CombineSettings = DEFAULT_COMBINE_SETTINGS,
): Classification {
  const { rules, model, detections } = input;
  const detection = strongest(detections);
  const confidentRules = rules.filter((r) => r.confidence >= settings.ruleMinConfidence);
  // Among confident rules a threat outranks BENIGN at equal confidence: a benign pattern rarely hides a threat match.
  const rule = strongest(confidentRules.filter((r) => r.category !== Category.BENIGN)) ?? strongest(confidentRules);

  let decision: { category: Category; confidence: number; severity: Severity; decidedBy: EvidenceSource; why: string };
  if (detection) {
    decision = { category: detection.category, confidence: detection.confidence, severity: detection.severity, decidedBy: 'DETECTION', why: detection.description };
  } else if (rule) {
    decision = { category: rule.category, confidence: rule.confidence, severity: rule.severity, decidedBy: 'RULE', why: `rule ${rule.ruleId}: ${rule.title}` };
  } else if (model) {
    const features = model.topFeatures.slice(0, 3).map((f) => `"${f.feature}"`).join(', ');
    decision = { category: model.category, confidence: model.confidence, severity: MODEL_SEVERITY[model.category], decidedBy: 'MODEL', why: `text model${features ? ` (strongest features ${features})` : ''}` };
  } else {
    decision = { category: Category.BENIGN, confidence: 0.5, severity: 'LOW', decidedBy: 'MODEL', why: 'no rule, detection or model evidence' };
  }

  if (model && decision.decidedBy !== 'MODEL' && model.category === decision.category) decision.confidence = reinforce(decision.confidence, model.confidence);
  const agreeingRule = decision.decidedBy === 'DETECTION' ? strongest(rules.filter((r) => r.category === decision.category)) : undefined;
  if (agreeingRule) decision.confidence = reinforce(decision.confidence, agreeingRule.confidence);

  return {
    category: decision.category,
    label: CATEGORY_LABEL[decision.category],
    confidence: round(decision.confidence),
    severity: decision.severity,
    decidedBy: decision.decidedBy,
    summary: `${CATEGORY_LABEL[decision.category]} (${Math.round(decision.confidence * 100)}%): ${decision.why}`,
    rules,
    model,
    detections,
    techniques: techniquesOf(input, decision.decidedBy, decision.category, attack),
  };
}

function techniquesOf(
  input: { event: NormalizedEvent; rules: RuleMatch[]; detections: DetectionHit[] },
  decidedBy: EvidenceSource,
  category: Category,
  attack: AttackCatalog,
): TechniqueEvidence[] {
  const found = new Map<string, EvidenceSource>();
  const add = (ids: readonly string[], source: EvidenceSource) => ids.forEach((id) => found.has(id) || found.set(id, source));
  add(input.detections.flatMap((d) => d.techniques), 'DETECTION');
  add(input.rules.filter((r) => r.category !== Category.BENIGN).flatMap((r) => r.techniques), 'RULE');
  // Techniques the alert's own source rule named (e.g. Wazuh rule.mitre.id).
  add(input.event.mitreTechniques ?? [], 'RULE');
  if (decidedBy === 'MODEL') add(MODEL_TECHNIQUES[category], 'MODEL');
  return [...found].flatMap(([id, source]) => {
    const technique = attack.technique(id);
    if (!technique) return [];
    const name = technique.parentName ? `${technique.parentName}: ${technique.name}` : technique.name;
    return [{ id: technique.id, name, tactics: technique.tactics.map((t) => ({ id: t.id, name: t.name })), source }];
  });
}

const round = (x: number) => Math.round(x * 1000) / 1000;

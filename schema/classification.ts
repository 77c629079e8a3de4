/** Classification: categories, the evidence behind them (rules, model, detections) and ATT&CK techniques. */
import type { Classification, TechniqueEvidence } from '../src/engine/classify/classification.js';
import { CATEGORIES, EvidenceSource, SEVERITIES, type DetectionHit, type ModelPrediction, type RuleMatch } from '../src/engine/classify/types.js';
import { builder } from './builder.js';
import { AlertRef } from './refs.js';

export const CategoryEnum = builder.enumType('Category', {
  description: 'Threat category; BENIGN means no threat.',
  values: Object.fromEntries(CATEGORIES.map((c) => [c, { description: `${c.replace('_', ' ').toLowerCase()}` }])) as Record<(typeof CATEGORIES)[number], { description: string }>,
});

export const SeverityEnum = builder.enumType('Severity', {
  description: 'How bad it is if true.',
  values: Object.fromEntries(SEVERITIES.map((s) => [s, { description: `${s.toLowerCase()} severity` }])) as Record<(typeof SEVERITIES)[number], { description: string }>,
});

export const EvidenceSourceEnum = builder.enumType('EvidenceSource', {
  description: 'Where a piece of a classification came from.',
  values: {
    [EvidenceSource.RULE]: { description: 'A declarative rule (shipped or yours), or the rule of the alert’s own source.' },
    [EvidenceSource.MODEL]: { description: 'The statistical text model.' },
    [EvidenceSource.DETECTION]: { description: 'A stateful detection across alerts.' },
  } as const,
});

export const TacticRef = builder.objectRef<{ id: string; name: string }>('Tactic').implement({
  description: 'An ATT&CK tactic (the why of a technique).',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Tactic id, e.g. TA0006.' }),
    name: t.exposeString('name', { description: 'Tactic name, e.g. Credential Access.' }),
  }),
});

const TechniqueEvidenceRef = builder.objectRef<TechniqueEvidence>('TechniqueEvidence').implement({
  description: 'An ATT&CK technique the alert shows, and what said so.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Technique id, e.g. T1110.001.' }),
    name: t.exposeString('name', { description: 'Name, with its parent for a sub-technique (Brute Force: Password Guessing).' }),
    tactic: t.string({ nullable: true, description: 'Its (first) tactic name.', resolve: (x) => x.tactics[0]?.name ?? null }),
    tactics: t.field({ type: [TacticRef], description: 'All its tactics.', resolve: (x) => x.tactics }),
    source: t.field({ type: EvidenceSourceEnum, description: 'What named it.', resolve: (x) => x.source }),
  }),
});

const RuleEvidenceRef = builder.objectRef<RuleMatch>('RuleEvidence').implement({
  description: 'A rule that matched the alert.',
  fields: (t) => ({
    ruleId: t.exposeString('ruleId', { description: 'Rule id.' }),
    pack: t.exposeString('pack', { description: 'The pack (file) it came from.' }),
    title: t.exposeString('title', { description: 'Rule title.' }),
    description: t.exposeString('description', { description: 'What it means.' }),
    category: t.field({ type: CategoryEnum, description: 'Category it evidences.', resolve: (r) => r.category }),
    severity: t.field({ type: SeverityEnum, description: 'Its base severity.', resolve: (r) => r.severity }),
    confidence: t.exposeFloat('confidence', { description: 'How sure the rule is (0..1).' }),
    techniques: t.exposeStringList('techniques', { description: 'ATT&CK technique ids it names.' }),
    matched: t.exposeStringList('matched', { description: 'The conditions that held.' }),
  }),
});

const CategoryProbabilityRef = builder.objectRef<{ category: (typeof CATEGORIES)[number]; probability: number }>('CategoryProbability').implement({
  description: 'The model’s probability for one category.',
  fields: (t) => ({
    category: t.field({ type: CategoryEnum, description: 'Category.', resolve: (p) => p.category }),
    probability: t.exposeFloat('probability', { description: 'Probability (0..1).' }),
  }),
});

const ModelFeatureRef = builder.objectRef<{ feature: string; weight: number }>('ModelFeature').implement({
  description: 'A text feature that pushed the model toward its answer.',
  fields: (t) => ({
    feature: t.exposeString('feature', { description: 'The word or n-gram (values such as IPs are placeholders like <ip>).' }),
    weight: t.exposeFloat('weight', { description: 'How strongly it pushed.' }),
  }),
});

const ModelEvidenceRef = builder.objectRef<ModelPrediction>('ModelEvidence').implement({
  description: 'What the text model made of the message.',
  fields: (t) => ({
    category: t.field({ type: CategoryEnum, description: 'Its most likely category.', resolve: (m) => m.category }),
    confidence: t.exposeFloat('confidence', { description: 'Its probability.' }),
    probabilities: t.field({
      type: [CategoryProbabilityRef],
      description: 'Every category, most likely first.',
      resolve: (m) => Object.entries(m.probabilities).map(([category, probability]) => ({ category: category as never, probability })).sort((a, b) => b.probability - a.probability),
    }),
    topFeatures: t.field({ type: [ModelFeatureRef], description: 'The strongest features toward its answer.', resolve: (m) => m.topFeatures }),
  }),
});

const DetectionEvidenceRef = builder.objectRef<DetectionHit>('DetectionEvidence').implement({
  description: 'A stateful detection completed by this alert, with the earlier alerts it used.',
  fields: (t) => ({
    detector: t.exposeString('detector', { description: 'Which detection (brute-force, password-spraying, success-after-failures, beaconing, first-admin-logon).' }),
    category: t.field({ type: CategoryEnum, description: 'Category it evidences.', resolve: (d) => d.category }),
    confidence: t.exposeFloat('confidence', { description: 'How sure it is (0..1).' }),
    severity: t.field({ type: SeverityEnum, description: 'Its severity.', resolve: (d) => d.severity }),
    description: t.exposeString('description', { description: 'What it saw, in one line.' }),
    techniques: t.exposeStringList('techniques', { description: 'ATT&CK technique ids.' }),
    relatedAlertIds: t.exposeIDList('relatedAlertIds', { description: 'The alerts it used, this one included.' }),
    relatedAlerts: t.field({
      type: [AlertRef],
      description: 'Those alerts (as stored now).',
      resolve: (d, _args, ctx) => d.relatedAlertIds.flatMap((id) => ctx.services.alerts.getAlert(id) ?? []),
    }),
    facts: t.field({ type: 'JSON', description: 'Numbers behind it (count, window, interval statistics, score).', resolve: (d) => d.facts }),
  }),
});

export const ClassificationRef = builder.objectRef<Classification>('Classification').implement({
  description: 'What kind of threat the alert is, how sure Vigil is, and why.',
  fields: (t) => ({
    category: t.field({ type: CategoryEnum, description: 'The category.', resolve: (c) => c.category }),
    label: t.exposeString('label', { description: 'Human label, e.g. Brute Force (the seed’s `intent`).' }),
    confidence: t.exposeFloat('confidence', { description: 'How sure (0..1).' }),
    severity: t.field({ type: SeverityEnum, description: 'Base severity of what decided.', resolve: (c) => c.severity }),
    decidedBy: t.field({ type: EvidenceSourceEnum, description: 'Which evidence decided the category.', resolve: (c) => c.decidedBy }),
    explanation: t.exposeString('summary', { description: 'Why, in one sentence.' }),
    rules: t.field({ type: [RuleEvidenceRef], description: 'Every rule that matched.', resolve: (c) => c.rules }),
    model: t.field({ type: ModelEvidenceRef, nullable: true, description: 'The text model’s view.', resolve: (c) => c.model }),
    detections: t.field({ type: [DetectionEvidenceRef], description: 'Detections this alert completed.', resolve: (c) => c.detections }),
    techniques: t.field({ type: [TechniqueEvidenceRef], description: 'ATT&CK techniques, with their source.', resolve: (c) => c.techniques }),
  }),
});

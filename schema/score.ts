/** The explainable risk score of an alert. */
import { RiskLevel, type ScoreFactor } from '../src/engine/score/model.js';
import { builder } from './builder.js';
import { AlertRef } from './refs.js';

export const RiskLevelEnum = builder.enumType('RiskLevel', {
  description: 'Risk level, by configurable score thresholds.',
  values: {
    [RiskLevel.LOW]: { description: 'Below the MEDIUM threshold (default 20).' },
    [RiskLevel.MEDIUM]: { description: 'From the MEDIUM threshold (default 20).' },
    [RiskLevel.HIGH]: { description: 'From the HIGH threshold (default 40).' },
    [RiskLevel.CRITICAL]: { description: 'From the CRITICAL threshold (default 70).' },
  } as const,
});

const ScoreFactorRef = builder.objectRef<ScoreFactor>('ScoreFactor').implement({
  description: 'One weighted part of the score: its points are weight × value, rounded so that all points add up to the score.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'category, ruleSeverity, sourceSeverity, reputation, domainAge, assetCriticality, privilegedAccount, attackTactic or repetition.' }),
    weight: t.exposeFloat('weight', { description: 'Most points it can bring.' }),
    value: t.exposeFloat('value', { description: 'How much of the weight applies (0..1).' }),
    points: t.exposeInt('points', { description: 'Points it adds.' }),
    evidence: t.exposeString('evidence', { description: 'What it is based on.' }),
  }),
});

const RiskScoreRef = builder.objectRef<{ value: number; level: RiskLevel; factors: ScoreFactor[] }>('RiskScore').implement({
  description: 'Risk 0-100 with its level and the factors that make it up.',
  fields: (t) => ({
    value: t.exposeInt('value', { description: 'Score 0-100: the sum of the factors’ points.' }),
    level: t.field({ type: RiskLevelEnum, description: 'LOW, MEDIUM, HIGH or CRITICAL.', resolve: (r) => r.level }),
    factors: t.field({ type: [ScoreFactorRef], description: 'Every factor, with its evidence.', resolve: (r) => r.factors }),
  }),
});

builder.objectFields(AlertRef, (t) => ({
  score: t.field({
    type: RiskScoreRef,
    nullable: true,
    description: 'The explainable risk score; null until scored. Recomputed when enrichment brings new evidence.',
    resolve: (a) => (a.score === null || a.riskLevel === null ? null : { value: a.score, level: a.riskLevel as RiskLevel, factors: JSON.parse(a.scoreFactors ?? '[]') as ScoreFactor[] }),
  }),
}));

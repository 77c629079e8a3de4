/** The classify stage's result, as stored on the alert and shown to analysts. */
import type { Category, DetectionHit, EvidenceSource, ModelPrediction, RuleMatch, Severity } from './types.js';

export interface TechniqueEvidence {
  id: string;
  name: string;
  tactics: Array<{ id: string; name: string }>;
  source: EvidenceSource;
}

export interface Classification {
  category: Category;
  /** Human label, e.g. `Brute Force`. */
  label: string;
  confidence: number;
  severity: Severity;
  /** Which evidence decided the category. */
  decidedBy: EvidenceSource;
  /** One sentence saying why. */
  summary: string;
  rules: RuleMatch[];
  model: ModelPrediction | null;
  detections: DetectionHit[];
  techniques: TechniqueEvidence[];
}

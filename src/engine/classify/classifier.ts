/**
 * The classifier: rule packs (reloadable), the text model and stateful detections, combined. Split in
 * two because of batching: `assess` is pure and runs in a stage's `run`; `decide` touches detection
 * windows in SQLite, so it runs in the stage's commit, in order, where alerts of one batch see each other.
 */
import type { AttackCatalog } from '../attack/catalog.js';
import type { NormalizedEvent } from '../types.js';
import type { Classification } from './classification.js';
import { combine, DEFAULT_COMBINE_SETTINGS, type CombineSettings } from './combine.js';
import type { createDetections } from './detections/index.js';
import type { TextModel } from './model/index.js';
import { loadRuleSet, type RuleLoadError, type RuleSet } from './rules/index.js';
import { signalsOf } from './signals.js';
import type { ModelPrediction, RuleMatch } from './types.js';

/** The model sees at most this much of the message; rules see the whole event. */
const MODEL_TEXT_LIMIT = 4096;

export interface Assessment {
  rules: RuleMatch[];
  model: ModelPrediction;
}

export interface ClassifierDeps {
  attack: AttackCatalog;
  model: TextModel;
  detections: ReturnType<typeof createDetections>;
  rules: { shippedDir?: string; userDir?: string | undefined };
  settings?: CombineSettings;
}

export function createClassifier(deps: ClassifierDeps) {
  const load = () => loadRuleSet({ shippedDir: deps.rules.shippedDir, userDir: deps.rules.userDir, attack: deps.attack });
  let ruleSet: RuleSet = load();

  return {
    get ruleSet(): RuleSet {
      return ruleSet;
    },

    /** Loads the rule packs again; broken rules are skipped and reported, never fatal. */
    reloadRules(): RuleLoadError[] {
      ruleSet = load();
      return ruleSet.errors;
    },

    assess(event: NormalizedEvent): Assessment {
      return { rules: ruleSet.match(event), model: deps.model.predict(event.message.slice(0, MODEL_TEXT_LIMIT)) };
    },

    /** Feeds the detections (synchronously, inside the caller's transaction) and combines everything. */
    decide(input: { alertId: string; at: number; event: NormalizedEvent }, assessment: Assessment): Classification {
      const signals = signalsOf(input.event, assessment.rules);
      const detections = deps.detections.observe({ alertId: input.alertId, at: input.at, event: input.event, signals });
      return combine({ event: input.event, rules: assessment.rules, model: assessment.model, detections }, deps.attack, deps.settings ?? DEFAULT_COMBINE_SETTINGS);
    },
  };
}

export type Classifier = ReturnType<typeof createClassifier>;

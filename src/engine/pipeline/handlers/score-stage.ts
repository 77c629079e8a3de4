import type { Scorer } from '../../score/scorer.js';
import { describeScore } from '../../score/scorer.js';
import type { AlertStore } from '../../../store/alert-store.js';
import type { StageHandler } from '../stage-handler.js';
import { PipelineStage } from '../stages.js';

export function createScoreStage(deps: { alerts: AlertStore; scorer: Scorer }): StageHandler {
  return {
    stage: PipelineStage.SCORE,
    run({ alert }) {
      const risk = deps.scorer.score(alert);
      return {
        summary: describeScore(risk),
        detail: { score: risk.score, level: risk.level, factors: risk.factors },
        commit: () => deps.alerts.saveScore(alert.id, risk.score, risk.level, JSON.stringify(risk.factors)),
      };
    },
  };
}

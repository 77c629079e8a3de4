/**
 * Scores an alert again when new evidence arrives after its SCORE stage (a background lookup), and
 * records the change as a SCORE stage event with the factors before and after. An alert the pipeline has
 * finished with is correlated again, so one that rose above the case threshold opens or joins a case.
 */
import type { Clock } from '../../clock.js';
import type { AlertStore } from '../../store/alert-store.js';
import type { Correlator } from '../correlate/correlator.js';
import { AlertStatus, PipelineStage, StageStatus, type EmitStageEvent } from '../pipeline/stages.js';
import { describeScore, type Scorer } from './scorer.js';

export function createRescorer(deps: { alerts: AlertStore; scorer: Scorer; emit: EmitStageEvent; clock: Clock; correlator?: Correlator }) {
  return (alertId: string): void => {
    const alert = deps.alerts.getAlert(alertId);
    // Not scored yet: its SCORE stage will read the new evidence from the cache itself.
    if (!alert || alert.score === null) return;
    const before = { score: alert.score, level: alert.riskLevel, factors: JSON.parse(alert.scoreFactors ?? '[]') as unknown };
    const after = deps.scorer.score(alert);
    if (after.score === before.score && after.level === before.level) return;
    const event = deps.alerts.transaction(() => {
      deps.alerts.saveScore(alert.id, after.score, after.level, JSON.stringify(after.factors));
      // A job still running reaches CORRELATE itself, with the new score.
      if (deps.correlator && alert.status === AlertStatus.PROCESSED) deps.correlator.correlate(deps.alerts.getAlert(alert.id)!);
      return deps.alerts.appendEvent({
        alertId,
        jobId: null,
        stage: PipelineStage.SCORE,
        status: StageStatus.COMPLETED,
        durationMs: 0,
        summary: `rescored on new evidence: ${before.level} ${before.score} -> ${describeScore(after)}`,
        detail: JSON.stringify({ before, after: { score: after.score, level: after.level, factors: after.factors } }),
        createdAt: deps.clock(),
      });
    });
    deps.emit({ ...event, source: alert.source });
  };
}

import type { Classifier } from '../../classify/classifier.js';
import type { AlertStore } from '../../../store/alert-store.js';
import type { NormalizedEvent } from '../../types.js';
import type { StageHandler } from '../stage-handler.js';
import { PipelineStage } from '../stages.js';

export function createClassifyStage(deps: { alerts: AlertStore; classifier: Classifier }): StageHandler {
  return {
    stage: PipelineStage.CLASSIFY,
    run({ alert }) {
      if (alert.normalized === null) throw new Error('alert has no normalized event');
      const event = JSON.parse(alert.normalized) as NormalizedEvent;
      const assessment = deps.classifier.assess(event);
      return {
        summary: 'classified',
        commit: () => {
          const c = deps.classifier.decide({ alertId: alert.id, at: event.timestamp ?? alert.receivedAt, event }, assessment);
          deps.alerts.saveClassification(alert.id, c.category, c.confidence, JSON.stringify(c));
          return {
            summary: c.summary,
            detail: {
              category: c.category,
              confidence: c.confidence,
              severity: c.severity,
              decidedBy: c.decidedBy,
              rules: c.rules.map((r) => r.ruleId),
              detections: c.detections.map((d) => d.detector),
              techniques: c.techniques.map((t) => t.id),
            },
          };
        },
      };
    },
  };
}

import type { Correlator } from '../../correlate/correlator.js';
import type { AlertStore } from '../../../store/alert-store.js';
import type { StageHandler } from '../stage-handler.js';
import { PipelineStage } from '../stages.js';

export function createCorrelateStage(deps: { alerts: AlertStore; correlator: Correlator }): StageHandler {
  return {
    stage: PipelineStage.CORRELATE,
    run({ alert }) {
      return {
        summary: 'correlated',
        // In the commit: the alert must see cases opened by alerts earlier in the same batch.
        commit: () => {
          const result = deps.correlator.correlate(deps.alerts.getAlert(alert.id) ?? alert);
          const summary =
            result.outcome === 'UNCASED'
              ? `not cased: ${result.reason}`
              : `${result.outcome === 'OPENED' ? 'opened' : result.outcome === 'ALREADY_CASED' ? 'already in' : result.outcome === 'FOLDED' ? 'folded into' : 'joined'} case #${result.caseNumber}: ${result.reason}`;
          return { summary, detail: result };
        },
      };
    },
  };
}

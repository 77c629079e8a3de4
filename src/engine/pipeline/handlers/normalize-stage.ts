import type { AlertStore } from '../../../store/alert-store.js';
import type { AlertRecord } from '../../../store/records.js';
import { normalize } from '../../normalize/index.js';
import type { AlertPayload } from '../../types.js';
import type { StageHandler } from '../stage-handler.js';
import { PipelineStage } from '../stages.js';

export function payloadOf(alert: AlertRecord): AlertPayload {
  return alert.payloadKind === 'LOG'
    ? { kind: 'log', text: alert.payload }
    : { kind: 'json', value: JSON.parse(alert.payload) as Record<string, unknown> };
}

export function createNormalizeStage(deps: { alerts: AlertStore }): StageHandler {
  return {
    stage: PipelineStage.NORMALIZE,
    run({ alert, now }) {
      const event = normalize(payloadOf(alert), { now });
      const described = [event.program, event.host && `on ${event.host}`].filter(Boolean).join(' ');
      return {
        summary: `parsed as ${event.format}${described ? ` (${described})` : ''}`,
        detail: { format: event.format, host: event.host ?? null, program: event.program ?? null, eventTime: event.timestamp ?? null },
        commit: () =>
          deps.alerts.saveNormalized({
            id: alert.id,
            format: event.format,
            message: event.message,
            normalized: JSON.stringify(event),
            eventTime: event.timestamp ?? null,
            updatedAt: now,
          }),
      };
    },
  };
}

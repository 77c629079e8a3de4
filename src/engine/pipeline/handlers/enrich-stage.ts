import type { EnrichmentService } from '../../enrich/service.js';
import { reputationOf } from '../../enrich/reputation.js';
import { targetOf } from '../../enrich/service.js';
import type { IocStore } from '../../../store/ioc-store.js';
import type { StageHandler } from '../stage-handler.js';
import { PipelineStage } from '../stages.js';

/** The most IOCs of one alert looked up: a hostile alert cannot order thousands of lookups. */
const MAX_IOCS = 50;

export function createEnrichStage(deps: { iocs: IocStore; enrichment: EnrichmentService }): StageHandler {
  return {
    stage: PipelineStage.ENRICH,
    async run({ alert }) {
      const targets = deps.iocs.ofAlert(alert.id).slice(0, MAX_IOCS).map(targetOf);
      const answers = await Promise.all(targets.map((t) => deps.enrichment.localAndCached(t)));
      const verdicts = targets.map((t, i) => ({ type: t.type, value: t.value, ...reputationOf(answers[i]!) }));
      const flagged = verdicts.filter((v) => v.verdict === 'MALICIOUS' || v.verdict === 'SUSPICIOUS');
      const describe = (queued: number) =>
        `${targets.length} IOC${targets.length === 1 ? '' : 's'}: ${flagged.length ? flagged.map((v) => `${v.value} ${v.verdict}`).join(', ') : 'nothing known against them'}` +
        (queued ? `; ${queued} looked up in the background` : '');
      return {
        summary: describe(0),
        commit: () => {
          const queued = deps.enrichment.schedule(alert.id, alert.source, targets);
          return { summary: describe(queued), detail: { iocs: verdicts.map(({ type, value, verdict, reasons }) => ({ type, value, verdict, reasons: reasons.slice(0, 5) })), queued } };
        },
      };
    },
  };
}

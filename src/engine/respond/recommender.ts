/** Recommendations for stored alerts: gathers what `recommend` needs from the stores and the enrichment cache. */
import type { IocStore } from '../../store/ioc-store.js';
import type { AlertRecord } from '../../store/records.js';
import type { Classification } from '../classify/classification.js';
import { indicatorVerdict } from '../correlate/significance.js';
import { reputationOf } from '../enrich/reputation.js';
import type { EnrichmentResult, EnrichmentTarget } from '../enrich/types.js';
import type { NormalizedEvent } from '../types.js';
import { recommend, type Recommendation, type RecommendedAction } from './recommend.js';

/** Which recommended actions a playbook action kind carries out. */
const AUTOMATES: Record<string, RecommendedAction> = {
  BLOCK_IP: 'BLOCK_IP',
  ISOLATE_HOST: 'ISOLATE_ENDPOINT',
  DISABLE_USER: 'DISABLE_USER',
  RESET_PASSWORD: 'RESET_PASSWORD',
  ESCALATE: 'ESCALATE_TIER2',
};

export interface RecommenderDeps {
  iocs: IocStore;
  enrichment: { cached(target: Pick<EnrichmentTarget, 'type' | 'value'>): EnrichmentResult[] };
  protectedUsers: readonly string[];
  /** Playbooks that would run for this alert, with the action kinds they take (set once playbooks exist). */
  playbooksFor?: (alert: AlertRecord) => ReadonlyArray<{ name: string; actionKinds: readonly string[] }>;
}

export function createRecommender(deps: RecommenderDeps) {
  return {
    forAlert(alert: AlertRecord): Recommendation[] {
      const iocs = deps.iocs.linksOf(alert.id).map((link) => {
        const ioc = deps.iocs.get(link.iocId);
        const cached = deps.enrichment.cached({ type: link.type as never, value: link.value });
        return { type: link.type, value: link.value, role: link.role, isIndicator: ioc ? indicatorVerdict(ioc, cached).isIoc : false, verdict: reputationOf(cached).verdict };
      });
      const recommendations = recommend({
        category: alert.category,
        level: alert.riskLevel,
        score: alert.score,
        event: alert.normalized ? (JSON.parse(alert.normalized) as NormalizedEvent) : null,
        classification: alert.classification ? (JSON.parse(alert.classification) as Classification) : null,
        iocs,
        protectedUsers: deps.protectedUsers,
      });
      for (const playbook of deps.playbooksFor?.(alert) ?? []) {
        const automated = new Set(playbook.actionKinds.map((k) => AUTOMATES[k]).filter(Boolean));
        for (const r of recommendations) if (automated.has(r.action)) r.automatedBy.push(playbook.name);
      }
      return recommendations;
    },
  };
}

export type Recommender = ReturnType<typeof createRecommender>;

/**
 * Scores stored alerts from what the pipeline found: the classification, the normalized event, and the
 * IOCs' reputations as the enrichment cache holds them now. Called by the SCORE stage, and again whenever
 * a background lookup brings new evidence, so the score follows the evidence.
 */
import ipaddr from 'ipaddr.js';
import type { AlertStore } from '../../store/alert-store.js';
import type { IocStore } from '../../store/ioc-store.js';
import type { AlertRecord } from '../../store/records.js';
import type { Classification } from '../classify/classification.js';
import { reputationOf } from '../enrich/reputation.js';
import type { EnrichmentService } from '../enrich/service.js';
import type { NormalizedEvent } from '../types.js';
import { scoreAlert, type RiskScore, type ScoreSettings } from './model.js';

export function createScorer(deps: { alerts: AlertStore; iocs: IocStore; enrichment: EnrichmentService; settings: ScoreSettings }) {
  const networks = deps.settings.criticalAssets.networks.flatMap((cidr) => {
    try {
      return [cidr.includes('/') ? ipaddr.parseCIDR(cidr) : ([ipaddr.parse(cidr), ipaddr.parse(cidr).kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number])];
    } catch {
      throw new Error(`critical network ${cidr} is not an address or CIDR`);
    }
  });
  const inCriticalNetwork = (ip: string): boolean => {
    if (networks.length === 0 || !ipaddr.isValid(ip)) return false;
    const addr = ipaddr.process(ip);
    return networks.some(([range, bits]) => range.kind() === addr.kind() && addr.match([range, bits] as never));
  };

  return {
    score(alert: AlertRecord): RiskScore {
      const event = alert.normalized ? (JSON.parse(alert.normalized) as NormalizedEvent) : { format: 'UNKNOWN' as const, message: alert.payload, fields: {} };
      const classification = alert.classification ? (JSON.parse(alert.classification) as Classification) : null;
      const iocs = deps.iocs.ofAlert(alert.id).map((ioc) => ({ type: ioc.type, value: ioc.value, ...reputationOf(deps.enrichment.cached({ type: ioc.type as never, value: ioc.value })) }));
      const accounts = iocs.filter((i) => i.type === 'USERNAME').map((i) => i.value);
      return scoreAlert({ event, classification, iocs, accounts, occurrenceCount: alert.occurrenceCount, inCriticalNetwork }, deps.settings);
    },
  };
}

export type Scorer = ReturnType<typeof createScorer>;

/** "HIGH 45: category 22, privileged account 10, ATT&CK tactic 5" — the factors that count, biggest first. */
export function describeScore(risk: RiskScore): string {
  const counted = risk.factors.filter((f) => f.points > 0).sort((a, b) => b.points - a.points);
  return `${risk.level} ${risk.score}${counted.length ? `: ${counted.map((f) => `${f.name} ${f.points}`).join(', ')}` : ''}`;
}

/**
 * Which IOCs may glue alerts into one case, and how strongly. An indicator is significant when it points at
 * an adversary: public addresses, domains, URLs, hashes and emails that no warning list knows as
 * infrastructure everyone uses. Its weight falls with how widespread it is (how many distinct hosts
 * reported it: a value every machine talks to explains none of their alerts), and it stops counting at a
 * cap: so 8.8.8.8, a corporate proxy or a CDN never join unrelated cases, while an attacker's address joins
 * every alert it appears in.
 */
import type { IocRecord } from '../../store/records.js';
import type { EnrichmentResult } from '../enrich/types.js';
import { Verdict } from '../enrich/types.js';
import type { IpFlags } from '../types.js';

/** How much sharing one IOC of a type says that two alerts are one incident. Types absent here are context. */
export const TYPE_WEIGHT: Readonly<Record<string, number>> = {
  SHA512: 1,
  SHA256: 1,
  SHA1: 1,
  MD5: 1,
  URL: 1,
  DOMAIN: 0.9,
  EMAIL: 0.8,
  IPV4: 0.8,
  IPV6: 0.8,
};

export interface IndicatorVerdict {
  isIoc: boolean;
  /** Why it is context rather than an indicator. */
  why?: string;
}

/** Whether an IOC can link cases at all, from its type, address flags and what enrichment knows of it. */
export function indicatorVerdict(ioc: Pick<IocRecord, 'type' | 'attributes'>, enrichment: readonly EnrichmentResult[]): IndicatorVerdict {
  if (!(ioc.type in TYPE_WEIGHT)) return { isIoc: false, why: `${ioc.type} is context, not an indicator` };
  if (ioc.attributes) {
    const flags = JSON.parse(ioc.attributes) as IpFlags;
    if (flags.private || flags.loopback || flags.reserved) return { isIoc: false, why: `${flags.range} address` };
  }
  if (enrichment.some((r) => r.data.warningListed === true)) return { isIoc: false, why: 'on a warning list of common infrastructure' };
  if (enrichment.some((r) => r.verdict === Verdict.BENIGN) && !enrichment.some((r) => r.verdict === Verdict.MALICIOUS)) {
    return { isIoc: false, why: 'known benign' };
  }
  return { isIoc: true };
}

export type IndicatorJudge = (iocId: string) => { ioc: IocRecord; isIoc: boolean } | undefined;

/**
 * Judges IOCs by id, each once per judge: correlation and the case observables it writes ask about the
 * same IOCs, and each answer costs an IOC read and an enrichment-cache read.
 */
export function indicatorJudge(deps: {
  iocs: { get(id: string): IocRecord | undefined };
  enrichment: { cached(target: { type: never; value: string }): EnrichmentResult[] };
}): IndicatorJudge {
  const known = new Map<string, { ioc: IocRecord; isIoc: boolean } | undefined>();
  return (iocId) => {
    if (known.has(iocId)) return known.get(iocId);
    const ioc = deps.iocs.get(iocId);
    const answer = ioc && { ioc, isIoc: indicatorVerdict(ioc, deps.enrichment.cached({ type: ioc.type as never, value: ioc.value })).isIoc };
    known.set(iocId, answer);
    return answer;
  };
}

/**
 * The weight of sharing this indicator: its type's weight divided by log2(1 + n), where n is the number of
 * distinct hosts that reported it; 0 once n exceeds `maxSpread`. An IPv4 address seen from one host weighs
 * 0.8, from two 0.5, from three 0.4.
 */
export function significance(type: string, spread: number, maxSpread: number): number {
  const n = Math.max(1, spread);
  if (n > maxSpread) return 0;
  return (TYPE_WEIGHT[type] ?? 0) / Math.log2(1 + n);
}

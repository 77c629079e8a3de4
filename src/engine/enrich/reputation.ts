/**
 * One verdict for an IOC from every provider's answer. A warning list (known-good infrastructure) caps
 * what feeds alone can say: a feed listing 8.8.8.8 is more likely wrong than Google's resolver is
 * malicious, so that becomes SUSPICIOUS with both reasons, never MALICIOUS.
 */
import { EnrichmentStatus, Verdict, type EnrichmentResult } from './types.js';

export interface Reputation {
  verdict: Verdict;
  /** Reasons of the providers that shaped the verdict, each prefixed with the provider. */
  reasons: string[];
  /** Providers whose answer counted (OK or NO_DATA). */
  providers: string[];
}

const RANK: Record<Verdict, number> = { UNKNOWN: 0, BENIGN: 1, SUSPICIOUS: 2, MALICIOUS: 3 };

export function reputationOf(results: readonly EnrichmentResult[]): Reputation {
  const answered = results.filter((r) => r.status === EnrichmentStatus.OK || r.status === EnrichmentStatus.NO_DATA);
  const knownGood = answered.some((r) => r.verdict === Verdict.BENIGN && r.data.warningListed === true);
  let verdict: Verdict = Verdict.UNKNOWN;
  for (const r of answered) {
    const v = knownGood && r.verdict === Verdict.MALICIOUS ? Verdict.SUSPICIOUS : r.verdict;
    if (RANK[v] > RANK[verdict]) verdict = v;
  }
  const reasons = answered.filter((r) => r.verdict !== Verdict.UNKNOWN || r.reasons.length > 0).flatMap((r) => r.reasons.map((reason) => `${r.provider}: ${reason}`));
  return { verdict, reasons, providers: answered.map((r) => r.provider) };
}

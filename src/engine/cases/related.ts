/**
 * Related cases: other cases holding the same significant indicators, ranked by the summed significance of
 * what they share (the correlator's weighting: type weight / log2(1 + number of cases holding it), nothing
 * once more than `maxCasesPerIoc` cases hold it). Unlike correlation, closed cases count too: a past case
 * about the same attacker is exactly what an analyst wants to see.
 */
import type { CaseGraphQueries, SharedIocRow } from '../../store/case-graph-queries.js';
import type { CaseRecord, IocRecord } from '../../store/records.js';
import { significance, TYPE_WEIGHT } from '../correlate/significance.js';

export interface RelatedSettings {
  /** An indicator held by more cases (of any status) than this links none of them. */
  maxCasesPerIoc: number;
  /** At most this many related cases are considered for one case. */
  maxRelated: number;
}

export const DEFAULT_RELATED: RelatedSettings = { maxCasesPerIoc: 50, maxRelated: 2000 };

/**
 * The weight an analyst-marked indicator of a context type (a hostname set as IOC by hand) carries: the
 * analyst said it links cases, so it must not weigh 0, but it is not stronger than an address.
 */
const HAND_MARKED_WEIGHT = 0.5;

/** The significance of sharing one indicator held by `holders` cases. */
export function sharedWeight(type: string, holders: number, cap: number): number {
  if (type in TYPE_WEIGHT) return significance(type, holders, cap);
  return holders > cap ? 0 : HAND_MARKED_WEIGHT / Math.log2(1 + Math.max(1, holders));
}

export interface RelatedLink {
  caseId: string;
  /** Summed significance of the shared indicators. */
  score: number;
  /** The shared indicators, most significant first. */
  shared: IocRecord[];
}

const iocOf = (row: SharedIocRow): IocRecord => ({
  id: row.id,
  type: row.type,
  value: row.value,
  attributes: row.attributes,
  firstSeenAt: row.firstSeenAt,
  lastSeenAt: row.lastSeenAt,
  sightings: row.sightings,
});

/** Groups the walk's rows by (from, to) pair into scored links, best first (ties: more shared, then id). */
export function linksFrom(rows: readonly SharedIocRow[], cap: number): Map<string, RelatedLink & { fromCase: string }> {
  const links = new Map<string, RelatedLink & { fromCase: string; weights: number[] }>();
  for (const row of rows) {
    const weight = sharedWeight(row.type, row.holders, cap);
    if (weight <= 0) continue;
    const key = `${row.fromCase} ${row.toCase}`;
    const link = links.get(key) ?? { fromCase: row.fromCase, caseId: row.toCase, score: 0, shared: [], weights: [] };
    link.score += weight;
    link.shared.push(iocOf(row));
    link.weights.push(weight);
    links.set(key, link);
  }
  for (const link of links.values()) {
    const order = link.shared.map((ioc, i) => ({ ioc, w: link.weights[i]! })).sort((a, b) => b.w - a.w || a.ioc.value.localeCompare(b.ioc.value));
    link.shared = order.map((o) => o.ioc);
  }
  return links;
}

export const byRank = (a: RelatedLink, b: RelatedLink): number => b.score - a.score || b.shared.length - a.shared.length || a.caseId.localeCompare(b.caseId);

export function createRelatedCases(deps: { queries: CaseGraphQueries; settings?: RelatedSettings }) {
  const settings = deps.settings ?? DEFAULT_RELATED;
  return {
    /** The `first` cases most related to `caseId`, each with its score and the shared indicators: two statements. */
    of(caseId: string, first: number): Array<{ case: CaseRecord; score: number; shared: IocRecord[] }> {
      const rows = deps.queries.walk(caseId, { hops: 1, cap: settings.maxCasesPerIoc, maxReach: settings.maxRelated + 1 });
      const ranked = [...linksFrom(rows, settings.maxCasesPerIoc).values()].filter((l) => l.fromCase === caseId).sort(byRank).slice(0, Math.max(0, first));
      const cases = new Map(deps.queries.casesByIds(ranked.map((l) => l.caseId)).map((c) => [c.id, c]));
      return ranked.flatMap((l) => {
        const found = cases.get(l.caseId);
        return found ? [{ case: found, score: l.score, shared: l.shared }] : [];
      });
    },
  };
}

export type RelatedCases = ReturnType<typeof createRelatedCases>;

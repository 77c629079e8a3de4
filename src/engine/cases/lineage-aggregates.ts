/**
 * What a merge does to the derived fields of its cases without scanning their alerts: the target adds up its
 * sources' aggregates (they were kept in step with their alerts), and the emptied sources get the values of
 * a case without alerts. A full recomputation of a 100,000-alert storm case reads every alert and its
 * techniques (about a second); these read a few rows.
 */
import type { CaseRecord } from '../../store/records.js';
import type { LineageDeps } from './lineage-detail.js';
import { levelRank, RISK_LEVELS } from '../score/model.js';

const rank = (severity: string) => Math.max(0, levelRank(severity));
const defined = (values: Array<number | null>) => values.filter((v): v is number => v !== null);

/**
 * The highest risk level among each source's alerts. A hand-set severity says nothing about them, so those
 * sources are aggregated in SQL; read before the merge moves their alerts.
 */
export function derivedLevels(deps: LineageDeps, target: CaseRecord, sources: readonly CaseRecord[]): Map<string, number> {
  if (target.severitySetBy) return new Map();
  return new Map(sources.map((s) => [s.id, s.severitySetBy ? (deps.cases.aggregatesOf(s.id).levelRank ?? 0) : rank(s.severity)]));
}

/**
 * The target's derived fields once it holds its sources' alerts (`moved` of them), as a patch for the
 * case writer, with the sources' observables added to it. Called before the sources are emptied.
 */
export function absorb(deps: LineageDeps, target: CaseRecord, sources: readonly CaseRecord[], levels: ReadonlyMap<string, number>, moved: number, now: number): Partial<CaseRecord> {
  const all = [target, ...sources];
  const sourceIds = sources.map((s) => s.id);
  deps.cases.copyObservables(target.id, sourceIds, now);
  // The analyst's override belongs to the case it was made on: the target judges those IOCs afresh, as a recomputation would.
  deps.writer.addObservables(target.id, deps.cases.overriddenObservablesOf(sourceIds), now);
  const firsts = defined(all.map((c) => c.firstAlertAt));
  const lasts = defined(all.map((c) => c.lastAlertAt));
  const techniques = [...new Set(all.flatMap((c) => JSON.parse(c.techniques) as string[]))].sort();
  return {
    alertCount: target.alertCount + moved,
    severity: target.severitySetBy ? target.severity : RISK_LEVELS[Math.max(rank(target.severity), ...sources.map((s) => levels.get(s.id) ?? 0))]!,
    score: Math.max(...all.map((c) => c.score)),
    techniques: JSON.stringify(techniques),
    firstAlertAt: firsts.length ? Math.min(...firsts) : null,
    lastAlertAt: lasts.length ? Math.max(...lasts) : null,
  };
}

/** A case whose alerts all left: what recomputing it would give, without reading anything. */
export function emptied(deps: LineageDeps, c: CaseRecord): Partial<CaseRecord> {
  deps.cases.dropObservables(c.id);
  return { alertCount: 0, foldedCount: 0, score: 0, severity: c.severitySetBy ? c.severity : 'LOW', techniques: '[]', firstAlertAt: null, lastAlertAt: null };
}

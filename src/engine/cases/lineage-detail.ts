/**
 * What a merge, split or move stores about itself, and the helpers the forward operations and `undo` share.
 * The JSON `detail` of its case_operations row stays small whatever the alert count: the state of each
 * changed case before (and what undo checks after). Where each moved alert came from is in
 * case_operation_alerts, and which cases it touched in case_operation_cases.
 */
import { ConflictError } from '../../errors.js';
import type { CaseStore } from '../../store/case-store.js';
import type { CaseRecord } from '../../store/records.js';
import type { CaseWriter } from './case-writer.js';
import type { CaseJournal } from './journal.js';
import { CaseEventKind } from './model.js';

/** What recomputation from alerts cannot restore: undo puts these back. */
export interface PriorState {
  status: string;
  resolution: string | null;
  mergedInto: string | null;
  version: number;
  foldedCount: number;
  tags: string[];
  tlp: string;
  pap: string;
}

export interface OperationDetail {
  /** Each changed case as it was before (the created case has none). */
  before: Record<string, PriorState>;
  /** Each changed case as the operation left it: undo refuses when `mergedInto` has changed since, and restores TLP/PAP only if unchanged. */
  after: Record<string, Pick<PriorState, 'mergedInto' | 'tlp' | 'pap'>>;
  /** Merge: tags the target gained from its sources, removed again by undo. */
  addedTags: string[];
}

export interface LineageDeps {
  cases: CaseStore;
  writer: CaseWriter;
  journal: CaseJournal;
}

export const snapshot = (c: CaseRecord): PriorState => ({
  status: c.status,
  resolution: c.resolution,
  mergedInto: c.mergedInto,
  version: c.version,
  foldedCount: c.foldedCount,
  tags: JSON.parse(c.tags) as string[],
  tlp: c.tlp,
  pap: c.pap,
});

export const afterState = (c: CaseRecord) => ({ mergedInto: c.mergedInto, tlp: c.tlp, pap: c.pap });

/** The case's number for messages (`#12`), or its id when it is gone. */
export function label(cases: CaseStore, caseId: string | null): string {
  if (!caseId) return 'no case';
  const found = cases.get(caseId);
  return found ? `#${found.number}` : caseId;
}

/** The same wording as the writer's stale-version conflict, checked before anything is written. */
export function assertVersion(c: CaseRecord, expected: number | undefined): void {
  if (expected !== undefined && expected !== c.version) {
    throw new ConflictError(`case #${c.number} was changed by someone else: you sent version ${expected}, it is now at version ${c.version}; reload it and apply your change again`, c.version);
  }
}

/**
 * Folded alerts are those linked by STORM: when they leave a case it folds that many fewer, and when undo
 * brings them back it folds them again. `counts` is what the store's `movedCounts` gives per source case.
 */
export function storms(counts: ReadonlyMap<string, { storms: number }>, caseId: string): number {
  return counts.get(caseId)?.storms ?? 0;
}

/** Recomputes a case from its alerts, then applies what recomputation cannot know (status, folds, tags). */
export function rewrite(deps: LineageDeps, caseId: string, patch: (c: CaseRecord) => Partial<CaseRecord>): CaseRecord {
  const recomputed = deps.writer.recompute(caseId);
  const changes = patch(recomputed);
  const differs = Object.entries(changes).some(([k, v]) => recomputed[k as keyof CaseRecord] !== v);
  return differs ? deps.writer.change(caseId, undefined, () => changes).after : recomputed;
}

/**
 * Status changes keep the shared audit contract (`case.status` with status and resolution before and
 * after): MTTR and the timeline read them, whoever made the change.
 */
export function recordStatus(deps: LineageDeps, actor: string, before: Pick<CaseRecord, 'status' | 'resolution'>, after: CaseRecord, why: string): void {
  if (before.status === after.status && before.resolution === after.resolution) return;
  deps.journal.record({
    caseId: after.id,
    kind: CaseEventKind.STATUS_CHANGED,
    actor,
    summary: `case #${after.number} ${before.status} -> ${after.status}${after.resolution ? ` as ${after.resolution}` : ''}: ${why}`,
    detail: { from: before.status, to: after.status, resolution: after.resolution, reason: why },
    // `via` marks a status the operation implied (a merged source closed as DUPLICATE, restored on undo):
    // metrics leave these out, since nobody triaged or resolved anything.
    audit: { action: 'case.status', before: { status: before.status, resolution: before.resolution }, after: { status: after.status, resolution: after.resolution, via: 'lineage' } },
  });
}

/** The fields the lineage audit entries show before and after. */
export const auditState = (c: CaseRecord) => ({
  status: c.status,
  resolution: c.resolution,
  mergedInto: c.mergedInto,
  alertCount: c.alertCount,
  foldedCount: c.foldedCount,
  tags: JSON.parse(c.tags) as string[],
  version: c.version,
});

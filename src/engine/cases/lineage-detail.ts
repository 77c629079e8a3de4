/**
 * What a merge, split or move stores about itself (the JSON `detail` of its case_operations row), and the
 * helpers the forward operations and `undo` share. The detail holds exactly what undoing needs: where each
 * moved alert came from and how it was linked there, and the state of every changed case before and after.
 */
import { ConflictError } from '../../errors.js';
import type { CaseStore } from '../../store/case-store.js';
import type { CaseRecord } from '../../store/records.js';
import type { CaseWriter } from './case-writer.js';
import type { CaseJournal } from './journal.js';
import { CaseEventKind } from './model.js';

export interface MovedAlert {
  alertId: string;
  fromCaseId: string;
  toCaseId: string;
  /** The link it had in `fromCaseId`, restored by undo. */
  linkedBy: string;
  reason: string;
  addedBy: string;
  addedAt: number;
}

export interface CaseSnapshot {
  number: number;
  status: string;
  resolution: string | null;
  mergedInto: string | null;
  version: number;
  alertCount: number;
  foldedCount: number;
  tags: string[];
  tlp: string;
  pap: string;
}

export interface OperationDetail {
  /** Every case the operation changed or created, target first: what `Case.operations` matches on. */
  caseIds: string[];
  /** Merge: the merged cases; split and move: the case the alerts left. */
  sourceCaseIds: string[];
  /** Split: the case it opened. */
  createdCaseId: string | null;
  movedAlerts: MovedAlert[];
  /** Each changed case as it was before (the created case has none). */
  before: Record<string, CaseSnapshot>;
  /** Each changed case as the operation left it: undo refuses when `mergedInto` has changed since. */
  after: Record<string, CaseSnapshot>;
  /** Merge: tags the target gained from its sources, removed again by undo. */
  addedTags: string[];
}

export interface LineageDeps {
  cases: CaseStore;
  writer: CaseWriter;
  journal: CaseJournal;
}

export const snapshot = (c: CaseRecord): CaseSnapshot => ({
  number: c.number,
  status: c.status,
  resolution: c.resolution,
  mergedInto: c.mergedInto,
  version: c.version,
  alertCount: c.alertCount,
  foldedCount: c.foldedCount,
  tags: JSON.parse(c.tags) as string[],
  tlp: c.tlp,
  pap: c.pap,
});

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
 * brings them back it folds them again.
 */
export function storms(moved: readonly MovedAlert[], caseId: string): number {
  return moved.filter((m) => m.fromCaseId === caseId && m.linkedBy === 'STORM').length;
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

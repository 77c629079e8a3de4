/**
 * Undoing a merge, split or move from what its case_operations row recorded: alerts go back to the cases
 * they came from with the links they had, merged cases get their status back, and a split's new case is
 * closed as a duplicate once empty. Refused when the state has drifted since (an alert moved on, a case
 * merged elsewhere): undoing then would silently revert someone else's later change.
 */
import type { Clock } from '../../clock.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { CaseOperationStore } from '../../store/case-operation-store.js';
import type { CaseOperationRecord, CaseRecord } from '../../store/records.js';
import { auditState, label, recordStatus, rewrite, storms, type LineageDeps, type OperationDetail } from './lineage-detail.js';
import { CaseEventKind, CaseStatus, Resolution } from './model.js';

const VERB: Record<string, string> = { MERGE: 'merge', SPLIT: 'split', MOVE: 'move' };
/** The cases an operation involved, in order (target or created case first), with their role. */
type Involved = Map<string, string>;
/** Moved alerts per case they came from: how many, and how many were folded storm alerts. */
type Counts = ReadonlyMap<string, { moved: number; storms: number }>;

export function createUndo(deps: LineageDeps & { operations: CaseOperationStore; clock: Clock }) {
  const { cases, journal, operations, clock } = deps;

  /** Every moved alert went to the operation's target: one query finds one that has left it since. */
  function refuseDrift(op: CaseOperationRecord, verb: string, detail: OperationDetail, caseIds: readonly string[]): void {
    const operationId = op.id;
    const drifted = operations.drifted(op.id, op.targetCaseId);
    if (drifted) {
      const where = drifted.caseId ? `moved to case ${label(cases, drifted.caseId)}` : 'left its case';
      throw new ConflictError(`cannot undo ${verb} ${operationId}: alert ${drifted.alertId} has since ${where} (this ${verb} put it in ${label(cases, op.targetCaseId)}); undo that change first`);
    }
    for (const id of caseIds) {
      const c = cases.get(id);
      if (!c) throw new ConflictError(`cannot undo ${verb} ${operationId}: case ${id} no longer exists`);
      const expected = detail.after[id]?.mergedInto ?? null;
      if (c.mergedInto === expected) continue;
      throw new ConflictError(
        c.mergedInto
          ? `cannot undo ${verb} ${operationId}: case #${c.number} has since been merged into ${label(cases, c.mergedInto)} by a later operation; undo that merge first`
          : `cannot undo ${verb} ${operationId}: case #${c.number} is no longer merged into ${label(cases, expected)}; it was changed since`,
      );
    }
  }

  /** What recomputation cannot restore for one case: status and merge pointer, folds, tags, TLP/PAP. */
  function restorePatch(op: { targetCaseId: string }, detail: OperationDetail, roles: Involved, counts: Counts, id: string) {
    const before = detail.before[id];
    const after = detail.after[id]!;
    return (c: CaseRecord): Partial<CaseRecord> => {
      const patch: Partial<CaseRecord> = { foldedCount: Math.max(0, Math.min(c.foldedCount + storms(counts, id), c.alertCount)) };
      if (roles.get(id) === 'CREATED') {
        // Emptied by the undo: closed as a duplicate of where its alerts went, not deleted, so links to it still resolve.
        const source = [...roles].find(([, role]) => role === 'SOURCE')?.[0] ?? null;
        if (c.alertCount === 0) Object.assign(patch, { status: CaseStatus.CLOSED, resolution: Resolution.DUPLICATE, mergedInto: source });
        return patch;
      }
      if (!before) return patch;
      if (before.mergedInto !== after.mergedInto) Object.assign(patch, { status: before.status, resolution: before.resolution, mergedInto: before.mergedInto });
      if (id === op.targetCaseId && detail.addedTags.length) {
        patch.tags = JSON.stringify((JSON.parse(c.tags) as string[]).filter((t) => !detail.addedTags.includes(t)));
      }
      // Only when nobody set them since the operation raised them.
      if (before.tlp !== after.tlp && c.tlp === after.tlp) patch.tlp = before.tlp;
      if (before.pap !== after.pap && c.pap === after.pap) patch.pap = before.pap;
      return patch;
    };
  }

  return function undo(operationId: string, actor: string) {
    return cases.transaction(() => {
      const op = operations.get(operationId);
      if (!op) throw new NotFoundError('case operation', operationId);
      const verb = VERB[op.kind] ?? op.kind.toLowerCase();
      if (op.undoneAt !== null) throw new ConflictError(`${verb} ${op.id} was already undone by ${op.undoneBy} at ${new Date(op.undoneAt).toISOString()}`);
      const detail = JSON.parse(op.detail) as OperationDetail;
      const roles: Involved = new Map(operations.casesOf(op.id).map((c) => [c.caseId, c.role]));
      // Recorded before case_operation_cases existed: what it moved is not known in this form, so undoing would restore nothing.
      if (roles.size === 0) throw new ConflictError(`cannot undo ${verb} ${op.id}: it was recorded by an older version of Vigil that kept no undo information in this form`);
      refuseDrift(op, verb, detail, [...roles.keys()]);

      const now = clock();
      const counts = operations.movedCounts(op.id);
      operations.restore(op.id);
      const restored = [...roles.keys()].map((id) => {
        const current = cases.get(id)!;
        const after = rewrite(deps, id, restorePatch(op, detail, roles, counts, id));
        const back = counts.get(id)?.moved ?? 0;
        const away = id === op.targetCaseId ? op.movedAlertCount : 0;
        const moves = [back ? `${back} alert${back > 1 ? 's' : ''} came back` : '', away ? `${away} alert${away > 1 ? 's' : ''} went back` : ''].filter(Boolean).join(', ');
        journal.record({
          caseId: id,
          kind: CaseEventKind.UNDONE,
          actor,
          summary: `${verb} ${op.id} undone on case #${after.number}: ${moves || 'no alerts moved'}`,
          detail: { operationId: op.id, kind: op.kind, alertsBack: back, alertsAway: away },
          audit: { action: 'case.undo', before: auditState(current), after: { ...auditState(after), operationId: op.id, kind: op.kind } },
        });
        recordStatus(deps, actor, current, after, `${verb} ${op.id} undone`);
        return after;
      });
      if (!operations.markUndone(op.id, now, actor)) throw new ConflictError(`${verb} ${op.id} was already undone`);
      return { operation: operations.get(op.id)!, cases: restored };
    });
  };
}

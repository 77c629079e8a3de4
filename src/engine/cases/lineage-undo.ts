/**
 * Undoing a merge, split or move from what its case_operations row recorded: alerts go back to the cases
 * they came from with the links they had, merged cases get their status back, and a split's new case is
 * closed as a duplicate once empty. Refused when the state has drifted since (an alert moved on, a case
 * merged elsewhere): undoing then would silently revert someone else's later change.
 */
import type { Clock } from '../../clock.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { CaseOperationStore } from '../../store/case-operation-store.js';
import type { CaseRecord } from '../../store/records.js';
import { auditState, label, recordStatus, rewrite, storms, type LineageDeps, type OperationDetail } from './lineage-detail.js';
import { CaseEventKind, CaseStatus, Resolution } from './model.js';

const VERB: Record<string, string> = { MERGE: 'merge', SPLIT: 'split', MOVE: 'move' };

export function createUndo(deps: LineageDeps & { operations: CaseOperationStore; clock: Clock }) {
  const { cases, journal, operations, clock } = deps;

  function refuseDrift(operationId: string, verb: string, detail: OperationDetail): void {
    for (const m of detail.movedAlerts) {
      const link = cases.linkOf(m.alertId);
      if (link?.caseId === m.toCaseId) continue;
      const where = link ? `moved to case ${label(cases, link.caseId)}` : 'left its case';
      throw new ConflictError(`cannot undo ${verb} ${operationId}: alert ${m.alertId} has since ${where} (this ${verb} put it in ${label(cases, m.toCaseId)}); undo that change first`);
    }
    for (const id of detail.caseIds) {
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
  function restorePatch(op: { targetCaseId: string }, detail: OperationDetail, id: string) {
    const before = detail.before[id];
    const after = detail.after[id]!;
    return (c: CaseRecord): Partial<CaseRecord> => {
      const patch: Partial<CaseRecord> = { foldedCount: Math.max(0, Math.min(c.foldedCount + storms(detail.movedAlerts, id), c.alertCount)) };
      if (id === detail.createdCaseId) {
        // Emptied by the undo: closed as a duplicate of where its alerts went, not deleted, so links to it still resolve.
        if (c.alertCount === 0) Object.assign(patch, { status: CaseStatus.CLOSED, resolution: Resolution.DUPLICATE, mergedInto: detail.sourceCaseIds[0] });
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
      refuseDrift(op.id, verb, detail);

      const now = clock();
      for (const m of detail.movedAlerts) {
        cases.link({ alertId: m.alertId, caseId: m.fromCaseId, linkedBy: m.linkedBy, reason: m.reason, addedBy: m.addedBy, addedAt: m.addedAt });
      }
      const restored = detail.caseIds.map((id) => {
        const current = cases.get(id)!;
        const after = rewrite(deps, id, restorePatch(op, detail, id));
        const back = detail.movedAlerts.filter((m) => m.fromCaseId === id).length;
        const away = detail.movedAlerts.filter((m) => m.toCaseId === id).length;
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

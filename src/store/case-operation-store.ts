/**
 * Merges, splits and moves (case_operations, case_operation_alerts, case_operation_cases) through prepared
 * statements. Alerts move set-based, a constant number of statements whatever their count: a folded storm
 * case can hold 100,000 alerts. Methods do not open transactions; the lineage service groups them with the
 * case writes they describe.
 */
import type Database from 'better-sqlite3';
import * as schema from '../../db/schema.js';
import { CASE_COLUMNS, selectList, type CaseAlertRecord, type CaseOperationRecord, type CaseRecord } from './records.js';

const OPERATION_COLUMNS = selectList(schema.caseOperations);
const OPERATION_COLUMNS_O = selectList(schema.caseOperations, { alias: 'o' });
const MOVED_COLUMNS = 'alert_id AS alertId, from_case_id AS fromCaseId, linked_by AS linkedBy, reason, added_by AS addedBy, added_at AS addedAt';

export type CaseOperationRole = 'SOURCE' | 'TARGET' | 'CREATED';
/** An alert the operation moved, with the case and link it had before. */
export type MovedAlertRecord = Omit<CaseAlertRecord, 'caseId'> & { fromCaseId: string };
/** The new link of moved alerts. */
export interface NewLink {
  caseId: string;
  linkedBy: string;
  reason: string;
  addedBy: string;
  addedAt: number;
}

export function createCaseOperationStore(sqlite: Database.Database) {
  const s = {
    insert: sqlite.prepare<[CaseOperationRecord]>(
      `INSERT INTO case_operations (id, kind, actor, target_case_id, detail, moved_alert_count, created_at, undone_at, undone_by)
       VALUES (@id, @kind, @actor, @targetCaseId, @detail, @movedAlertCount, @createdAt, @undoneAt, @undoneBy)`,
    ),
    finish: sqlite.prepare<[string, number, string]>('UPDATE case_operations SET detail = ?, moved_alert_count = ? WHERE id = ?'),
    byId: sqlite.prepare<[string], CaseOperationRecord>(`SELECT ${OPERATION_COLUMNS} FROM case_operations WHERE id = ?`),
    byCase: sqlite.prepare<[string, number], CaseOperationRecord>(
      `SELECT ${OPERATION_COLUMNS_O} FROM case_operation_cases oc JOIN case_operations o ON o.id = oc.operation_id
       WHERE oc.case_id = ? ORDER BY o.created_at DESC, o.id DESC LIMIT ?`,
    ),
    addCases: sqlite.prepare<[string, string]>(
      `INSERT INTO case_operation_cases (operation_id, case_id, role) SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?) ORDER BY key`,
    ),
    // rowid order is insertion order: the target (or created case) first, then the sources as given.
    casesOf: sqlite.prepare<[string], { caseId: string; role: CaseOperationRole }>('SELECT case_id AS caseId, role FROM case_operation_cases WHERE operation_id = ? ORDER BY rowid'),
    recordCase: sqlite.prepare<[string, string]>(
      `INSERT INTO case_operation_alerts (operation_id, alert_id, from_case_id, linked_by, reason, added_by, added_at)
       SELECT ?, alert_id, case_id, linked_by, reason, added_by, added_at FROM case_alerts WHERE case_id = ?`,
    ),
    recordAlerts: sqlite.prepare<[string, string]>(
      `INSERT INTO case_operation_alerts (operation_id, alert_id, from_case_id, linked_by, reason, added_by, added_at)
       SELECT ?, alert_id, case_id, linked_by, reason, added_by, added_at FROM case_alerts WHERE alert_id IN (SELECT value FROM json_each(?))`,
    ),
    recordOne: sqlite.prepare<[string, string, string, string, string, string, number]>(
      'INSERT INTO case_operation_alerts (operation_id, alert_id, from_case_id, linked_by, reason, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    relinkCase: sqlite.prepare<[string, string, string, string, number, string]>(
      'UPDATE case_alerts SET case_id = ?, linked_by = ?, reason = ?, added_by = ?, added_at = ? WHERE case_id = ?',
    ),
    relinkAlerts: sqlite.prepare<[string, string, string, string, number, string]>(
      'UPDATE case_alerts SET case_id = ?, linked_by = ?, reason = ?, added_by = ?, added_at = ? WHERE alert_id IN (SELECT value FROM json_each(?))',
    ),
    // Per case the alerts came from: how many, and how many were folded storm alerts (for foldedCount).
    movedCounts: sqlite.prepare<[string], { fromCaseId: string; moved: number; storms: number }>(
      `SELECT from_case_id AS fromCaseId, count(*) AS moved, sum(linked_by = 'STORM') AS storms FROM case_operation_alerts WHERE operation_id = ? GROUP BY from_case_id`,
    ),
    movedPage: sqlite.prepare<[string, string, number], MovedAlertRecord>(`SELECT ${MOVED_COLUMNS} FROM case_operation_alerts WHERE operation_id = ? AND alert_id > ? ORDER BY alert_id LIMIT ?`),
    // The first moved alert no longer in the operation's target (null case: it left every case).
    drifted: sqlite.prepare<[string, string], { alertId: string; caseId: string | null }>(
      `SELECT coa.alert_id AS alertId, ca.case_id AS caseId FROM case_operation_alerts coa LEFT JOIN case_alerts ca ON ca.alert_id = coa.alert_id
       WHERE coa.operation_id = ? AND ca.case_id IS NOT ? LIMIT 1`,
    ),
    restore: sqlite.prepare<[string]>(
      `UPDATE case_alerts SET case_id = coa.from_case_id, linked_by = coa.linked_by, reason = coa.reason, added_by = coa.added_by, added_at = coa.added_at
       FROM case_operation_alerts coa WHERE coa.operation_id = ? AND case_alerts.alert_id = coa.alert_id`,
    ),
    firstNotIn: sqlite.prepare<[string, string], { alertId: string }>(
      `SELECT j.value AS alertId FROM json_each(?) j LEFT JOIN case_alerts ca ON ca.alert_id = j.value WHERE ca.case_id IS NOT ? ORDER BY j.key LIMIT 1`,
    ),
    markUndone: sqlite.prepare<[number, string, string]>('UPDATE case_operations SET undone_at = ?, undone_by = ? WHERE id = ? AND undone_at IS NULL'),
    mergedInto: sqlite.prepare<[string, number], CaseRecord>(`SELECT ${CASE_COLUMNS} FROM cases WHERE merged_into = ? ORDER BY number LIMIT ?`),
  };

  return {
    insert: (row: CaseOperationRecord) => void s.insert.run(row),
    /** Writes what the operation learned while running: its detail and how many alerts it moved. */
    finish: (id: string, detail: string, movedAlertCount: number) => void s.finish.run(detail, movedAlertCount, id),
    get: (id: string) => s.byId.get(id),
    /** Operations that touched the case (as target, source or created case), newest first. */
    listByCase: (caseId: string, limit: number) => s.byCase.all(caseId, limit),
    /** Records the cases involved, in order (target or created case first). */
    addCases: (operationId: string, cases: ReadonlyArray<[caseId: string, role: CaseOperationRole]>) => void s.addCases.run(operationId, JSON.stringify(cases)),
    casesOf: (operationId: string) => s.casesOf.all(operationId),
    /** Remembers every alert of the case with its link (before a merge moves them all); returns how many. */
    recordCase: (operationId: string, caseId: string): number => s.recordCase.run(operationId, caseId).changes,
    /** Remembers these alerts with their links (before a split or move); returns how many. */
    recordAlerts: (operationId: string, alertIds: readonly string[]): number => s.recordAlerts.run(operationId, JSON.stringify(alertIds)).changes,
    recordOne: (operationId: string, m: MovedAlertRecord) => void s.recordOne.run(operationId, m.alertId, m.fromCaseId, m.linkedBy, m.reason, m.addedBy, m.addedAt),
    /** Moves every alert of `fromCaseId` to the new link. */
    relinkCase: (fromCaseId: string, to: NewLink) => s.relinkCase.run(to.caseId, to.linkedBy, to.reason, to.addedBy, to.addedAt, fromCaseId).changes,
    relinkAlerts: (alertIds: readonly string[], to: NewLink) => s.relinkAlerts.run(to.caseId, to.linkedBy, to.reason, to.addedBy, to.addedAt, JSON.stringify(alertIds)).changes,
    movedCounts: (operationId: string) => new Map(s.movedCounts.all(operationId).map((r) => [r.fromCaseId, { moved: r.moved, storms: r.storms }])),
    /** Moved alerts by alert id, after `afterAlertId` (keyset). */
    movedAlerts: (operationId: string, afterAlertId: string | null, limit: number) => s.movedPage.all(operationId, afterAlertId ?? '', limit),
    /** A moved alert that is no longer in `targetCaseId`, if any: undo would revert a later change. */
    drifted: (operationId: string, targetCaseId: string) => s.drifted.get(operationId, targetCaseId),
    /** Puts every moved alert back into the case and link it had. */
    restore: (operationId: string) => s.restore.run(operationId).changes,
    /** The first of these alerts (in the given order) that is not in the case. */
    firstNotIn: (alertIds: readonly string[], caseId: string) => s.firstNotIn.get(JSON.stringify(alertIds), caseId)?.alertId,
    /** False when it was already undone (so two concurrent undos cannot both succeed). */
    markUndone: (id: string, at: number, by: string): boolean => s.markUndone.run(at, by, id).changes === 1,
    /** Cases merged into this one, by number. */
    mergedInto: (caseId: string, limit: number) => s.mergedInto.all(caseId, limit),
  };
}

export type CaseOperationStore = ReturnType<typeof createCaseOperationStore>;

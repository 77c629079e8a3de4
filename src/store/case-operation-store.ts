/**
 * Merges, splits and moves (case_operations) through prepared statements. Methods do not open transactions;
 * the lineage service groups them with the case writes they describe.
 */
import type Database from 'better-sqlite3';
import * as schema from '../../db/schema.js';
import { CASE_COLUMNS, selectList, type CaseOperationRecord, type CaseRecord } from './records.js';

const OPERATION_COLUMNS = selectList(schema.caseOperations);

export function createCaseOperationStore(sqlite: Database.Database) {
  const s = {
    insert: sqlite.prepare<[CaseOperationRecord]>(
      `INSERT INTO case_operations (id, kind, actor, target_case_id, detail, created_at, undone_at, undone_by)
       VALUES (@id, @kind, @actor, @targetCaseId, @detail, @createdAt, @undoneAt, @undoneBy)`,
    ),
    byId: sqlite.prepare<[string], CaseOperationRecord>(`SELECT ${OPERATION_COLUMNS} FROM case_operations WHERE id = ?`),
    // Operations are rare human actions, so the json_each branch (cases the operation took alerts from or
    // created) scanning the table is cheap; the target branch uses its index.
    byCase: sqlite.prepare<[string, string, number], CaseOperationRecord>(
      `SELECT ${OPERATION_COLUMNS} FROM case_operations
       WHERE target_case_id = ? OR EXISTS (SELECT 1 FROM json_each(detail, '$.caseIds') WHERE value = ?)
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    ),
    markUndone: sqlite.prepare<[number, string, string]>('UPDATE case_operations SET undone_at = ?, undone_by = ? WHERE id = ? AND undone_at IS NULL'),
    mergedInto: sqlite.prepare<[string, number], CaseRecord>(`SELECT ${CASE_COLUMNS} FROM cases WHERE merged_into = ? ORDER BY number LIMIT ?`),
  };

  return {
    insert: (row: CaseOperationRecord) => void s.insert.run(row),
    get: (id: string) => s.byId.get(id),
    /** Operations that touched the case (as target, source or created case), newest first. */
    listByCase: (caseId: string, limit: number) => s.byCase.all(caseId, caseId, limit),
    /** False when it was already undone (so two concurrent undos cannot both succeed). */
    markUndone: (id: string, at: number, by: string): boolean => s.markUndone.run(at, by, id).changes === 1,
    /** Cases merged into this one, by number. */
    mergedInto: (caseId: string, limit: number) => s.mergedInto.all(caseId, limit),
  };
}

export type CaseOperationStore = ReturnType<typeof createCaseOperationStore>;

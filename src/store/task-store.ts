/**
 * The work done on a case besides its own row: tasks with their logs, comments, and the reads the case
 * lifecycle needs beyond the case store (its audit trail for the timeline, observable flags before an override). Prepared statements; methods open no transactions (callers group them
 * with `cases.transaction`).
 */
import type Database from 'better-sqlite3';
import * as schema from '../../db/schema.js';
import { selectList, type CaseCommentRecord, type TaskLogRecord, type TaskRecord } from './records.js';

/** The fields a task change may set; `id` and `version` identify the row and the version read. */
export type TaskUpdate = Pick<TaskRecord, 'id' | 'title' | 'description' | 'status' | 'assignee' | 'assigneeGroup' | 'version' | 'updatedAt'>;

/** One audit_log row about a case, with before/after still as JSON text. */
export interface CaseAuditRow {
  id: string;
  actor: string;
  action: string;
  before: string | null;
  after: string | null;
  createdAt: number;
}

const TASK_COLUMNS = selectList(schema.tasks);
const TASK_LOG_COLUMNS = selectList(schema.taskLogs);
const COMMENT_COLUMNS = selectList(schema.caseComments);

/** Most tasks, comments or logs listed for one case or task, oldest first. */
export const MAX_LISTED = 1000;

export function createTaskStore(sqlite: Database.Database) {
  const s = {
    insertTask: sqlite.prepare<[TaskRecord]>(
      `INSERT INTO tasks (id, case_id, title, description, status, assignee, assignee_group, created_by, version, created_at, updated_at)
       VALUES (@id, @caseId, @title, @description, @status, @assignee, @assigneeGroup, @createdBy, @version, @createdAt, @updatedAt)`,
    ),
    taskById: sqlite.prepare<[string], TaskRecord>(`SELECT ${TASK_COLUMNS} FROM tasks WHERE id = ?`),
    updateTask: sqlite.prepare<[TaskUpdate]>(
      `UPDATE tasks SET title = @title, description = @description, status = @status, assignee = @assignee, assignee_group = @assigneeGroup,
         updated_at = @updatedAt, version = version + 1
       WHERE id = @id AND version = @version`,
    ),
    tasksOf: sqlite.prepare<[string], TaskRecord>(`SELECT ${TASK_COLUMNS} FROM tasks WHERE case_id = ? ORDER BY created_at, id LIMIT ${MAX_LISTED}`),
    insertLog: sqlite.prepare<[TaskLogRecord]>('INSERT INTO task_logs (id, task_id, author, message, created_at) VALUES (@id, @taskId, @author, @message, @createdAt)'),
    logsOf: sqlite.prepare<[string], TaskLogRecord>(`SELECT ${TASK_LOG_COLUMNS} FROM task_logs WHERE task_id = ? ORDER BY created_at, id LIMIT ${MAX_LISTED}`),
    insertComment: sqlite.prepare<[CaseCommentRecord]>('INSERT INTO case_comments (id, case_id, author, body, created_at) VALUES (@id, @caseId, @author, @body, @createdAt)'),
    commentsOf: sqlite.prepare<[string], CaseCommentRecord>(`SELECT ${COMMENT_COLUMNS} FROM case_comments WHERE case_id = ? ORDER BY created_at, id LIMIT ${MAX_LISTED}`),
    observableFlags: sqlite.prepare<[string, string], { isIoc: number }>('SELECT is_ioc AS isIoc FROM case_observables WHERE case_id = ? AND ioc_id = ?'),
    // Ids are ULIDs made from the same clock as created_at, so they break ties in time order.
    auditNewest: sqlite.prepare<[string, number], CaseAuditRow>(
      `SELECT id, actor, action, before, after, created_at AS createdAt FROM audit_log
       WHERE entity_type = 'Case' AND entity_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
    ),
  };

  return {
    insertTask: (task: TaskRecord) => void s.insertTask.run(task),
    getTask: (id: string) => s.taskById.get(id),
    /** Writes the task if it is still at `row.version`; false when someone changed it meanwhile. */
    updateTask: (row: TaskUpdate): boolean => s.updateTask.run(row).changes === 1,
    /** The tasks of a case, oldest first. */
    tasksOf: (caseId: string) => s.tasksOf.all(caseId),
    insertLog: (log: TaskLogRecord) => void s.insertLog.run(log),
    /** The logs of a task, oldest first. */
    logsOf: (taskId: string) => s.logsOf.all(taskId),
    insertComment: (comment: CaseCommentRecord) => void s.insertComment.run(comment),
    /** The comments on a case, oldest first. */
    commentsOf: (caseId: string) => s.commentsOf.all(caseId),
    /** Whether an IOC is an indicator in a case, once per role it has there (empty: not in the case): what an override replaces. */
    observableFlags: (caseId: string, iocId: string) => s.observableFlags.all(caseId, iocId).map((r) => r.isIoc === 1),
    /** The newest `limit` audit rows about a case, newest first: what its timeline shows. */
    caseAudit: (caseId: string, limit: number) => s.auditNewest.all(caseId, limit),
  };
}

export type TaskStore = ReturnType<typeof createTaskStore>;

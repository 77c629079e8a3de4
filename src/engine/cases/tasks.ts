/**
 * Tasks on a case: created, updated under their own optimistic version, and logged. Each change is
 * journaled on the task's case (TASK_CHANGED), so the case timeline and case subscriptions show task work.
 * Task changes do not bump the case version: they never conflict with edits of the case itself.
 */
import type { Clock } from '../../clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { IdPrefix, newId } from '../../ids.js';
import type { CaseStore } from '../../store/case-store.js';
import type { TaskLogRecord, TaskRecord } from '../../store/records.js';
import type { TaskStore, TaskUpdate } from '../../store/task-store.js';
import type { CaseJournal } from './journal.js';
import { cleanText, oneLine, oneOf, requireVersion } from './lifecycle.js';
import { CaseEventKind, CaseStatus, TaskStatus } from './model.js';

export const TASK_LIMITS = { title: 200, description: 20_000, assignee: 200, assigneeGroup: 100, log: 20_000 } as const;

/** WAITING -> IN_PROGRESS -> COMPLETED; anything not yet finished may be CANCELLED. */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  WAITING: [TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED],
  IN_PROGRESS: [TaskStatus.COMPLETED, TaskStatus.CANCELLED],
  COMPLETED: [],
  CANCELLED: [],
};

export interface NewTaskInput {
  title: string;
  description?: string | null;
  assignee?: string | null;
  assigneeGroup?: string | null;
}

/** Task edits: an absent field is left as it is; assignee and assigneeGroup may be set to null to clear them. */
export interface TaskChangeInput {
  title?: string | null;
  description?: string | null;
  status?: string | null;
  assignee?: string | null;
  assigneeGroup?: string | null;
}

type Editable = Pick<TaskRecord, 'title' | 'description' | 'status' | 'assignee' | 'assigneeGroup'>;

const optionalName = (field: string, value: string | null | undefined, max: number) => (value == null ? null : cleanText(field, value, { max }) || null);

export function createTasks(deps: { tasks: TaskStore; cases: CaseStore; journal: CaseJournal; clock: Clock }) {
  const { tasks, cases, journal, clock } = deps;

  function mustGet(taskId: string): TaskRecord {
    const task = tasks.getTask(taskId);
    if (!task) throw new NotFoundError('task', taskId);
    return task;
  }

  function numberOf(caseId: string): number {
    return cases.get(caseId)?.number ?? 0;
  }

  function assertTransition(task: TaskRecord, to: TaskStatus): void {
    const allowed = TASK_TRANSITIONS[task.status as TaskStatus] ?? [];
    if (allowed.includes(to)) return;
    const targets = allowed.length ? allowed.join(' or ') : `nowhere (${task.status} is final)`;
    throw new ConflictError(`cannot change task "${task.title}" from ${task.status} to ${to}; from ${task.status} it can go to ${targets}`);
  }

  return {
    mustGet,

    /** Adds a WAITING task to a case that is not CLOSED. */
    createTask(caseId: string, input: NewTaskInput, actor: string): TaskRecord {
      const title = cleanText('title', input.title, { max: TASK_LIMITS.title });
      const description = input.description == null ? '' : cleanText('description', input.description, { max: TASK_LIMITS.description, allowEmpty: true });
      const assignee = optionalName('assignee', input.assignee, TASK_LIMITS.assignee);
      const assigneeGroup = optionalName('assigneeGroup', input.assigneeGroup, TASK_LIMITS.assigneeGroup);
      return cases.transaction(() => {
        const theCase = cases.get(caseId);
        if (!theCase) throw new NotFoundError('case', caseId);
        if (theCase.status === CaseStatus.CLOSED) throw new ConflictError(`case #${theCase.number} is CLOSED: reopen it before adding tasks`);
        const now = clock();
        const task: TaskRecord = { id: newId(IdPrefix.Task, now), caseId, title, description, status: TaskStatus.WAITING, assignee, assigneeGroup, createdBy: actor, version: 1, createdAt: now, updatedAt: now };
        tasks.insertTask(task);
        journal.record({
          caseId,
          kind: CaseEventKind.TASK_CHANGED,
          actor,
          summary: `task "${title}" added to case #${theCase.number}${assignee ? ` for ${assignee}` : assigneeGroup ? ` for ${assigneeGroup}` : ''}`,
          detail: { taskId: task.id, change: 'created' },
          audit: { action: 'task.create', after: { taskId: task.id, title, description, status: task.status, assignee, assigneeGroup } },
        });
        return task;
      });
    },

    /**
     * Edits a task if it is still at `expectedVersion` (a ConflictError naming the current version
     * otherwise). Status moves along TASK_TRANSITIONS; sending the status it already has is no change.
     */
    updateTask(taskId: string, expectedVersion: number | null | undefined, input: TaskChangeInput, actor: string): TaskRecord {
      const version = requireVersion(expectedVersion);
      const patch: Partial<Editable> = {};
      if (input.title != null) patch.title = cleanText('title', input.title, { max: TASK_LIMITS.title });
      if (input.description != null) patch.description = cleanText('description', input.description, { max: TASK_LIMITS.description, allowEmpty: true });
      if (input.status != null) patch.status = oneOf('status', input.status, Object.values(TaskStatus));
      if (input.assignee !== undefined) patch.assignee = optionalName('assignee', input.assignee, TASK_LIMITS.assignee);
      if (input.assigneeGroup !== undefined) patch.assigneeGroup = optionalName('assigneeGroup', input.assigneeGroup, TASK_LIMITS.assigneeGroup);
      if (!Object.keys(patch).length) throw new ValidationError('EMPTY', 'input', 'give at least one of title, description, status, assignee, assigneeGroup');
      return cases.transaction(() => {
        const before = mustGet(taskId);
        if (before.version !== version) {
          throw new ConflictError(`task "${before.title}" was changed by someone else: you sent version ${version}, it is now at version ${before.version}; reload it and apply your change again`, before.version);
        }
        const keys = (Object.keys(patch) as Array<keyof Editable>).filter((k) => patch[k] !== before[k]);
        if (!keys.length) return before;
        if (keys.includes('status')) assertTransition(before, patch.status as TaskStatus);
        const now = clock();
        const row: TaskUpdate = { ...before, ...patch, updatedAt: now };
        if (!tasks.updateTask(row)) throw new ConflictError(`task "${before.title}" changed while it was being written; reload it and apply your change again`, mustGet(taskId).version);
        const after = mustGet(taskId);
        const pick = (t: TaskRecord) => Object.fromEntries([['taskId', t.id], ...keys.map((k) => [k, t[k]])]);
        const what = keys.map((k) => (k === 'status' ? `${before.status} -> ${after.status}` : k === 'assignee' ? `assignee ${after.assignee ?? 'cleared'}` : k)).join(', ');
        journal.record({
          caseId: before.caseId,
          kind: CaseEventKind.TASK_CHANGED,
          actor,
          summary: `task "${after.title}" on case #${numberOf(before.caseId)}: ${what}`,
          detail: { taskId, change: 'updated', fields: keys },
          audit: { action: 'task.update', before: pick(before), after: pick(after) },
        });
        return after;
      });
    },

    /** Appends what someone did or found while working the task. */
    addTaskLog(taskId: string, message: string, actor: string): TaskLogRecord {
      const text = cleanText('message', message, { max: TASK_LIMITS.log });
      return cases.transaction(() => {
        const task = mustGet(taskId);
        const now = clock();
        const log: TaskLogRecord = { id: newId(IdPrefix.TaskLog, now), taskId, author: actor, message: text, createdAt: now };
        tasks.insertLog(log);
        journal.record({
          caseId: task.caseId,
          kind: CaseEventKind.TASK_CHANGED,
          actor,
          summary: `log on task "${task.title}": ${oneLine(text)}`,
          detail: { taskId, change: 'logged', logId: log.id },
          audit: { action: 'task.log', after: { taskId, logId: log.id, message: text } },
        });
        return log;
      });
    },
  };
}

export type Tasks = ReturnType<typeof createTasks>;

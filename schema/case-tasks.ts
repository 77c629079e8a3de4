/** Tasks (with their logs) and comments on a case: the types, Case.tasks and Case.comments, and their mutations. */
import type { CaseCommentRecord, CaseRecord, TaskLogRecord, TaskRecord } from '../src/store/records.js';
import { MAX_LISTED } from '../src/store/task-store.js';
import { builder } from './builder.js';
import { TaskStatusEnum } from './case-enums.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { CaseCommentRef, CaseRef, TaskLogRef, TaskRef } from './refs.js';

TaskLogRef.implement({
  description: 'What someone did or found while working a task.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Log id (tlg_...).' }),
    author: t.exposeString('author', { description: 'Who wrote it.' }),
    message: t.exposeString('message', { description: 'What they wrote.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When.', resolve: (l) => l.createdAt }),
  }),
});

CaseCommentRef.implement({
  description: 'A comment on a case.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Comment id (cmt_...).' }),
    author: t.exposeString('author', { description: 'Who wrote it.' }),
    body: t.exposeString('body', { description: 'The text.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When.', resolve: (c) => c.createdAt }),
  }),
});

builder.node(TaskRef, {
  description: 'A work item on a case: WAITING -> IN_PROGRESS -> COMPLETED, or CANCELLED before it is finished.',
  id: { resolve: (task) => task.id },
  loadOne: (id, ctx) => ctx.services.taskStore.getTask(id),
  fields: (t) => ({
    case: t.field({ type: CaseRef, description: 'The case it belongs to.', resolve: (task, _args, ctx) => ctx.services.caseWriter.mustGet(task.caseId) }),
    title: t.exposeString('title', { description: 'What to do.' }),
    description: t.exposeString('description', { description: 'Details (may be empty).' }),
    status: t.field({ type: TaskStatusEnum, description: 'Where it is.', resolve: (task) => task.status as never }),
    assignee: t.exposeString('assignee', { nullable: true, description: 'Who does it.' }),
    assigneeGroup: t.exposeString('assigneeGroup', { nullable: true, description: 'The team it is for, e.g. `tier2`.' }),
    createdBy: t.exposeString('createdBy', { description: 'Who added it.' }),
    version: t.exposeInt('version', { description: 'Grows by one at every change; send it back with `updateTask` to detect concurrent edits.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was added.', resolve: (task) => task.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (task) => task.updatedAt }),
    logs: t.field({ type: [TaskLogRef], description: `Its logs, oldest first (at most ${MAX_LISTED}).`, resolve: (task, _args, ctx) => ctx.services.taskStore.logsOf(task.id) }),
  }),
});

builder.objectFields(CaseRef, (t) => ({
  tasks: t.field({ type: [TaskRef], description: `Its tasks, oldest first (at most ${MAX_LISTED}).`, resolve: (c, _args, ctx) => ctx.services.taskStore.tasksOf(c.id) }),
  comments: t.field({ type: [CaseCommentRef], description: `Its comments, oldest first (at most ${MAX_LISTED}).`, resolve: (c, _args, ctx) => ctx.services.taskStore.commentsOf(c.id) }),
}));

const TaskSuccess = (name: string, description: string) =>
  builder.objectRef<{ task: TaskRecord }>(name).implement({
    description,
    fields: (t) => ({ task: t.field({ type: TaskRef, description: 'The task as it is now (with its `version`).', resolve: (r) => r.task }) }),
  });

const CreateTaskSuccess = TaskSuccess('CreateTaskSuccess', 'The task was added, WAITING.');
const UpdateTaskSuccess = TaskSuccess('UpdateTaskSuccess', 'The task was changed (or already had these values).');

const AddTaskLogSuccess = builder.objectRef<{ log: TaskLogRecord; task: TaskRecord }>('AddTaskLogSuccess').implement({
  description: 'The log was added to the task.',
  fields: (t) => ({
    log: t.field({ type: TaskLogRef, description: 'The new log.', resolve: (r) => r.log }),
    task: t.field({ type: TaskRef, description: 'Its task.', resolve: (r) => r.task }),
  }),
});

const AddCaseCommentSuccess = builder.objectRef<{ comment: CaseCommentRecord; case: CaseRecord }>('AddCaseCommentSuccess').implement({
  description: 'The comment was added.',
  fields: (t) => ({
    comment: t.field({ type: CaseCommentRef, description: 'The new comment.', resolve: (r) => r.comment }),
    case: t.field({ type: CaseRef, description: 'Its case.', resolve: (r) => r.case }),
  }),
});

const CreateTaskInput = builder.inputType('CreateTaskInput', {
  description: 'A new task. Text is trimmed.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'What to do, 1 to 200 characters.' }),
    description: t.string({ required: false, description: 'Details, at most 20,000 characters.' }),
    assignee: t.string({ required: false, description: 'Who does it.' }),
    assigneeGroup: t.string({ required: false, description: 'The team it is for, e.g. `tier2`.' }),
  }),
});

const UpdateTaskInput = builder.inputType('UpdateTaskInput', {
  description: 'Task fields to change: absent fields stay as they are; an explicit null clears `assignee` or `assigneeGroup`.',
  fields: (t) => ({
    title: t.string({ required: false, description: 'New title, 1 to 200 characters.' }),
    description: t.string({ required: false, description: 'New details.' }),
    status: t.field({ type: TaskStatusEnum, required: false, description: 'New status: WAITING -> IN_PROGRESS -> COMPLETED; WAITING or IN_PROGRESS -> CANCELLED.' }),
    assignee: t.string({ required: false, description: 'Who does it; null clears it.' }),
    assigneeGroup: t.string({ required: false, description: 'The team it is for; null clears it.' }),
  }),
});

const ERRORS = [ValidationError, NotFoundError, ConflictError];

builder.mutationFields((t) => ({
  createTask: t.field({
    type: CreateTaskSuccess,
    description: 'Adds a task to a case. A CLOSED case takes no new tasks (ConflictError): reopen it first.',
    authScopes: { role: 'ANALYST' },
    errors: { types: ERRORS, directResult: true, union: { name: 'CreateTaskResult' } },
    args: {
      caseId: t.arg.id({ required: true, description: 'Case id (cas_...).' }),
      input: t.arg({ type: CreateTaskInput, required: true, description: 'The task.' }),
    },
    resolve: (_root, args, ctx) => ({ task: ctx.services.tasks.createTask(String(args.caseId), args.input, ctx.principal.name) }),
  }),
  updateTask: t.field({
    type: UpdateTaskSuccess,
    description: 'Changes a task under its own version: a stale `expectedVersion` is a ConflictError with the current one; a status change that is not allowed is a ConflictError naming the allowed ones.',
    authScopes: { role: 'ANALYST' },
    errors: { types: ERRORS, directResult: true, union: { name: 'UpdateTaskResult' } },
    args: {
      id: t.arg.id({ required: true, description: 'Task id (tsk_...).' }),
      expectedVersion: t.arg.int({ required: true, description: 'The task `version` you read.' }),
      input: t.arg({ type: UpdateTaskInput, required: true, description: 'The fields to change.' }),
    },
    resolve: (_root, args, ctx) => ({ task: ctx.services.tasks.updateTask(String(args.id), args.expectedVersion, args.input, ctx.principal.name) }),
  }),
  addTaskLog: t.field({
    type: AddTaskLogSuccess,
    description: 'Adds a log to a task (1 to 20,000 characters).',
    authScopes: { role: 'ANALYST' },
    errors: { types: ERRORS, directResult: true, union: { name: 'AddTaskLogResult' } },
    args: {
      taskId: t.arg.id({ required: true, description: 'Task id (tsk_...).' }),
      message: t.arg.string({ required: true, description: 'What was done or found.' }),
    },
    resolve: (_root, args, ctx) => {
      const log = ctx.services.tasks.addTaskLog(String(args.taskId), args.message, ctx.principal.name);
      return { log, task: ctx.services.tasks.mustGet(log.taskId) };
    },
  }),
  addCaseComment: t.field({
    type: AddCaseCommentSuccess,
    description: 'Comments on a case (1 to 20,000 characters). Closed cases take comments too.',
    authScopes: { role: 'ANALYST' },
    errors: { types: ERRORS, directResult: true, union: { name: 'AddCaseCommentResult' } },
    args: {
      caseId: t.arg.id({ required: true, description: 'Case id (cas_...).' }),
      body: t.arg.string({ required: true, description: 'The comment.' }),
    },
    resolve: (_root, args, ctx) => {
      const comment = ctx.services.comments.addComment(String(args.caseId), args.body, ctx.principal.name);
      return { comment, case: ctx.services.caseWriter.mustGet(comment.caseId) };
    },
  }),
}));

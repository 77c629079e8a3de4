import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors.js';
import type { CaseRecord } from '../../../src/store/records.js';
import { createHarness, settle, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

async function openCase(): Promise<CaseRecord> {
  h = createHarness();
  const [outcome] = h.services.pipeline.submit([{ log: 'Nov 23 04:00:01 web-01 sshd[1001]: Failed password for root from 185.22.13.9 port 40001 ssh2' }]);
  if (!outcome?.ok) throw new Error(JSON.stringify(outcome));
  await settle(h);
  return h.services.cases.get(h.services.cases.linkOf(outcome.alert.id)!.caseId)!;
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

const auditActions = (caseId: string) =>
  h.services.database.sqlite
    .prepare<[string], { action: string; actor: string }>("SELECT action, actor FROM audit_log WHERE entity_type = 'Case' AND entity_id = ? ORDER BY created_at, id")
    .all(caseId);

const TASK_STATUSES = ['WAITING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
const TASK_ALLOWED: Record<string, string[]> = { WAITING: ['IN_PROGRESS', 'CANCELLED'], IN_PROGRESS: ['COMPLETED', 'CANCELLED'], COMPLETED: [], CANCELLED: [] };
const TASK_PATH: Record<string, string[]> = { WAITING: [], IN_PROGRESS: ['IN_PROGRESS'], COMPLETED: ['IN_PROGRESS', 'COMPLETED'], CANCELLED: ['CANCELLED'] };

describe('tasks', () => {
  it('moves tasks along WAITING -> IN_PROGRESS -> COMPLETED or to CANCELLED, and refuses every other change', async () => {
    const c = await openCase();
    const { tasks } = h.services;
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES.filter((s) => s !== from)) {
        let task = tasks.createTask(c.id, { title: `${from} to ${to}` }, 'alice');
        for (const status of TASK_PATH[from]!) task = tasks.updateTask(task.id, task.version, { status }, 'alice');
        expect(task.status).toBe(from);
        if (TASK_ALLOWED[from]!.includes(to)) {
          expect(tasks.updateTask(task.id, task.version, { status: to }, 'alice')).toMatchObject({ status: to, version: task.version + 1 });
        } else {
          const error = thrown(() => tasks.updateTask(task.id, task.version, { status: to }, 'alice'));
          expect(error, `${from} -> ${to}`).toBeInstanceOf(ConflictError);
          expect(error.message).toContain(`from ${from} to ${to}`);
          expect(h.services.taskStore.getTask(task.id)!.version).toBe(task.version);
        }
      }
    }
  });

  it('uses its own version: a stale one is a ConflictError with the current version, and case edits are not affected', async () => {
    const c = await openCase();
    const { tasks } = h.services;
    const task = tasks.createTask(c.id, { title: ' Block 185.22.13.9 ', description: 'at the edge firewall', assigneeGroup: 'tier2' }, 'alice');
    expect(task).toMatchObject({ title: 'Block 185.22.13.9', status: 'WAITING', assignee: null, assigneeGroup: 'tier2', createdBy: 'alice', version: 1 });
    const first = tasks.updateTask(task.id, 1, { assignee: 'bob', status: 'IN_PROGRESS' }, 'alice');
    const stale = thrown(() => tasks.updateTask(task.id, 1, { title: 'other' }, 'bob')) as ConflictError;
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale.currentVersion).toBe(first.version);
    expect(h.services.cases.get(c.id)!.version).toBe(c.version);
    expect(tasks.updateTask(task.id, first.version, { assignee: null }, 'bob').assignee).toBeNull();
    expect(thrown(() => tasks.updateTask(task.id, 3, {}, 'bob'))).toMatchObject({ code: 'EMPTY', field: 'input' });
    expect(thrown(() => tasks.updateTask(task.id, 3, { status: 'DONE' }, 'bob'))).toMatchObject({ code: 'INVALID_VALUE', field: 'status' });
    expect(thrown(() => tasks.updateTask('tsk_missing', 1, { title: 'x' }, 'bob'))).toBeInstanceOf(NotFoundError);
    expect(thrown(() => tasks.createTask(c.id, { title: '' }, 'bob'))).toBeInstanceOf(ValidationError);
  });

  it('journals task changes and logs on the case, and refuses new tasks on a CLOSED case but not comments', async () => {
    const c = await openCase();
    const { tasks, comments, caseLifecycle } = h.services;
    const task = tasks.createTask(c.id, { title: 'Check other hosts' }, 'alice');
    const log = tasks.addTaskLog(task.id, '  no other host saw it  ', 'bob');
    expect(log).toMatchObject({ taskId: task.id, author: 'bob', message: 'no other host saw it' });
    expect(h.services.taskStore.logsOf(task.id)).toEqual([log]);
    expect(thrown(() => tasks.addTaskLog(task.id, '', 'bob'))).toMatchObject({ code: 'EMPTY', field: 'message' });
    expect(thrown(() => tasks.addTaskLog('tsk_missing', 'x', 'bob'))).toMatchObject({ entity: 'task' });
    tasks.updateTask(task.id, task.version, { status: 'CANCELLED' }, 'alice');

    const closed = caseLifecycle.changeStatus(c.id, c.version, 'CLOSED', 'FALSE_POSITIVE', 'alice');
    const refused = thrown(() => tasks.createTask(c.id, { title: 'too late' }, 'alice'));
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused.message).toBe(`case #${c.number} is CLOSED: reopen it before adding tasks`);
    const comment = comments.addComment(c.id, 'closing: a pentest', 'alice');
    expect(h.services.taskStore.commentsOf(c.id)).toEqual([comment]);
    expect(thrown(() => comments.addComment(c.id, ' ', 'alice'))).toMatchObject({ code: 'EMPTY', field: 'body' });
    expect(thrown(() => comments.addComment(c.id, 'x'.repeat(20_001), 'alice'))).toMatchObject({ code: 'TOO_LARGE', field: 'body' });
    expect(thrown(() => comments.addComment('cas_missing', 'x', 'alice'))).toMatchObject({ entity: 'case' });
    // Tasks and comments have their own records: the case row, and so its version, is untouched by them.
    expect(h.services.cases.get(c.id)!.version).toBe(closed.version);

    expect(auditActions(c.id)).toEqual([
      { action: 'case.create', actor: 'system:correlator' },
      { action: 'task.create', actor: 'alice' },
      { action: 'task.log', actor: 'bob' },
      { action: 'task.update', actor: 'alice' },
      { action: 'case.status', actor: 'alice' },
      { action: 'case.comment', actor: 'alice' },
    ]);
    expect(h.services.cases.eventsOf(c.id).map((e) => e.kind)).toEqual(['CREATED', 'TASK_CHANGED', 'TASK_CHANGED', 'TASK_CHANGED', 'STATUS_CHANGED', 'COMMENTED']);
  });
});

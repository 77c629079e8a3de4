import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, settle, T0, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const sshFailure = (i: number, host: string, ip: string) => `Nov 23 04:00:${String(i).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`;

/** Case #1 from two real sshd lines (one source against web-01); the test key is named `test ANALYST`. */
async function bruteForceCase(): Promise<{ id: string; version: number }> {
  h = createHarness();
  h.services.pipeline.submit([{ log: sshFailure(1, 'web-01', '185.22.13.9') }, { log: sshFailure(2, 'web-01', '185.22.13.9') }]);
  await settle(h);
  const data = await h.ok(`{ case(number: 1) { id version status } }`);
  expect(data.case.status).toBe('NEW');
  return data.case;
}

const ERROR_FIELDS = `... on Error { message } ... on ValidationError { code field } ... on NotFoundError { entity id } ... on ConflictError { currentVersion }`;
const CASE_FIELDS = `id number title description status resolution severity tlp pap assignee tags version`;

const CHANGE_STATUS = `mutation($id: ID!, $v: Int!, $status: CaseStatus!, $resolution: Resolution, $comment: String) {
  changeCaseStatus(id: $id, expectedVersion: $v, status: $status, resolution: $resolution, comment: $comment) {
    __typename ... on ChangeCaseStatusSuccess { case { ${CASE_FIELDS} } } ${ERROR_FIELDS}
  }
}`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateCaseInput!) {
  updateCase(id: $id, expectedVersion: $v, input: $input) { __typename ... on UpdateCaseSuccess { case { ${CASE_FIELDS} } } ${ERROR_FIELDS} }
}`;
const REOPEN = `mutation($id: ID!, $v: Int!, $reason: String!) {
  reopenCase(id: $id, expectedVersion: $v, reason: $reason) { __typename ... on ReopenCaseSuccess { case { ${CASE_FIELDS} } } ${ERROR_FIELDS} }
}`;
const ASSIGN = `mutation($id: ID!, $v: Int!, $assignee: String) {
  assignCase(id: $id, expectedVersion: $v, assignee: $assignee) { __typename ... on AssignCaseSuccess { case { ${CASE_FIELDS} } } ${ERROR_FIELDS} }
}`;
const TAGS = `mutation($id: ID!, $add: [String!]!, $remove: [String!]!) {
  addCaseTags(id: $id, tags: $add) { __typename ... on ChangeCaseTagsSuccess { case { tags version } } ${ERROR_FIELDS} }
  removeCaseTags(id: $id, tags: $remove) { __typename ... on ChangeCaseTagsSuccess { case { tags version } } ${ERROR_FIELDS} }
}`;
const TIMELINE = `query($id: ID!, $first: Int) { case(id: $id) { timeline(first: $first) { id actor action summary before after createdAt } } }`;

describe('case lifecycle over GraphQL', () => {
  it('works a case from NEW to RESOLVED, reopens it and closes it, with the timeline telling the story newest first', async () => {
    const c = await bruteForceCase();
    h.clock.advance(60_000);
    const assigned = await h.ok(ASSIGN, { id: c.id, v: c.version, assignee: 'alice' });
    expect(assigned.assignCase).toMatchObject({ __typename: 'AssignCaseSuccess', case: { assignee: 'alice', status: 'NEW', version: c.version + 1 } });
    h.clock.advance(60_000);
    const started = await h.ok(CHANGE_STATUS, { id: c.id, v: c.version + 1, status: 'IN_PROGRESS', comment: 'on it' });
    expect(started.changeCaseStatus.case).toMatchObject({ status: 'IN_PROGRESS', resolution: null });
    h.clock.advance(60_000);
    const resolved = await h.ok(CHANGE_STATUS, { id: c.id, v: c.version + 2, status: 'RESOLVED', resolution: 'TRUE_POSITIVE' });
    expect(resolved.changeCaseStatus.case).toMatchObject({ status: 'RESOLVED', resolution: 'TRUE_POSITIVE' });
    h.clock.advance(60_000);
    const reopened = await h.ok(REOPEN, { id: c.id, v: c.version + 3, reason: 'the source came back' });
    expect(reopened.reopenCase).toMatchObject({ __typename: 'ReopenCaseSuccess', case: { status: 'IN_PROGRESS', resolution: null, version: c.version + 4 } });
    h.clock.advance(60_000);
    const closed = await h.ok(CHANGE_STATUS, { id: c.id, v: c.version + 4, status: 'CLOSED', resolution: 'BENIGN_POSITIVE', comment: 'a scheduled pentest' });
    expect(closed.changeCaseStatus.case).toMatchObject({ status: 'CLOSED', resolution: 'BENIGN_POSITIVE' });

    const timeline = (await h.ok(TIMELINE, { id: c.id })).case.timeline;
    expect(timeline.map((e: any) => [e.action, e.actor, e.summary])).toEqual([
      ['case.status', 'test ANALYST', 'status IN_PROGRESS -> CLOSED as BENIGN_POSITIVE: a scheduled pentest'],
      ['case.reopen', 'test ANALYST', 'reopened (RESOLVED -> IN_PROGRESS): the source came back'],
      ['case.status', 'test ANALYST', 'status IN_PROGRESS -> RESOLVED as TRUE_POSITIVE'],
      ['case.status', 'test ANALYST', 'status NEW -> IN_PROGRESS: on it'],
      ['case.assign', 'test ANALYST', 'assigned to alice'],
      ['case.alert.add', 'system:correlator', expect.stringMatching(/^alert alt_\w+ added \(IOC\): /)],
      ['case.create', 'system:correlator', 'opened: Brute Force on web-01 from 185.22.13.9'],
    ]);
    expect(timeline[0]).toMatchObject({ before: { status: 'IN_PROGRESS', resolution: null }, after: { status: 'CLOSED', resolution: 'BENIGN_POSITIVE', comment: 'a scheduled pentest' }, createdAt: new Date(T0 + 300_000).toISOString() });
    expect(timeline[1].after).toEqual({ status: 'IN_PROGRESS', reason: 'the source came back' });
    expect((await h.ok(TIMELINE, { id: c.id, first: 2 })).case.timeline.map((e: any) => e.action)).toEqual(['case.status', 'case.reopen']);
  });

  it('answers invalid transitions, missing resolutions, stale versions and unknown cases with error union members', async () => {
    const c = await bruteForceCase();
    const invalid = await h.ok(CHANGE_STATUS, { id: c.id, v: c.version, status: 'RESOLVED', resolution: 'TRUE_POSITIVE' });
    expect(invalid.changeCaseStatus).toEqual({
      __typename: 'ConflictError',
      message: 'cannot change case #1 from NEW to RESOLVED: NEW -> RESOLVED is not an allowed transition; from NEW it can go to IN_PROGRESS or CLOSED',
      currentVersion: null,
    });
    const noResolution = await h.ok(CHANGE_STATUS, { id: c.id, v: c.version, status: 'CLOSED' });
    expect(noResolution.changeCaseStatus).toMatchObject({ __typename: 'ValidationError', code: 'MISSING', field: 'resolution' });
    const reopenNew = await h.ok(REOPEN, { id: c.id, v: c.version, reason: 'x' });
    expect(reopenNew.reopenCase.__typename).toBe('ConflictError');
    const unknown = await h.ok(ASSIGN, { id: 'cas_01jzzzzzzzzzzzzzzzzzzzzzzz', v: 1, assignee: 'bob' });
    expect(unknown.assignCase).toMatchObject({ __typename: 'NotFoundError', entity: 'case', id: 'cas_01jzzzzzzzzzzzzzzzzzzzzzzz' });

    // Two analysts read the same version; the second to write is told to reload.
    const first = await h.ok(UPDATE, { id: c.id, v: c.version, input: { title: 'SSH brute force against web-01', severity: 'HIGH', tlp: 'RED' } });
    expect(first.updateCase).toMatchObject({ __typename: 'UpdateCaseSuccess', case: { title: 'SSH brute force against web-01', tlp: 'RED', version: c.version + 1 } });
    const second = await h.ok(UPDATE, { id: c.id, v: c.version, input: { pap: 'RED' } });
    expect(second.updateCase).toMatchObject({ __typename: 'ConflictError', currentVersion: c.version + 1 });
    expect(second.updateCase.message).toContain(`you sent version ${c.version}, it is now at version ${c.version + 1}`);
    const tooLong = await h.ok(UPDATE, { id: c.id, v: c.version + 1, input: { title: 'x'.repeat(201) } });
    expect(tooLong.updateCase).toMatchObject({ __typename: 'ValidationError', code: 'TOO_LARGE', field: 'title' });
    const now = await h.ok(`query($id: ID!) { case(id: $id) { pap version timeline(first: 1) { action before after } } }`, { id: c.id });
    expect(now.case).toMatchObject({ pap: 'AMBER', version: c.version + 1 });
    expect(now.case.timeline[0].action).toBe('case.update');
    expect(now.case.timeline[0].after).toEqual({ title: 'SSH brute force against web-01', tlp: 'RED' });
    expect(Object.keys(now.case.timeline[0].before).sort()).toEqual(['title', 'tlp']);

    // (severity was sent too, but the case was already HIGH: it is not in the audit record.)

    // Sent at the same time with the same version: exactly one wins.
    const racing = await Promise.all([
      h.ok(ASSIGN, { id: c.id, v: c.version + 1, assignee: 'alice' }),
      h.ok(ASSIGN, { id: c.id, v: c.version + 1, assignee: 'bob' }),
    ]);
    const outcomes = racing.map((r) => r.assignCase.__typename).sort();
    expect(outcomes).toEqual(['AssignCaseSuccess', 'ConflictError']);
    const winner = racing.find((r) => r.assignCase.__typename === 'AssignCaseSuccess')!.assignCase.case.assignee;
    expect((await h.ok(`query($id: ID!) { case(id: $id) { assignee version } }`, { id: c.id })).case).toEqual({ assignee: winner, version: c.version + 2 });
  });

  it('tags cases and marks observables, and refuses every mutation to a VIEWER', async () => {
    const c = await bruteForceCase();
    const tags = await h.ok(TAGS, { id: c.id, add: ['SSH', ' Internet-Facing '], remove: ['ssh'] });
    expect(tags.addCaseTags.case.tags).toEqual(['ssh', 'internet-facing']);
    expect(tags.removeCaseTags.case.tags).toEqual(['internet-facing']);
    const observables = await h.ok(`query($id: ID!) { case(id: $id) { observables { role isIoc ioc { id value } } } }`, { id: c.id });
    const source = observables.case.observables.find((o: any) => o.role === 'SOURCE');
    const SET = `mutation($c: ID!, $i: ID!) { setObservableIoc(caseId: $c, iocId: $i, isIoc: false) { __typename ... on SetObservableIocSuccess { case { observables { isIoc overriddenBy ioc { id } } } } ${ERROR_FIELDS} } }`;
    const set = await h.ok(SET, { c: c.id, i: source.ioc.id });
    expect(set.setObservableIoc.case.observables.find((o: any) => o.ioc.id === source.ioc.id)).toMatchObject({ isIoc: false, overriddenBy: 'test ANALYST' });
    expect((await h.ok(SET, { c: c.id, i: 'ioc_unknown' })).setObservableIoc).toMatchObject({ __typename: 'NotFoundError', entity: 'observable' });
    const timeline = (await h.ok(TIMELINE, { id: c.id, first: 3 })).case.timeline.map((e: any) => e.summary);
    expect(timeline).toEqual([`observable ${source.ioc.id} marked as context`, 'untagged ssh', 'tagged ssh, internet-facing']);

    const viewer = h.tokens.VIEWER;
    const attempts = [
      [CHANGE_STATUS, { id: c.id, v: 1, status: 'IN_PROGRESS' }],
      [UPDATE, { id: c.id, v: 1, input: { title: 'x' } }],
      [REOPEN, { id: c.id, v: 1, reason: 'x' }],
      [ASSIGN, { id: c.id, v: 1, assignee: 'x' }],
      [TAGS, { id: c.id, add: ['x'], remove: ['x'] }],
      [SET, { c: c.id, i: source.ioc.id }],
      [`mutation($id: ID!) { createTask(caseId: $id, input: { title: "x" }) { __typename } }`, { id: c.id }],
      [`mutation { updateTask(id: "tsk_x", expectedVersion: 1, input: { title: "x" }) { __typename } }`, {}],
      [`mutation { addTaskLog(taskId: "tsk_x", message: "x") { __typename } }`, {}],
      [`mutation($id: ID!) { addCaseComment(caseId: $id, body: "x") { __typename } }`, { id: c.id }],
    ] as const;
    for (const [query, variables] of attempts) {
      const result = await h.gql(query, variables, viewer);
      expect(result.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
    }
    const unchanged = await h.ok(`query($id: ID!) { case(id: $id) { status tasks { id } comments { id } } }`, { id: c.id }, viewer);
    expect(unchanged.case).toEqual({ status: 'NEW', tasks: [], comments: [] });
  });

  it('adds tasks with logs and comments, shows them on the case and in the timeline, and resolves tasks by node id', async () => {
    const c = await bruteForceCase();
    const TASK_FIELDS = `id title description status assignee assigneeGroup createdBy version case { number } logs { author message createdAt }`;
    const created = await h.ok(
      `mutation($id: ID!) { createTask(caseId: $id, input: { title: "Block 185.22.13.9", description: "at the edge", assigneeGroup: "tier2" }) { __typename ... on CreateTaskSuccess { task { ${TASK_FIELDS} } } } }`,
      { id: c.id },
    );
    const task = created.createTask.task;
    expect(task).toMatchObject({ title: 'Block 185.22.13.9', status: 'WAITING', assigneeGroup: 'tier2', createdBy: 'test ANALYST', version: 1, case: { number: 1 }, logs: [] });
    expect(task.id).toMatch(/^tsk_/);

    const UPDATE_TASK = `mutation($id: ID!, $v: Int!, $input: UpdateTaskInput!) { updateTask(id: $id, expectedVersion: $v, input: $input) { __typename ... on UpdateTaskSuccess { task { status assignee version } } ${ERROR_FIELDS} } }`;
    expect((await h.ok(UPDATE_TASK, { id: task.id, v: 1, input: { status: 'IN_PROGRESS', assignee: 'bob' } })).updateTask).toMatchObject({ __typename: 'UpdateTaskSuccess', task: { status: 'IN_PROGRESS', assignee: 'bob', version: 2 } });
    expect((await h.ok(UPDATE_TASK, { id: task.id, v: 1, input: { status: 'COMPLETED' } })).updateTask).toMatchObject({ __typename: 'ConflictError', currentVersion: 2 });
    const backwards = await h.ok(UPDATE_TASK, { id: task.id, v: 2, input: { status: 'WAITING' } });
    expect(backwards.updateTask).toMatchObject({ __typename: 'ConflictError', message: 'cannot change task "Block 185.22.13.9" from IN_PROGRESS to WAITING; from IN_PROGRESS it can go to COMPLETED or CANCELLED' });
    h.clock.advance(1000);
    const logged = await h.ok(`mutation($id: ID!) { addTaskLog(taskId: $id, message: "rule 4711 added on fw-edge-1") { __typename ... on AddTaskLogSuccess { log { author message } task { version } } } }`, { id: task.id });
    expect(logged.addTaskLog).toMatchObject({ log: { author: 'test ANALYST', message: 'rule 4711 added on fw-edge-1' }, task: { version: 2 } });
    expect((await h.ok(UPDATE_TASK, { id: task.id, v: 2, input: { status: 'COMPLETED' } })).updateTask.task.status).toBe('COMPLETED');
    const missingLog = await h.ok(`mutation { addTaskLog(taskId: "tsk_nope", message: "x") { __typename ${ERROR_FIELDS} } }`);
    expect(missingLog.addTaskLog).toMatchObject({ __typename: 'NotFoundError', entity: 'task', id: 'tsk_nope' });

    const COMMENT = `mutation($id: ID!, $body: String!) { addCaseComment(caseId: $id, body: $body) { __typename ... on AddCaseCommentSuccess { comment { id author body } case { number } } ${ERROR_FIELDS} } }`;
    const commented = await h.ok(COMMENT, { id: c.id, body: 'Blocked at the edge;\nwatching for more.' });
    expect(commented.addCaseComment).toMatchObject({ __typename: 'AddCaseCommentSuccess', comment: { author: 'test ANALYST', body: 'Blocked at the edge;\nwatching for more.' }, case: { number: 1 } });
    expect((await h.ok(COMMENT, { id: c.id, body: '  ' })).addCaseComment).toMatchObject({ __typename: 'ValidationError', code: 'EMPTY', field: 'body' });

    const view = await h.ok(`query($id: ID!, $task: ID!) {
      case(id: $id) { tasks { ${TASK_FIELDS} } comments { author body } timeline(first: 5) { action summary } }
      node(id: $task) { __typename ... on Task { title status } }
    }`, { id: c.id, task: task.id });
    expect(view.case.tasks).toHaveLength(1);
    expect(view.case.tasks[0]).toMatchObject({ status: 'COMPLETED', version: 3, logs: [{ author: 'test ANALYST', message: 'rule 4711 added on fw-edge-1', createdAt: new Date(T0 + 1000).toISOString() }] });
    expect(view.case.comments).toEqual([{ author: 'test ANALYST', body: 'Blocked at the edge;\nwatching for more.' }]);
    expect(view.node).toEqual({ __typename: 'Task', title: 'Block 185.22.13.9', status: 'COMPLETED' });
    expect(view.case.timeline).toEqual([
      { action: 'case.comment', summary: 'commented: Blocked at the edge; watching for more.' },
      { action: 'task.update', summary: 'task "Block 185.22.13.9" changed: status IN_PROGRESS -> COMPLETED' },
      { action: 'task.log', summary: 'log on task "Block 185.22.13.9": rule 4711 added on fw-edge-1' },
      { action: 'task.update', summary: 'task "Block 185.22.13.9" changed: status WAITING -> IN_PROGRESS, assignee none -> bob' },
      { action: 'task.create', summary: 'task "Block 185.22.13.9" added for tier2' },
    ]);

    // A CLOSED case takes comments but no new tasks.
    const version = (await h.ok(`query($id: ID!) { case(id: $id) { version } }`, { id: c.id })).case.version;
    await h.ok(CHANGE_STATUS, { id: c.id, v: version, status: 'CLOSED', resolution: 'TRUE_POSITIVE' });
    const late = await h.ok(`mutation($id: ID!) { createTask(caseId: $id, input: { title: "late" }) { __typename ${ERROR_FIELDS} } }`, { id: c.id });
    expect(late.createTask).toMatchObject({ __typename: 'ConflictError', message: 'case #1 is CLOSED: reopen it before adding tasks' });
    expect((await h.ok(COMMENT, { id: c.id, body: 'post-mortem done' })).addCaseComment.__typename).toBe('AddCaseCommentSuccess');
  });
});

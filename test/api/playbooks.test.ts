import { afterEach, describe, expect, it } from 'vitest';
import { settle, T0, type Harness } from '../helpers/harness.js';
import { BRUTE_FORCE_OFF, bruteForceCase, extraKey, harnessFor, outbox, sandbox, sshFailure, type Sandbox } from '../engine/respond/run-helpers.js';

let h: Harness | undefined;
let box: Sandbox | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  box?.cleanup();
  box = undefined;
});

const CASE_RUNS = `query($id: ID!) {
  case(id: $id) {
    number severity category
    tasks { title createdBy }
    playbookRuns {
      id playbook version status trigger dryRun startedBy triggeredBy error
      steps { name action status attempts params output error actions { id kind status } }
      actions { id kind target status executor dryRun artifact revertAt requestedBy }
    }
  }
  playbooks { name version origin enabled }
}`;

const RUN = `mutation($caseId: ID!, $playbook: String!, $dryRun: Boolean) {
  runPlaybook(caseId: $caseId, playbook: $playbook, dryRun: $dryRun) {
    __typename
    ... on RunPlaybookSuccess { run { id status dryRun playbook steps { name status output } actions { kind status dryRun artifact } } }
    ... on Error { message }
  }
}`;

function auditOf(hh: Harness, entityType: string): Array<{ actor: string; action: string; entityId: string }> {
  return hh.services.database.sqlite.prepare('SELECT actor, action, entity_id AS entityId FROM audit_log WHERE entity_type = ? ORDER BY id').all(entityType) as never;
}

describe('playbooks over the API', () => {
  it('runs the brute-force playbook for a HIGH brute-force case: a simulated block with its nftables command and TTL, tasks, a notification, all audited', async () => {
    box = sandbox({});
    h = harnessFor(box);
    const caseId = await bruteForceCase(h);
    await h.services.runs.idle();
    const data = await h.ok(CASE_RUNS, { id: caseId });
    const shipped = data.playbooks.find((p: any) => p.name === 'brute-force');
    expect(shipped).toMatchObject({ origin: 'SHIPPED', enabled: true, version: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(data.case).toMatchObject({ severity: 'HIGH', category: 'BRUTE_FORCE' });
    expect(data.case.playbookRuns).toHaveLength(1);
    const run = data.case.playbookRuns[0];
    expect(run).toMatchObject({ playbook: 'brute-force', version: shipped.version, status: 'COMPLETED', trigger: 'CASE_OPENED', dryRun: false, startedBy: 'playbook:brute-force', triggeredBy: 'system:correlator', error: null });
    expect(run.steps.map((s: any) => [s.name, s.action, s.status])).toEqual([
      ['block-source[185.22.13.9]', 'BLOCK_IP', 'COMPLETED'],
      ['review-auth-logs', 'CREATE_TASK', 'COMPLETED'],
      ['confirm-no-success', 'CREATE_TASK', 'COMPLETED'],
      ['notify-soc', 'NOTIFY', 'COMPLETED'],
    ]);
    const block = run.actions.find((a: any) => a.kind === 'BLOCK_IP');
    expect(block).toMatchObject({ target: '185.22.13.9', status: 'EXECUTED', executor: 'simulated', dryRun: false, revertAt: new Date(T0 + 24 * 3600_000).toISOString(), requestedBy: 'playbook:brute-force' });
    expect(block.artifact.plan.commands.nft).toContain('185.22.13.9 timeout 24h');
    expect(block.artifact.ttl).toBe('24h');
    expect(run.steps[0].actions).toEqual([{ id: block.id, kind: 'BLOCK_IP', status: 'EXECUTED' }]);
    expect(data.case.tasks).toEqual([
      { title: 'Review authentication logs for web-01', createdBy: 'playbook:brute-force' },
      { title: 'Confirm no successful logins from 185.22.13.9', createdBy: 'playbook:brute-force' },
    ]);
    expect(outbox(h, 'playbook.brute_force')).toHaveLength(1);
    expect(auditOf(h, 'PlaybookRun').map((a) => a.action)).toEqual(['playbook.run.create', 'playbook.run.finish']);
    expect(auditOf(h, 'Action').filter((a) => a.entityId === block.id).map((a) => [a.actor, a.action])).toEqual([
      ['playbook:brute-force', 'action.request'],
      ['playbook:brute-force', 'action.execute'],
    ]);

    // More of the same attack updates the case; the playbook does not run (or block) again.
    h.services.pipeline.submit([{ log: sshFailure(3, 'web-01', '185.22.13.9') }, { log: sshFailure(4, 'web-01', '185.22.13.9') }]);
    await settle(h);
    await h.services.runs.idle();
    const page = await h.ok(`query($f: PlaybookRunFilter) { playbookRuns(filter: $f, first: 10) { edges { node { id status } } } }`, { f: { caseId, playbook: 'brute-force', status: ['COMPLETED'] } });
    expect(page.playbookRuns.edges.map((e: any) => e.node.id)).toEqual([run.id]);
    const node = await h.ok(`query($id: ID!) { node(id: $id) { ... on PlaybookRun { playbook playbookSource steps { name } } } }`, { id: run.id });
    expect(node.node.playbookSource).toContain('name: brute-force');
  });

  it('starts nothing on its own when VIGIL_PLAYBOOK_TRIGGERS is off (the automation kill switch)', async () => {
    box = sandbox({});
    h = harnessFor(box, { VIGIL_PLAYBOOK_TRIGGERS: 'off' });
    const caseId = await bruteForceCase(h);
    await h.services.runs.idle();
    expect((await h.ok(CASE_RUNS, { id: caseId })).case).toMatchObject({ severity: 'HIGH', playbookRuns: [], tasks: [] });
  });

  it('runs nothing for a LOW case; a dry run returns the plan and changes nothing', async () => {
    box = sandbox({});
    // Every score is LOW with these thresholds: the same attack makes a LOW case.
    h = harnessFor(box, { VIGIL_RISK_THRESHOLDS: '97,98,99' });
    const caseId = await bruteForceCase(h);
    await h.services.runs.idle();
    const before = await h.ok(CASE_RUNS, { id: caseId });
    expect(before.case).toMatchObject({ severity: 'LOW', category: 'BRUTE_FORCE', playbookRuns: [], tasks: [] });

    const denied = await h.gql(RUN, { caseId, playbook: 'brute-force', dryRun: true }, h.tokens.ANALYST);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const missing = await h.ok(RUN, { caseId, playbook: 'no-such-playbook', dryRun: true }, h.tokens.RESPONDER);
    expect(missing.runPlaybook).toEqual({ __typename: 'NotFoundError', message: 'no playbook with id no-such-playbook' });

    const dry = await h.ok(RUN, { caseId, playbook: 'brute-force', dryRun: true }, h.tokens.RESPONDER);
    const run = dry.runPlaybook.run;
    expect(run).toMatchObject({ status: 'COMPLETED', dryRun: true, playbook: 'brute-force' });
    expect(run.steps.map((s: any) => [s.name, s.status, s.output.status])).toEqual([
      ['block-source[185.22.13.9]', 'COMPLETED', 'PLANNED'],
      ['review-auth-logs', 'COMPLETED', 'PLANNED'],
      ['confirm-no-success', 'COMPLETED', 'PLANNED'],
      ['notify-soc', 'COMPLETED', 'PLANNED'],
    ]);
    expect(run.steps[0].output.artifact.plan.commands.nft).toContain('185.22.13.9 timeout 24h');
    expect(run.actions.every((a: any) => a.status === 'PLANNED' && a.dryRun)).toBe(true);
    const after = await h.ok(CASE_RUNS, { id: caseId });
    expect(after.case.tasks).toEqual([]);
    expect(after.case.playbookRuns.map((r: any) => [r.trigger, r.dryRun])).toEqual([['MANUAL', true]]);
    expect(outbox(h, 'playbook.brute_force')).toEqual([]);
  });
});

const CONTAIN = `name: contain-host
description: isolate the case's host once two responders agree
enabled: false
trigger: {}
steps:
  - name: isolate
    action: ISOLATE_HOST
    forEach: { iocs: { roles: [HOST] } }
    params: { host: '{{ ioc.value }}', ttl: 2h }
    approval: { role: RESPONDER, count: 2, expires: 30m, default: REJECT }
    onError: continue
  - name: follow-up
    action: CREATE_TASK
    params: { title: 'Follow up on {{ case.host }}' }
`;

const APPROVE = `mutation($id: ID!, $comment: String) {
  approveAction(actionId: $id, comment: $comment) {
    __typename
    ... on ApproveActionSuccess { approval { status approvals requiredCount decisions { actor decision comment } } action { status } }
    ... on ApprovalRoleError { message requiredRole }
    ... on Error { message }
  }
}`;
const REJECT = `mutation($id: ID!, $comment: String) {
  rejectAction(actionId: $id, comment: $comment) {
    __typename
    ... on RejectActionSuccess { approval { status } action { status reason } }
    ... on Error { message }
  }
}`;

/** Subscribes over SSE in-process and returns the first `count` events. */
async function sse(hh: Harness, query: string, count: number, during: () => Promise<void>): Promise<any[]> {
  const controller = new AbortController();
  const response = await hh.app.yoga.fetch('http://vigil.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${hh.tokens.VIEWER}` },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: any[] = [];
  let buffer = '';
  let started = false;
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const message = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const data = message.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('');
      if (/^event: next$/m.test(message) && data) events.push(JSON.parse(data).data.approvalEvents);
    }
    if (!started && events.length > 0) {
      started = true;
      await during();
    }
  }
  controller.abort();
  return events;
}

/** Starts contain-host as `starter` (by default a responder other than the test keys, who then approve). */
async function waitingRun(hh: Harness, caseId: string, starter = extraKey(hh, 'on-call RESPONDER', 'RESPONDER').token) {
  const { runPlaybook } = await hh.ok(RUN, { caseId, playbook: 'contain-host', dryRun: false }, starter);
  await hh.services.runs.idle();
  const pending = await hh.ok(`{ pendingApprovals { id actionId requiredRole requiredCount status expiresAt action { kind target status } run { id status } step { name status } } }`);
  const approval = pending.pendingApprovals.find((a: any) => a.run.id === runPlaybook.run.id);
  return { runId: runPlaybook.run.id as string, approval, actionId: approval.actionId as string };
}

describe('approvals', () => {
  it('runs the action once two distinct people of the role approve, then the run goes on', async () => {
    box = sandbox({ 'off.yaml': BRUTE_FORCE_OFF, 'contain.yaml': CONTAIN });
    h = harnessFor(box);
    const caseId = await bruteForceCase(h);
    const { runId, approval, actionId } = await waitingRun(h, caseId);
    expect(approval).toMatchObject({ requiredRole: 'RESPONDER', requiredCount: 2, status: 'PENDING', expiresAt: new Date(T0 + 30 * 60_000).toISOString(), action: { kind: 'ISOLATE_HOST', target: 'web-01', status: 'PENDING_APPROVAL' }, run: { status: 'WAITING_APPROVAL' }, step: { name: 'isolate[web-01]', status: 'WAITING_APPROVAL' } });

    const analyst = await h.ok(APPROVE, { id: actionId }, h.tokens.ANALYST);
    expect(analyst.approveAction).toMatchObject({ __typename: 'ApprovalRoleError', requiredRole: 'RESPONDER' });
    const first = await h.ok(APPROVE, { id: actionId, comment: 'web-01 is beaconing' }, h.tokens.RESPONDER);
    expect(first.approveAction).toMatchObject({ __typename: 'ApproveActionSuccess', approval: { status: 'PENDING', approvals: 1 }, action: { status: 'PENDING_APPROVAL' } });
    const again = await h.ok(APPROVE, { id: actionId }, h.tokens.RESPONDER);
    expect(again.approveAction).toEqual({ __typename: 'ConflictError', message: `test RESPONDER already decided on action ${actionId}: each person counts once` });
    const second = await h.ok(APPROVE, { id: actionId }, h.tokens.ADMIN);
    expect(second.approveAction.approval).toMatchObject({ status: 'APPROVED', approvals: 2, decisions: [{ actor: 'test RESPONDER', decision: 'APPROVE', comment: 'web-01 is beaconing' }, { actor: 'test ADMIN', decision: 'APPROVE', comment: null }] });
    await h.services.runs.idle();

    const run = await h.ok(`query($id: ID!) { node(id: $id) { ... on PlaybookRun { status steps { name status } actions { kind status target } } } }`, { id: runId });
    expect(run.node).toEqual({
      status: 'COMPLETED',
      steps: [
        { name: 'isolate[web-01]', status: 'COMPLETED' },
        { name: 'follow-up', status: 'COMPLETED' },
      ],
      actions: [
        { kind: 'ISOLATE_HOST', status: 'EXECUTED', target: 'web-01' },
        { kind: 'CREATE_TASK', status: 'EXECUTED', target: caseId },
      ],
    });
    expect(auditOf(h, 'Action').filter((a) => a.entityId === actionId).map((a) => [a.actor, a.action])).toEqual([
      ['on-call RESPONDER', 'action.request'],
      ['on-call RESPONDER', 'approval.request'],
      ['test RESPONDER', 'approval.approve'],
      ['test ADMIN', 'approval.approve'],
      ['test ADMIN', 'action.approve'],
      ['on-call RESPONDER', 'action.execute'],
    ]);
    expect(outbox(h, 'approval.requested')).toHaveLength(1);
  });

  it('applies the default outcome at expiry, and a rejection rejects; both are streamed to approvalEvents', async () => {
    box = sandbox({ 'off.yaml': BRUTE_FORCE_OFF, 'contain.yaml': CONTAIN });
    h = harnessFor(box);
    const caseId = await bruteForceCase(h);
    const expiring = await waitingRun(h, caseId);
    await h.ok(APPROVE, { id: expiring.actionId }, h.tokens.RESPONDER);
    h.clock.advance(30 * 60_000);
    expect(h.services.runs.sweep()).toMatchObject({ expired: 1 });
    await h.services.runs.idle();
    const late = await h.ok(APPROVE, { id: expiring.actionId }, h.tokens.ADMIN);
    expect(late.approveAction).toEqual({ __typename: 'ConflictError', message: `the approval of action ${expiring.actionId} is already EXPIRED` });
    const expired = await h.ok(`query($id: ID!) { approval(actionId: $id) { status decisions { actor decision } action { status reason } step { status error } run { status error } } }`, { id: expiring.actionId });
    expect(expired.approval).toMatchObject({
      status: 'EXPIRED',
      decisions: [{ actor: 'test RESPONDER', decision: 'APPROVE' }, { actor: 'system:approval-expiry', decision: 'REJECT' }],
      action: { status: 'EXPIRED' },
      step: { status: 'REJECTED', error: expect.stringMatching(/^the approval expired at 2026-11-23T04:30:00\.000Z without 2 approval\(s\); its default outcome is REJECT$/) },
      // onError: continue: the follow-up task still happens.
      run: { status: 'COMPLETED', error: 'completed; isolate[web-01] REJECTED (onError went on)' },
    });

    const rejecting = await waitingRun(h, caseId);
    const events = await sse(h, `subscription { approvalEvents { change approval { actionId status } } }`, 2, async () => {
      const rejected = await h!.ok(REJECT, { id: rejecting.actionId, comment: 'wrong host' }, h!.tokens.RESPONDER);
      expect(rejected.rejectAction).toEqual({ __typename: 'RejectActionSuccess', approval: { status: 'REJECTED' }, action: { status: 'REJECTED', reason: 'rejected by test RESPONDER: wrong host' } });
    });
    expect(events).toEqual([
      { change: 'REQUESTED', approval: { actionId: rejecting.actionId, status: 'PENDING' } },
      { change: 'REJECTED', approval: { actionId: rejecting.actionId, status: 'REJECTED' } },
    ]);
    await h.services.runs.idle();
    expect(h.services.runs.stepsOf(rejecting.runId).map((s) => [s.status, s.error])).toEqual([
      ['REJECTED', 'rejected by test RESPONDER: wrong host'],
      ['COMPLETED', null],
    ]);
    expect(h.services.actions.ofRun(rejecting.runId).find((a) => a.kind === 'ISOLATE_HOST')?.status).toBe('REJECTED');
  });
});

describe('who may approve', () => {
  it('refuses the approval of the person who started the run, and tells approvers apart by key, not by name', async () => {
    box = sandbox({ 'off.yaml': BRUTE_FORCE_OFF, 'contain.yaml': CONTAIN });
    h = harnessFor(box);
    const caseId = await bruteForceCase(h);
    // Three keys with one name: three people.
    const starter = extraKey(h, 'twin', 'RESPONDER');
    const second = extraKey(h, 'twin', 'RESPONDER');
    const third = extraKey(h, 'twin', 'ADMIN');
    const { runId, actionId } = await waitingRun(h, caseId, starter.token);

    const own = await h.ok(APPROVE, { id: actionId }, starter.token);
    expect(own.approveAction).toEqual({ __typename: 'ConflictError', message: 'you requested this action (you started its playbook run); someone else must approve it' });
    const first = await h.ok(APPROVE, { id: actionId }, second.token);
    expect(first.approveAction).toMatchObject({ __typename: 'ApproveActionSuccess', approval: { status: 'PENDING', approvals: 1 } });
    const again = await h.ok(APPROVE, { id: actionId }, second.token);
    expect(again.approveAction).toEqual({ __typename: 'ConflictError', message: `twin already decided on action ${actionId}: each person counts once` });
    const last = await h.ok(APPROVE, { id: actionId }, third.token);
    expect(last.approveAction).toMatchObject({ __typename: 'ApproveActionSuccess', approval: { status: 'APPROVED', approvals: 2 }, action: { status: expect.stringMatching(/^(PLANNED|EXECUTED)$/) } });
    const stored = JSON.parse(h.services.runs.approvalOf(actionId)!.decisions);
    expect(stored.map((d: any) => [d.actor, d.actorId])).toEqual([
      ['twin', second.id],
      ['twin', third.id],
    ]);
    await h.services.runs.idle();
    expect(h.services.runs.get(runId)?.status).toBe('COMPLETED');
    // The starter's principal id is kept for this check, not served with the run's variables.
    const { node } = await h.ok(`query($id: ID!) { node(id: $id) { ... on PlaybookRun { startedBy triggeredBy context } } }`, { id: runId });
    expect(node).toMatchObject({ startedBy: 'twin', triggeredBy: null });
    expect(Object.keys(node.context).sort()).toEqual(['alert', 'case', 'iocs', 'playbook', 'trigger']);
  });

  it('lets the person who started a run reject its action', async () => {
    box = sandbox({ 'off.yaml': BRUTE_FORCE_OFF, 'contain.yaml': CONTAIN });
    h = harnessFor(box);
    const caseId = await bruteForceCase(h);
    const starter = extraKey(h, 'starter', 'RESPONDER');
    const { actionId } = await waitingRun(h, caseId, starter.token);
    const rejected = await h.ok(REJECT, { id: actionId, comment: 'started it on the wrong case' }, starter.token);
    expect(rejected.rejectAction).toMatchObject({ __typename: 'RejectActionSuccess', approval: { status: 'REJECTED' } });
  });
});

describe('runs a person’s case edit sets off', () => {
  it('makes containment wait for a RESPONDER when an ANALYST’s edit starts it, and records who set the run off', async () => {
    box = sandbox({});
    // Every score is LOW with these thresholds: brute-force (minSeverity HIGH) does not run on its own.
    h = harnessFor(box, { VIGIL_RISK_THRESHOLDS: '97,98,99' });
    const caseId = await bruteForceCase(h);
    await h.services.runs.idle();
    const { case: before } = await h.ok(`query($id: ID!) { case(id: $id) { version severity playbookRuns { id } } }`, { id: caseId });
    expect(before).toMatchObject({ severity: 'LOW', playbookRuns: [] });

    const raised = await h.ok(`mutation($id: ID!, $v: Int!) { updateCase(id: $id, expectedVersion: $v, input: { severity: HIGH }) { __typename } }`, { id: caseId, v: before.version }, h.tokens.ANALYST);
    expect(raised.updateCase.__typename).toBe('UpdateCaseSuccess');
    await h.services.runs.idle();

    const waiting = (await h.ok(CASE_RUNS, { id: caseId })).case.playbookRuns;
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ playbook: 'brute-force', trigger: 'CASE_UPDATED', status: 'WAITING_APPROVAL', startedBy: 'playbook:brute-force', triggeredBy: 'test ANALYST' });
    expect(waiting[0].steps[0]).toMatchObject({ name: 'block-source[185.22.13.9]', status: 'WAITING_APPROVAL' });
    expect(waiting[0].actions).toEqual([expect.objectContaining({ kind: 'BLOCK_IP', target: '185.22.13.9', status: 'PENDING_APPROVAL' })]);
    const block = waiting[0].actions[0];
    const { approval } = await h.ok(`query($id: ID!) { approval(actionId: $id) { requiredRole requiredCount defaultOutcome status } }`, { id: block.id });
    expect(approval).toEqual({ requiredRole: 'RESPONDER', requiredCount: 1, defaultOutcome: 'REJECT', status: 'PENDING' });
    const created = h.services.database.sqlite.prepare(`SELECT actor, after FROM audit_log WHERE entity_type = 'PlaybookRun' AND action = 'playbook.run.create'`).get() as { actor: string; after: string };
    expect(created.actor).toBe('playbook:brute-force');
    expect(JSON.parse(created.after)).toMatchObject({ trigger: 'CASE_UPDATED', triggeredBy: { actor: 'test ANALYST', change: 'UPDATED' }, sideEffectsNeedApproval: true });

    const byAnalyst = await h.ok(APPROVE, { id: block.id }, h.tokens.ANALYST);
    expect(byAnalyst.approveAction).toMatchObject({ __typename: 'ApprovalRoleError', requiredRole: 'RESPONDER' });
    const byResponder = await h.ok(APPROVE, { id: block.id }, h.tokens.RESPONDER);
    expect(byResponder.approveAction.approval).toMatchObject({ status: 'APPROVED' });
    await h.services.runs.idle();
    const done = (await h.ok(CASE_RUNS, { id: caseId })).case.playbookRuns[0];
    expect(done.status).toBe('COMPLETED');
    expect(done.actions.find((a: any) => a.kind === 'BLOCK_IP')).toMatchObject({ status: 'EXECUTED', requestedBy: 'playbook:brute-force' });
    // Only the side effect outside Vigil waited: tasks and the notification were not gated.
    expect(done.steps.map((s: any) => s.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
  });
});

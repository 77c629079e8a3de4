import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from '../helpers/harness.js';
import { request, withCase } from '../engine/respond/actions-helpers.js';

let h: Harness;
afterEach(async () => h?.close());

const LIST = `query($filter: ActionFilter, $first: Int, $after: String) {
  actions(filter: $filter, first: $first, after: $after) {
    edges { node { id kind target status dryRun ready executor reason params artifact revertAt revertedAt requestedBy runId case { number } revertOf { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const REVERT = `mutation($id: ID!) {
  revertAction(id: $id) {
    __typename
    ... on RevertActionSuccess { action { id status revertedAt } revert { id kind status target executor revertOf { id } requestedBy } }
    ... on Error { message }
  }
}`;

describe('actions over GraphQL', () => {
  it('lists actions newest first, filters them, pages, and shows them on their case and by node id', async () => {
    let caseId: string;
    ({ h, caseId } = await withCase());
    const block = await h.services.actions.execute(request(h, 'BLOCK_IP', { ip: '185.22.13.9' }, { caseId }).id);
    const refused = request(h, 'BLOCK_IP', { ip: '10.0.0.8' }, { caseId });
    const plan = request(h, 'ISOLATE_HOST', { host: 'web-01' }, { caseId, dryRun: true });
    const task = await h.services.actions.execute(request(h, 'CREATE_TASK', { title: 'Check auth logs' }, { caseId }).id);

    const all = await h.ok(LIST, {}, h.tokens.VIEWER);
    expect(all.actions.edges.map((e: any) => e.node.id)).toEqual([task.id, plan.id, refused.id, block.id]);
    const node = all.actions.edges.find((e: any) => e.node.id === block.id).node;
    expect(node).toMatchObject({ kind: 'BLOCK_IP', target: '185.22.13.9', status: 'EXECUTED', executor: 'simulated', ready: false, params: { ip: '185.22.13.9', ttl: 86_400_000 }, case: { number: 1 }, requestedBy: 'alice', revertOf: null });
    expect(node.artifact.plan.commands.nft).toBe('nft add element inet filter vigil_blocklist { 185.22.13.9 timeout 24h }');
    expect(node.revertAt).toBe(new Date(block.revertAt!).toISOString());

    const refusedOnly = await h.ok(LIST, { filter: { status: ['REFUSED'] } });
    expect(refusedOnly.actions.edges.map((e: any) => e.node)).toEqual([expect.objectContaining({ id: refused.id, reason: '10.0.0.8 is in a private range (private); never blocked' })]);
    const plans = await h.ok(LIST, { filter: { dryRun: true, kind: ['ISOLATE_HOST'] } });
    expect(plans.actions.edges.map((e: any) => e.node.id)).toEqual([plan.id]);
    const byTarget = await h.ok(LIST, { filter: { target: '185.22.13.9', caseId } });
    expect(byTarget.actions.edges.map((e: any) => e.node.id)).toEqual([block.id]);
    const page1 = await h.ok(LIST, { first: 2 });
    const page2 = await h.ok(LIST, { first: 2, after: page1.actions.pageInfo.endCursor });
    expect([...page1.actions.edges, ...page2.actions.edges].map((e: any) => e.node.id)).toEqual([task.id, plan.id, refused.id, block.id]);

    const onCase = await h.ok(`query($id: ID!) { case(id: $id) { actions { id kind } } }`, { id: caseId });
    expect(onCase.case.actions.map((a: any) => a.id)).toEqual([block.id, refused.id, plan.id, task.id]);
    const byNode = await h.ok(`query($id: ID!) { node(id: $id) { ... on Action { kind status } } }`, { id: block.id });
    expect(byNode.node).toEqual({ kind: 'BLOCK_IP', status: 'EXECUTED' });
  });

  it('revertAction needs RESPONDER, undoes a block through the same executor, and refuses what is not in force', async () => {
    let caseId: string;
    ({ h, caseId } = await withCase());
    const block = await h.services.actions.execute(request(h, 'BLOCK_IP', { ip: '185.22.13.9' }, { caseId }).id);
    for (const role of ['VIEWER', 'ANALYST'] as const) {
      const denied = await h.gql(REVERT, { id: block.id }, h.tokens[role]);
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(denied.errors?.[0]?.message).toMatch(/^Forbidden: Mutation.revertAction needs a more powerful role than/);
    }
    expect(h.services.actions.get(block.id)!.status).toBe('EXECUTED');

    const done = await h.ok(REVERT, { id: block.id }, h.tokens.RESPONDER);
    expect(done.revertAction).toMatchObject({
      __typename: 'RevertActionSuccess',
      action: { id: block.id, status: 'REVERTED' },
      revert: { kind: 'UNBLOCK_IP', status: 'EXECUTED', target: '185.22.13.9', executor: 'simulated', revertOf: { id: block.id }, requestedBy: 'test RESPONDER' },
    });
    const again = await h.ok(REVERT, { id: block.id }, h.tokens.RESPONDER);
    expect(again.revertAction).toEqual({ __typename: 'ConflictError', message: `${block.id} is REVERTED; only an EXECUTED block or isolation that is still in force can be reverted` });
    const task = await h.services.actions.execute(request(h, 'CREATE_TASK', { title: 'x' }, { caseId }).id);
    expect((await h.ok(REVERT, { id: task.id }, h.tokens.ADMIN)).revertAction.message).toBe(`only BLOCK_IP and ISOLATE_HOST actions can be reverted; ${task.id} is CREATE_TASK`);
    expect((await h.ok(REVERT, { id: 'act_missing' }, h.tokens.ADMIN)).revertAction).toEqual({ __typename: 'NotFoundError', message: 'no action with id act_missing' });

    // The revert is audited under the responder's name.
    const audit = h.services.database.sqlite.prepare("SELECT actor, action FROM audit_log WHERE entity_type = 'Action' AND entity_id = ? ORDER BY created_at, id").all(block.id);
    expect(audit).toContainEqual({ actor: 'test RESPONDER', action: 'action.revert' });
  });

  it('actionEvents replays the actions of a case as CURRENT, then delivers changes live', async () => {
    let caseId: string;
    ({ h, caseId } = await withCase());
    const first = request(h, 'BLOCK_IP', { ip: '185.22.13.9' }, { caseId });
    const response = await h.app.yoga.fetch('http://vigil.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${h.tokens.VIEWER}` },
      body: JSON.stringify({ query: `subscription($f: ActionFilter) { actionEvents(filter: $f) { change action { id status } } }`, variables: { f: { caseId, kind: ['BLOCK_IP'] } } }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextEvent = async (): Promise<any> => {
      for (;;) {
        const match = /data: (.*)\n\n/.exec(buffer);
        if (match) {
          buffer = buffer.slice(match.index + match[0].length);
          return JSON.parse(match[1]!).data.actionEvents;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    expect(await nextEvent()).toEqual({ change: 'CURRENT', action: { id: first.id, status: 'PLANNED' } });
    await h.services.actions.execute(request(h, 'CREATE_TASK', { title: 'not a block' }, { caseId }).id);
    await h.services.actions.execute(first.id);
    expect(await nextEvent()).toEqual({ change: 'EXECUTED', action: { id: first.id, status: 'EXECUTED' } });
    await reader.cancel();
  });
});

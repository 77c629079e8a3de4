import { afterEach, describe, expect, it } from 'vitest';
import { notifyHarness, openCase, type NotifyTestbed } from '../engine/notify/setup.js';

let bed: NotifyTestbed | undefined;
afterEach(async () => {
  await bed?.cleanup();
  bed = undefined;
});

const SECRET = 'do-not-show-this-secret-ever';
const config = (dir: string) => ({
  channels: [
    { type: 'file', name: 'outbox', directory: `${dir}/outbox` },
    { type: 'webhook', name: 'soc-hook', url: 'http://127.0.0.1:9/hook-with-token-in-path', secret: SECRET },
  ],
  routes: [
    // Not `*`: the playbook that runs on a HIGH case sends events of its own, which these tests do not count.
    { events: ['case.created', 'ops.check'], channels: ['outbox'] },
    { events: ['case.created', 'case.status'], minSeverity: 'HIGH', channels: ['soc-hook'] },
  ],
});

const LIST = `query($filter: NotificationFilter, $first: Int) {
  notifications(filter: $filter, first: $first) {
    edges { node { id channel event severity status attempts nextAttemptAt lastError createdAt deliveredAt idempotencyKey payload case { id number } } }
    pageInfo { hasNextPage }
  }
}`;

describe('notifications API', () => {
  it('lists notifications with their delivery status, filters them, and shows them on their case', async () => {
    bed = notifyHarness(config);
    const { h } = bed;
    const c = await openCase(h);
    h.services.notify({ event: 'ops.check', title: 'a check', text: 'all good' });
    await h.services.notifications.deliverer.deliverDue();

    const all = await h.ok(LIST);
    expect(all.notifications.edges.map((e: any) => [e.node.channel, e.node.event])).toEqual([
      ['outbox', 'ops.check'],
      ['soc-hook', 'case.created'],
      ['outbox', 'case.created'],
    ]);
    const hook = all.notifications.edges[1].node;
    expect(hook).toMatchObject({ status: 'PENDING', attempts: 1, severity: 'HIGH', case: { id: c.id, number: c.number }, deliveredAt: null });
    expect(hook.lastError).toMatch(/^network error: /);
    expect(hook.payload).toMatchObject({ title: `Case #${c.number} opened (HIGH): ${c.title}`, facts: { status: 'NEW' } });
    expect(all.notifications.edges[2].node).toMatchObject({ status: 'DELIVERED', attempts: 1, deliveredAt: new Date(h.clock()).toISOString() });

    const delivered = await h.ok(LIST, { filter: { status: 'DELIVERED' } });
    expect(delivered.notifications.edges).toHaveLength(2);
    const byChannel = await h.ok(LIST, { filter: { channel: 'soc-hook', event: 'case.created', caseId: c.id } });
    expect(byChannel.notifications.edges.map((e: any) => e.node.id)).toEqual([hook.id]);
    const paged = await h.ok(LIST, { first: 1 });
    expect(paged.notifications.pageInfo.hasNextPage).toBe(true);

    const onCase = await h.ok(`query($id: ID!) { case(id: $id) { notifications(filter: { channel: "outbox" }) { edges { node { event channel } } } } node(id: "${hook.id}") { ... on Notification { channel } } }`, { id: c.id });
    expect(onCase.case.notifications.edges.map((e: any) => e.node)).toEqual([{ event: 'case.created', channel: 'outbox' }]);
    expect(onCase.node).toEqual({ channel: 'soc-hook' });
  });

  it('shows channels and routes but never their URLs or secrets', async () => {
    bed = notifyHarness(config);
    const result = await bed.h.gql(`{ notificationChannels { name type routes { events minSeverity channels } } }`, undefined, bed.h.tokens.VIEWER);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      notificationChannels: [
        { name: 'outbox', type: 'file', routes: [{ events: ['case.created', 'ops.check'], minSeverity: null, channels: ['outbox'] }] },
        { name: 'soc-hook', type: 'webhook', routes: [{ events: ['case.created', 'case.status'], minSeverity: 'HIGH', channels: ['soc-hook'] }] },
      ],
    });
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(JSON.stringify(result)).not.toContain('hook-with-token-in-path');
  });

  it('redeliverNotification needs RESPONDER, and answers NotFound, Conflict (still PENDING) and Validation as union members', async () => {
    bed = notifyHarness(null);
    const { h } = bed;
    const [id] = h.services.notify({ event: 'case.created', severity: 'LOW', title: 't', text: 't' });
    const REDELIVER = `mutation($id: ID!) { redeliverNotification(id: $id) { __typename ... on Error { message } ... on RedeliverNotificationSuccess { notification { status attempts } } } }`;
    const forbidden = await h.gql(REDELIVER, { id }, h.tokens.ANALYST);
    expect(forbidden.errors?.[0]?.message).toMatch(/^Forbidden: Mutation\.redeliverNotification/);
    const pending = await h.ok(REDELIVER, { id }, h.tokens.RESPONDER);
    expect(pending.redeliverNotification).toMatchObject({ __typename: 'ConflictError' });
    expect(pending.redeliverNotification.message).toMatch(/is PENDING already/);
    const missing = await h.ok(REDELIVER, { id: 'ntf_01m838z2g0hsgfhn7ptvkjt7ha' }, h.tokens.RESPONDER);
    expect(missing.redeliverNotification).toEqual({ __typename: 'NotFoundError', message: 'no notification with id ntf_01m838z2g0hsgfhn7ptvkjt7ha' });
    const invalid = await h.ok(REDELIVER, { id: 'cas_01m838z2g0hsgfhn7ptvkjt7ha' }, h.tokens.RESPONDER);
    expect(invalid.redeliverNotification.__typename).toBe('ValidationError');

    await h.services.notifications.deliverer.deliverDue();
    const again = await h.ok(REDELIVER, { id }, h.tokens.RESPONDER);
    expect(again.redeliverNotification).toEqual({ __typename: 'RedeliverNotificationSuccess', notification: { status: 'PENDING', attempts: 0 } });
    expect(await h.services.notifications.deliverer.deliverDue()).toEqual({ delivered: 1, retried: 0, dead: 0 });
  });
});

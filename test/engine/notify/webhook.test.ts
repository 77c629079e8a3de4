import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { notifyHarness, openCase, type NotifyTestbed } from './setup.js';
import { startReceiver, type Receiver } from './receiver.js';

const SECRET = 'webhook-secret-0123456789';
let bed: NotifyTestbed | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await bed?.cleanup();
  await receiver?.close();
  bed = receiver = undefined;
});

/** What a receiver must do: recompute the HMAC of the raw body and compare in constant time. */
function validSignature(body: string, header: string | string[] | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
  const got = Buffer.from(String(header ?? ''));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

function webhookConfig(url: string, extra: Record<string, unknown> = {}) {
  return {
    channels: [{ type: 'webhook', name: 'soc-hook', url: `${url}/hooks/vigil`, secret: { env: 'TEST_HOOK_SECRET' }, ...extra }],
    // Only case.created: playbooks that run on the case send other events, which these tests do not count.
    routes: [{ events: ['case.created'], channels: ['soc-hook'] }],
  };
}

describe('webhook delivery', () => {
  it('retries a receiver that fails three times with exponential backoff, then delivers once with a valid signature', async () => {
    // The receiver dedupes on Idempotency-Key, as the documentation asks receivers to.
    const accepted = new Map<string, string>();
    receiver = await startReceiver((n, request) => {
      if (n <= 3) return 503;
      accepted.set(String(request.headers['idempotency-key']), request.body);
      return 200;
    });
    bed = notifyHarness(webhookConfig(receiver.url), { TEST_HOOK_SECRET: SECRET, VIGIL_NOTIFY_BACKOFF_MS: '1000', VIGIL_NOTIFY_MAX_ATTEMPTS: '5' });
    const { h } = bed;
    const c = await openCase(h);
    const [row] = h.services.notifications.store.list({ channel: 'soc-hook' }, { limit: 10, inverted: false });
    expect(row).toMatchObject({ event: 'case.created', severity: c.severity, caseId: c.id, status: 'PENDING', attempts: 0 });

    const deliverer = h.services.notifications.deliverer;
    expect(await deliverer.deliverDue()).toEqual({ delivered: 0, retried: 1, dead: 0 });
    // Not due again until the backoff has passed: 1s, then 2s, then 4s.
    for (const wait of [1000, 2000, 4000]) {
      const before = receiver.requests.length;
      h.clock.advance(wait - 1);
      await deliverer.deliverDue();
      expect(receiver.requests.length).toBe(before);
      h.clock.advance(1);
      await deliverer.deliverDue();
      expect(receiver.requests.length).toBe(before + 1);
    }
    expect(receiver.requests).toHaveLength(4);
    expect(accepted.size).toBe(1);

    const stored = h.services.notifications.get(row!.id)!;
    expect(stored).toMatchObject({ status: 'DELIVERED', attempts: 4, deliveredAt: h.clock() });
    expect(stored.lastError).toMatch(/^HTTP 503/);
    // Nothing more is sent once it is delivered.
    h.clock.advance(3_600_000);
    await deliverer.deliverDue();
    expect(receiver.requests).toHaveLength(4);

    for (const request of receiver.requests) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/hooks/vigil');
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(validSignature(request.body, request.headers['x-vigil-signature'])).toBe(true);
      expect(request.headers['idempotency-key']).toBe(row!.idempotencyKey);
      expect(Number(request.headers['x-vigil-timestamp'])).toBeGreaterThan(1_700_000_000);
    }
    // Every attempt carried the same body: a retry is the same message.
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    const body = JSON.parse(receiver.requests[3]!.body);
    expect(body).toMatchObject({ id: row!.id, idempotencyKey: row!.idempotencyKey, event: 'case.created', caseId: c.id, severity: c.severity });
    expect(body.title).toContain(`Case #${c.number} opened`);
    expect(receiver.requests.map((r) => r.headers['x-vigil-delivery-attempt'])).toEqual(['1', '2', '3', '4']);
    // A tampered body fails verification.
    expect(validSignature(receiver.requests[3]!.body.replace('case.created', 'case.closed'), receiver.requests[3]!.headers['x-vigil-signature'])).toBe(false);
  });

  it('marks a notification DEAD after the last attempt, and redeliverNotification delivers it', async () => {
    let failing = true;
    receiver = await startReceiver(() => (failing ? 500 : 204));
    bed = notifyHarness(webhookConfig(receiver.url), { TEST_HOOK_SECRET: SECRET, VIGIL_NOTIFY_MAX_ATTEMPTS: '3', VIGIL_NOTIFY_BACKOFF_MS: '1000', VIGIL_NOTIFY_BACKOFF_MAX_MS: '1500' });
    const { h } = bed;
    await openCase(h);
    const deliverer = h.services.notifications.deliverer;
    const [row] = h.services.notifications.store.list({}, { limit: 1, inverted: false });
    const reports = [];
    for (let i = 0; i < 3; i++) {
      reports.push(await deliverer.deliverDue());
      h.clock.advance(1500); // the cap: 1s, then min(2s, 1.5s)
    }
    expect(reports).toEqual([
      { delivered: 0, retried: 1, dead: 0 },
      { delivered: 0, retried: 1, dead: 0 },
      { delivered: 0, retried: 0, dead: 1 },
    ]);
    const dead = h.services.notifications.get(row!.id)!;
    expect(dead).toMatchObject({ status: 'DEAD', attempts: 3, deliveredAt: null });
    expect(dead.lastError).toMatch(/^HTTP 500/);
    h.clock.advance(86_400_000);
    expect(await deliverer.deliverDue()).toEqual({ delivered: 0, retried: 0, dead: 0 });

    failing = false;
    const result = await h.ok(
      `mutation($id: ID!) { redeliverNotification(id: $id) { __typename ... on RedeliverNotificationSuccess { notification { id status attempts } } } }`,
      { id: row!.id },
      h.tokens.RESPONDER,
    );
    expect(result.redeliverNotification).toEqual({ __typename: 'RedeliverNotificationSuccess', notification: { id: row!.id, status: 'PENDING', attempts: 0 } });
    expect(await deliverer.deliverDue()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(h.services.notifications.get(row!.id)).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    expect(receiver.requests).toHaveLength(4);
    expect(new Set(receiver.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set([row!.idempotencyKey]));
    const audit = h.services.database.sqlite.prepare(`SELECT actor, action, before, after FROM audit_log WHERE entity_id = ?`).all(row!.id) as any[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'test RESPONDER', action: 'notification.redeliver' });
    expect(JSON.parse(audit[0].before)).toMatchObject({ status: 'DEAD', attempts: 3 });
  });

  it('claims rows: two delivery rounds at once deliver a notification once', async () => {
    receiver = await startReceiver(() => 200);
    bed = notifyHarness(webhookConfig(receiver.url), { TEST_HOOK_SECRET: SECRET });
    const { h } = bed;
    await openCase(h);
    const deliverer = h.services.notifications.deliverer;
    const [a, b] = await Promise.all([deliverer.deliverDue(), deliverer.deliverDue()]);
    expect(a.delivered + b.delivered).toBe(1);
    expect(receiver.requests).toHaveLength(1);
  });

  it('honours Retry-After when it asks for longer than the backoff, and never stores the URL or secret in errors', async () => {
    receiver = await startReceiver((n) => (n === 1 ? { status: 429, headers: { 'retry-after': '30' }, body: `slow down ${SECRET}` } : 200));
    bed = notifyHarness(webhookConfig(receiver.url), { TEST_HOOK_SECRET: SECRET });
    const { h } = bed;
    await openCase(h);
    const deliverer = h.services.notifications.deliverer;
    await deliverer.deliverDue();
    const [row] = h.services.notifications.store.list({}, { limit: 1, inverted: false });
    expect(row!.nextAttemptAt).toBe(h.clock() + 30_000);
    expect(row!.lastError).toBe('HTTP 429: slow down ***');
    h.clock.advance(29_999);
    await deliverer.deliverDue();
    expect(receiver.requests).toHaveLength(1);
    h.clock.advance(1);
    expect(await deliverer.deliverDue()).toMatchObject({ delivered: 1 });
  });

  it('refuses redirects: only the configured URL is called', async () => {
    const elsewhere = await startReceiver(() => 200);
    receiver = await startReceiver(() => ({ status: 302, headers: { location: `${elsewhere.url}/steal` } }));
    bed = notifyHarness(webhookConfig(receiver.url), { TEST_HOOK_SECRET: SECRET });
    await openCase(bed.h);
    expect(await bed.h.services.notifications.deliverer.deliverDue()).toMatchObject({ retried: 1 });
    expect(elsewhere.requests).toHaveLength(0);
    const [row] = bed.h.services.notifications.store.list({}, { limit: 1, inverted: false });
    expect(row!.lastError).toMatch(/^HTTP 302 \(redirects are not followed\)/);
    await elsewhere.close();
  });
});

describe('delivery timeout', () => {
  it('gives up on a receiver that does not answer within the timeout and retries later', async () => {
    receiver = await startReceiver(() => null);
    bed = notifyHarness(webhookConfig(receiver.url), { TEST_HOOK_SECRET: SECRET, VIGIL_NOTIFY_TIMEOUT_MS: '200' });
    bed.h.services.notify({ event: 'case.created', severity: 'HIGH', title: 't', text: 't' });
    expect(await bed.h.services.notifications.deliverer.deliverDue()).toEqual({ delivered: 0, retried: 1, dead: 0 });
    const [row] = bed.h.services.notifications.store.list({}, { limit: 1, inverted: false });
    expect(row).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'timed out', nextAttemptAt: bed.h.clock() + 1000 });
  });
});

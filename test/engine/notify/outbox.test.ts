import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventMatches, selectChannels, severityReaches } from '../../../src/engine/notify/routing.js';
import { transactionsOf } from '../../../src/store/transactions.js';
import { notifyHarness, openCase, type NotifyTestbed } from './setup.js';
import { startReceiver, type Receiver } from './receiver.js';

let bed: NotifyTestbed | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await bed?.cleanup();
  await receiver?.close();
  bed = receiver = undefined;
});

const rows = (bed: NotifyTestbed) => bed.h.services.notifications.store.list({}, { limit: 100, inverted: true });
/** Case notifications only: the playbook that runs on a HIGH case sends action and playbook events of its own. */
const caseRows = (bed: NotifyTestbed) => rows(bed).filter((r) => r.event.startsWith('case.'));
const three = (dir: string) => ({
  channels: [
    { type: 'file', name: 'all', directory: join(dir, 'all') },
    { type: 'file', name: 'urgent', directory: join(dir, 'urgent') },
    { type: 'file', name: 'actions', directory: join(dir, 'actions') },
  ],
  routes: [
    { events: ['*'], channels: ['all'] },
    { events: ['case.*'], minSeverity: 'HIGH', channels: ['urgent'] },
    { events: ['action.executed', 'approval.requested'], channels: ['actions', 'urgent'] },
  ],
});

describe('routing', () => {
  it('matches events by exact name, prefix.* or *, and severities by minimum', () => {
    expect(eventMatches('*', 'case.created')).toBe(true);
    expect(eventMatches('case.*', 'case.status')).toBe(true);
    expect(eventMatches('case.*', 'cases.status')).toBe(false);
    expect(eventMatches('case.*', 'case')).toBe(false);
    expect(eventMatches('case.created', 'case.created')).toBe(true);
    expect(eventMatches('case.created', 'case.created.extra')).toBe(false);
    expect(severityReaches('CRITICAL', 'HIGH')).toBe(true);
    expect(severityReaches('high', 'HIGH')).toBe(true);
    expect(severityReaches('MEDIUM', 'HIGH')).toBe(false);
    expect(severityReaches(null, 'LOW')).toBe(false);
    expect(severityReaches(null, null)).toBe(true);
    const routes = three('/x').routes.map((r) => ({ events: r.events, minSeverity: (r.minSeverity ?? null) as never, channels: r.channels }));
    expect(selectChannels(routes, 'case.created', 'MEDIUM')).toEqual(['all']);
    expect(selectChannels(routes, 'case.created', 'CRITICAL')).toEqual(['all', 'urgent']);
    expect(selectChannels(routes, 'action.executed', null)).toEqual(['all', 'actions', 'urgent']);
  });

  it('writes one PENDING row per selected channel, due now, with its own idempotency key', async () => {
    bed = notifyHarness(three(mkdtempSync(join(tmpdir(), 'vigil-route-'))));
    const { h } = bed;
    const ids = h.services.notify({ event: 'action.executed', severity: 'low', title: 'Blocked 185.22.13.9', text: 'nft add element inet vigil blocklist { 185.22.13.9 timeout 24h }', facts: { kind: 'BLOCK_IP' } });
    expect(ids).toHaveLength(3);
    expect(rows(bed).map((r) => [r.channel, r.event, r.severity, r.status, r.attempts, r.nextAttemptAt])).toEqual([
      ['all', 'action.executed', 'LOW', 'PENDING', 0, h.clock()],
      ['actions', 'action.executed', 'LOW', 'PENDING', 0, h.clock()],
      ['urgent', 'action.executed', 'LOW', 'PENDING', 0, h.clock()],
    ]);
    expect(new Set(rows(bed).map((r) => r.idempotencyKey)).size).toBe(3);
    expect(JSON.parse(rows(bed)[0]!.payload)).toEqual({ title: 'Blocked 185.22.13.9', text: 'nft add element inet vigil blocklist { 185.22.13.9 timeout 24h }', facts: { kind: 'BLOCK_IP' } });
    expect(h.services.notify({ event: 'case.status', severity: 'LOW', title: 't', text: 't' })).toHaveLength(1);
    expect(() => h.services.notify({ event: 'Bad Event!', title: 't', text: 't' })).toThrow(/not a notification event name/);
  });
});

describe('the transactional outbox', () => {
  it('announces case changes in the same transaction, and a rolled-back change leaves no notification', async () => {
    bed = notifyHarness(null);
    const { h } = bed;
    const c = await openCase(h);
    expect(caseRows(bed).map((r) => [r.event, r.caseId, r.severity])).toEqual([['case.created', c.id, 'HIGH']]);

    const tx = transactionsOf(h.services.database.sqlite);
    expect(() =>
      tx.run(() => {
        h.services.caseLifecycle.changeStatus(c.id, c.version, 'IN_PROGRESS', null, 'alice');
        // The outbox row exists inside the transaction...
        expect(h.services.notifications.store.list({ event: 'case.status' }, { limit: 10, inverted: false })).toHaveLength(1);
        throw new Error('something later in the same change failed');
      }),
    ).toThrow('something later');
    // ...and is gone with the change it described.
    expect(h.services.cases.get(c.id)!.status).toBe('NEW');
    expect(caseRows(bed).map((r) => r.event)).toEqual(['case.created']);

    const moved = h.services.caseLifecycle.changeStatus(c.id, c.version, 'IN_PROGRESS', null, 'alice', 'looking into it');
    h.services.caseLifecycle.assign(c.id, moved.version, 'bob', 'alice');
    const events = caseRows(bed).map((r) => r.event);
    expect(events).toEqual(['case.created', 'case.status', 'case.assigned']);
    const status = JSON.parse(caseRows(bed)[1]!.payload);
    expect(status.title).toBe(`Case #${c.number} NEW -> IN_PROGRESS: ${c.title}`);
    expect(status.facts).toMatchObject({ status: 'IN_PROGRESS', severity: 'HIGH' });
    // Tags and comments are not announced.
    h.services.caseLifecycle.addTags(c.id, undefined, ['triaged'], 'alice');
    expect(caseRows(bed)).toHaveLength(3);
  });

  it('a restart delivers what was left PENDING, and a delivery cut off by a crash is retried when its claim lapses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-restart-'));
    const db = join(dir, 'vigil.db');
    receiver = await startReceiver(() => 200);
    const config = { channels: [{ type: 'slack', name: 'slack', url: `${receiver.url}/s` }], routes: [{ channels: ['slack'] }] };
    const first = notifyHarness(config, {}, db);
    first.h.services.notify({ event: 'case.created', severity: 'HIGH', title: 'one', text: 'left pending by a stop' });
    first.h.services.notify({ event: 'case.created', severity: 'HIGH', title: 'two', text: 'claimed, then the process died' });
    // Simulate a crash mid-delivery: the second row is claimed and never settled.
    const [, second] = rows(first);
    expect(first.h.services.notifications.store.claim(second!.id, first.h.clock(), first.h.clock() + 70_000)).toBe(true);
    await first.h.close();

    bed = notifyHarness(config, {}, db);
    bed.h.clock.set(first.h.clock());
    expect(await bed.h.services.notifications.deliverer.deliverDue()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(receiver.requests.map((r) => JSON.parse(r.body).blocks[0].text.text)).toEqual(['one']);
    bed.h.clock.advance(70_000);
    expect(await bed.h.services.notifications.deliverer.deliverDue()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(rows(bed).map((r) => [r.status, r.attempts])).toEqual([
      ['DELIVERED', 1],
      ['DELIVERED', 2],
    ]);
    rmSync(first.dir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('a row for a channel that is no longer configured goes DEAD with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-gone-'));
    const db = join(dir, 'vigil.db');
    const first = notifyHarness((d) => ({ channels: [{ type: 'file', name: 'old', directory: join(d, 'old') }], routes: [{ channels: ['old'] }] }), {}, db);
    const [id] = first.h.services.notify({ event: 'case.created', title: 't', text: 't' });
    await first.cleanup();
    bed = notifyHarness(null, {}, db);
    expect(await bed.h.services.notifications.deliverer.deliverDue()).toEqual({ delivered: 0, retried: 0, dead: 1 });
    expect(bed.h.services.notifications.get(id!)).toMatchObject({ status: 'DEAD', attempts: 1, lastError: 'channel old is not configured (any more); restore it and redeliver' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('the started deliverer delivers new rows without being asked, and stop leaves an interrupted row PENDING', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-stop-'));
    const db = join(dir, 'vigil.db');
    receiver = await startReceiver((n) => (n === 1 ? 200 : null));
    const config = { channels: [{ type: 'teams', name: 'teams', url: `${receiver.url}/t` }], routes: [{ channels: ['teams'] }] };
    const first = notifyHarness(config, { VIGIL_NOTIFY_POLL_MS: '60000' }, db);
    await first.h.app.start(0, '127.0.0.1');
    const waitFor = async (what: () => boolean) => {
      const deadline = Date.now() + 5000;
      while (!what()) {
        if (Date.now() > deadline) throw new Error('timed out waiting');
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const [one] = first.h.services.notify({ event: 'case.created', severity: 'HIGH', title: 'wake up', text: 'committed, so the deliverer is kicked' });
    await waitFor(() => first.h.services.notifications.get(one!)!.status === 'DELIVERED');
    const [two] = first.h.services.notify({ event: 'case.created', severity: 'HIGH', title: 'hangs', text: 'the receiver never answers' });
    await waitFor(() => receiver!.requests.length === 2);
    await first.h.close();

    bed = notifyHarness(config, {}, db);
    expect(bed.h.services.notifications.get(two!)).toMatchObject({ status: 'PENDING', attempts: 0, lastError: null });
    rmSync(first.dir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });
});

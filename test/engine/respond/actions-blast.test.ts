/** The hourly blast radius when an action acts long after its request: approved late, or run late (finding 6). */
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from '../../helpers/harness.js';
import { artifact, auditOf, notificationsOf, request, withCase } from './actions-helpers.js';

let h: Harness;
afterEach(async () => h?.close());

const HOUR = 3_600_000;
const approval = { role: 'RESPONDER', count: 1, expiresInMs: 24 * HOUR, defaultOutcome: 'REJECT' as const };

describe('the hourly blast radius, checked again when an action is about to act', () => {
  it('refuses an approval that would push the last hour over the limit, with the reason', async () => {
    ({ h } = await withCase({ VIGIL_MAX_ACTIONS_PER_HOUR: '2' }));
    const waiting = request(h, 'ISOLATE_HOST', { host: 'laptop-9' }, { approval });
    expect(waiting.status).toBe('PENDING_APPROVAL');
    // Two hours later the request is out of the window, and two other containments fill the hour.
    h.clock.advance(2 * HOUR);
    for (const ip of ['185.220.101.1', '185.220.101.2']) expect((await h.services.actions.execute(request(h, 'BLOCK_IP', { ip }).id)).status).toBe('EXECUTED');
    const approved = h.services.actions.approve(waiting.id, 'bob');
    const reason = 'blast radius: 2 other containment actions were requested, approved or executed in the last hour, the most allowed (VIGIL_MAX_ACTIONS_PER_HOUR=2); refused when it was about to run';
    expect(approved).toMatchObject({ status: 'REFUSED', reason });
    expect(artifact(approved).refused).toBe(reason);
    await expect(h.services.actions.execute(waiting.id)).rejects.toThrow(`action ${waiting.id} was REFUSED (${reason}): it never runs`);
    expect(auditOf(h, waiting.id).map((a) => [a.actor, a.action])).toEqual([['alice', 'action.request'], ['bob', 'action.refuse']]);
    expect(notificationsOf(h, 'action.refused').map((n) => JSON.parse(n.payload).title)).toEqual(['ISOLATE_HOST laptop-9 refused']);
  });

  it('counts an action in the hour it was approved and executed, not only the hour it was requested', async () => {
    ({ h } = await withCase({ VIGIL_MAX_ACTIONS_PER_HOUR: '2' }));
    const waiting = request(h, 'DISABLE_USER', { user: 'mallory' }, { approval });
    h.clock.advance(2 * HOUR);
    const approved = h.services.actions.approve(waiting.id, 'bob');
    expect(approved.status).toBe('PLANNED');
    expect(artifact(approved).approvedAt).toBe(h.clock());
    expect((await h.services.actions.execute(waiting.id)).status).toBe('EXECUTED');
    // The approved action acted this hour: with one more, the hour is full.
    expect(request(h, 'BLOCK_IP', { ip: '185.220.101.1' }).status).toBe('PLANNED');
    expect(request(h, 'BLOCK_IP', { ip: '185.220.101.2' })).toMatchObject({ status: 'REFUSED', reason: expect.stringMatching(/^blast radius: 2 containment actions were taken in the last hour/) });
  });

  it('refuses a ready action executed long after its request when the hour is full by then', async () => {
    ({ h } = await withCase({ VIGIL_MAX_ACTIONS_PER_HOUR: '2' }));
    // Requested, then left unexecuted (a run stopped before its step ran, resumed much later).
    const late = request(h, 'BLOCK_IP', { ip: '185.220.101.9' });
    h.clock.advance(2 * HOUR);
    for (const ip of ['185.220.101.1', '185.220.101.2']) expect((await h.services.actions.execute(request(h, 'BLOCK_IP', { ip }).id)).status).toBe('EXECUTED');
    const refused = await h.services.actions.execute(late.id);
    expect(refused).toMatchObject({ status: 'REFUSED', reason: expect.stringMatching(/^blast radius: 2 other containment actions/) });
    expect(auditOf(h, late.id).map((a) => a.action)).toEqual(['action.request', 'action.refuse']);
    // Actions executed at once are never refused by the second look: the request already counted them.
    h.clock.advance(2 * HOUR);
    const a = request(h, 'BLOCK_IP', { ip: '185.220.101.3' });
    const b = request(h, 'BLOCK_IP', { ip: '185.220.101.4' });
    expect((await h.services.actions.execute(a.id)).status).toBe('EXECUTED');
    expect((await h.services.actions.execute(b.id)).status).toBe('EXECUTED');
  });
});

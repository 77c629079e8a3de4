import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../src/errors.js';
import type { Harness } from '../../helpers/harness.js';
import { artifact, auditOf, insertRun, notificationsOf, request, withCase } from './actions-helpers.js';

let h: Harness;
afterEach(async () => h?.close());

describe('safety rails', () => {
  it('refuses a private address, an organisation network, a protected host and VIP accounts, with the reason', async () => {
    let caseId: string;
    ({ h, caseId } = await withCase({ VIGIL_ORG_NETWORKS: '185.22.0.0/16,corp.example', VIGIL_PROTECTED_HOSTS: 'dc01,93.184.216.34', VIGIL_VIP_USERS: 'CORP\\ceo' }));
    const cases = [
      [request(h, 'BLOCK_IP', { ip: '10.1.2.3' }, { caseId }), '10.1.2.3 is in a private range (private); never blocked'],
      [request(h, 'BLOCK_IP', { ip: '127.0.0.1' }), '127.0.0.1 is a loopback address; never blocked'],
      [request(h, 'BLOCK_IP', { ip: '185.22.13.9' }, { caseId }), "185.22.13.9 is one of your organisation's networks: 185.22.0.0/16 in VIGIL_ORG_NETWORKS; never blocked"],
      [request(h, 'BLOCK_IP', { ip: '198.51.100.7' }), '198.51.100.7 is in a reserved range (reserved); never blocked'],
      [request(h, 'BLOCK_IP', { ip: '93.184.216.34' }), '93.184.216.34 is protected: 93.184.216.34 in VIGIL_PROTECTED_HOSTS; never blocked'],
      [request(h, 'ISOLATE_HOST', { host: 'DC01.corp.example' }), 'dc01.corp.example is protected: dc01 in VIGIL_PROTECTED_HOSTS; never isolated'],
      [request(h, 'DISABLE_USER', { user: 'ceo@corp.example' }), 'ceo@corp.example is a VIP account in VIGIL_VIP_USERS (CORP\\ceo); never disabled'],
      [request(h, 'RESET_PASSWORD', { user: 'root' }), 'root is a built-in administrator account (always protected); never reset'],
      [request(h, 'DISABLE_USER', { user: 'CORP\\Administrator' }), 'CORP\\Administrator is a built-in administrator account (always protected); never disabled'],
    ] as const;
    for (const [action, reason] of cases) {
      expect(action).toMatchObject({ status: 'REFUSED', reason });
      expect(artifact(action).refused).toBe(reason);
      await expect(h.services.actions.execute(action.id)).rejects.toThrow(new ConflictError(`action ${action.id} was REFUSED (${reason}): it never runs`));
    }
    // Endpoints live in private ranges and organisation domains: isolating them is what isolation is for.
    expect(request(h, 'ISOLATE_HOST', { host: '10.0.0.5' }).status).toBe('PLANNED');
    expect(request(h, 'ISOLATE_HOST', { host: 'web-01.corp.example' }).status).toBe('PLANNED');
    expect(request(h, 'DISABLE_USER', { user: 'alice' }).status).toBe('PLANNED');
    // Refusals of containments are notified and audited.
    expect(notificationsOf(h, 'action.refused').length).toBeGreaterThanOrEqual(cases.length);
    expect(auditOf(h, cases[0][0].id)).toEqual([expect.objectContaining({ actor: 'alice', action: 'action.request' })]);
    expect(JSON.parse(auditOf(h, cases[0][0].id)[0]!.after!)).toMatchObject({ status: 'REFUSED', kind: 'BLOCK_IP', target: '10.1.2.3', reason: cases[0][1] });
  });

  it('refuses containments beyond the blast radius of a run and of an hour, and undo kinds are never limited', async () => {
    ({ h } = await withCase({ VIGIL_MAX_ACTIONS_PER_RUN: '2', VIGIL_MAX_ACTIONS_PER_HOUR: '3' }));
    const run = insertRun(h, 'run_a', null);
    expect(request(h, 'BLOCK_IP', { ip: '185.220.101.1' }, { runId: run }).status).toBe('PLANNED');
    expect(request(h, 'DISABLE_USER', { user: 'mallory' }, { runId: run }).status).toBe('PLANNED');
    const third = request(h, 'ISOLATE_HOST', { host: 'laptop-9' }, { runId: run });
    expect(third).toMatchObject({ status: 'REFUSED', reason: 'blast radius: run run_a already has 2 containment actions, the most one run may take (VIGIL_MAX_ACTIONS_PER_RUN=2)' });
    // Case and undo actions do not count.
    expect(request(h, 'UNBLOCK_IP', { ip: '185.220.101.99' }, { runId: run }).status).toBe('PLANNED');

    const other = insertRun(h, 'run_b', null);
    expect(request(h, 'BLOCK_IP', { ip: '185.220.101.2' }, { runId: other }).status).toBe('PLANNED');
    const overHour = request(h, 'BLOCK_IP', { ip: '185.220.101.3' }, { runId: other });
    expect(overHour).toMatchObject({ status: 'REFUSED', reason: 'blast radius: 3 containment actions were taken in the last hour, the most allowed (VIGIL_MAX_ACTIONS_PER_HOUR=3)' });
    expect(request(h, 'BLOCK_IP', { ip: '185.220.101.4' }).status).toBe('REFUSED');
    // An hour later the window has moved on.
    h.clock.advance(3_600_001);
    expect(request(h, 'BLOCK_IP', { ip: '185.220.101.4' }).status).toBe('PLANNED');
  });

  it('dry run stores the plan and changes nothing', async () => {
    let caseId: string;
    ({ h, caseId } = await withCase());
    const before = h.services.cases.get(caseId)!;
    const tasksBefore = h.services.taskStore.tasksOf(caseId).length;
    const block = request(h, 'BLOCK_IP', { ip: '185.220.101.50', ttl: '2h' }, { caseId, dryRun: true });
    const task = request(h, 'CREATE_TASK', { title: 'Check auth logs' }, { caseId, dryRun: true });
    const severity = request(h, 'SET_SEVERITY', { severity: 'CRITICAL' }, { caseId, dryRun: true });
    for (const a of [block, task, severity]) {
      expect(a).toMatchObject({ status: 'PLANNED', dryRun: true });
      expect(h.services.actions.isReady(a)).toBe(false);
      await expect(h.services.actions.execute(a.id)).rejects.toThrow(/is a dry-run plan: it never runs/);
    }
    expect(artifact(block)).toMatchObject({ dryRun: true, ttl: '2h', plan: { commands: { nft: 'nft add element inet filter vigil_blocklist { 185.220.101.50 timeout 2h }' } } });
    expect(h.services.cases.get(caseId)).toEqual(before);
    expect(h.services.taskStore.tasksOf(caseId)).toHaveLength(tasksBefore);
    expect(notificationsOf(h, 'action.executed')).toEqual([]);
    // A dry run of a run counts with the dry runs of that run only, not against real actions.
    const run = insertRun(h, 'run_dry', caseId, true);
    for (let i = 0; i < 10; i += 1) expect(request(h, 'BLOCK_IP', { ip: `185.220.101.${100 + i}` }, { runId: run, dryRun: true }).status).toBe('PLANNED');
    expect(request(h, 'BLOCK_IP', { ip: '185.220.101.120' }, { runId: run, dryRun: true }).reason).toMatch(/^blast radius: run run_dry/);
    expect(request(h, 'BLOCK_IP', { ip: '185.220.101.121' }).status).toBe('PLANNED');
  });

  it('does not block an address twice: the duplicate is recorded EXECUTED, pointing at the block in force', async () => {
    ({ h } = await withCase());
    const first = await h.services.actions.execute(request(h, 'BLOCK_IP', { ip: '185.220.101.7' }).id);
    expect(first.status).toBe('EXECUTED');
    const again = request(h, 'BLOCK_IP', { ip: '185.220.101.7', ttl: '1h' });
    expect(again).toMatchObject({ status: 'EXECUTED', revertAt: null });
    expect(artifact(again)).toMatchObject({ duplicateOf: first.id, note: `185.220.101.7 is already blocked by ${first.id} until 2026-11-24T04:00:00.000Z; nothing was done again` });
    // execute answers a done action as it is; a duplicate cannot be reverted (its original can).
    expect(await h.services.actions.execute(again.id)).toEqual(again);
    await expect(h.services.actions.revert(again.id, 'alice')).rejects.toThrow(`${again.id} did nothing: 185.220.101.7 was already held by ${first.id}; revert that one`);

    // Two blocks requested before either ran: the second to execute is the duplicate.
    const a = request(h, 'BLOCK_IP', { ip: '185.220.101.8' });
    const b = request(h, 'BLOCK_IP', { ip: '185.220.101.8' });
    expect((await h.services.actions.execute(a.id)).status).toBe('EXECUTED');
    const second = await h.services.actions.execute(b.id);
    expect(artifact(second).duplicateOf).toBe(a.id);
    // Duplicates do not count against the blast radius, and once reverted the address can be blocked again.
    await h.services.actions.revert(first.id, 'alice');
    const fresh = await h.services.actions.execute(request(h, 'BLOCK_IP', { ip: '185.220.101.7' }).id);
    expect(artifact(fresh).duplicateOf).toBeUndefined();
  });

  it('waits for approval, refuses to execute until approved, and leaves approval as REJECTED or EXPIRED', async () => {
    ({ h } = await withCase());
    const approval = { role: 'RESPONDER', count: 1, expiresInMs: 3_600_000, defaultOutcome: 'REJECT' as const };
    const a = request(h, 'ISOLATE_HOST', { host: 'laptop-9' }, { approval });
    expect(a.status).toBe('PENDING_APPROVAL');
    await expect(h.services.actions.execute(a.id)).rejects.toThrow(`action ${a.id} waits for approval (PENDING_APPROVAL): it runs once approved`);
    const approved = h.services.actions.approve(a.id, 'bob');
    expect(approved.status).toBe('PLANNED');
    expect(h.services.actions.isReady(approved)).toBe(true);
    expect((await h.services.actions.execute(a.id)).status).toBe('EXECUTED');
    expect(() => h.services.actions.approve(a.id, 'bob')).toThrow(new ConflictError(`action ${a.id} is EXECUTED, not PENDING_APPROVAL`));

    const r = request(h, 'DISABLE_USER', { user: 'mallory' }, { approval });
    expect(h.services.actions.reject(r.id, 'REJECTED', 'bob')).toMatchObject({ status: 'REJECTED', reason: 'rejected by bob' });
    await expect(h.services.actions.execute(r.id)).rejects.toThrow(`action ${r.id} was REJECTED (rejected by bob): it never runs`);
    const e = request(h, 'DISABLE_USER', { user: 'trudy' }, { approval });
    expect(h.services.actions.reject(e.id, 'EXPIRED', 'system:approvals')).toMatchObject({ status: 'EXPIRED', reason: 'the approval expired' });
    expect(auditOf(h, a.id).map((x) => x.action)).toEqual(['action.request', 'action.approve', 'action.execute']);
    expect(auditOf(h, a.id)[1]).toMatchObject({ actor: 'bob' });
  });

  it('rejects bad requests before storing anything', async () => {
    ({ h } = await withCase());
    expect(() => request(h, 'BLOCK_IP', { ip: 'nope' })).toThrow(ValidationError);
    expect(() => request(h, 'CREATE_TASK', { title: 'x' })).toThrow('this action acts on a case: give its caseId');
    expect(() => request(h, 'BLOCK_IP', { ip: '185.220.101.1' }, { caseId: 'cas_missing' })).toThrow('no case with id cas_missing');
    expect(() => request(h, 'REBOOT' as never, {})).toThrow(/^unknown action kind "REBOOT"/);
    expect(h.services.database.sqlite.prepare('SELECT count(*) AS n FROM actions').get()).toEqual({ n: 0 });
  });
});

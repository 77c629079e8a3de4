import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALL } from '../../../src/events.js';
import type { Harness } from '../../helpers/harness.js';
import { artifact, auditOf, notificationsOf, request, withCase } from './actions-helpers.js';

let h: Harness;
let dir: string | undefined;
afterEach(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('simulated executors', () => {
  it('record the exact firewall commands a real block would run, with its TTL, and change nothing outside Vigil', async () => {
    let caseId: string;
    ({ h, caseId } = await withCase());
    const events = h.services.actionEvents.subscribe(caseId);
    const block = await h.services.actions.execute(request(h, 'BLOCK_IP', { ip: '185.22.13.9' }, { caseId }).id);
    expect(block).toMatchObject({ status: 'EXECUTED', executor: 'simulated', target: '185.22.13.9', revertAt: h.clock() + 86_400_000 });
    expect(artifact(block)).toMatchObject({
      simulated: true,
      ttl: '24h',
      plan: {
        summary: 'block 185.22.13.9 at the firewall for 24h',
        commands: { nft: 'nft add element inet filter vigil_blocklist { 185.22.13.9 timeout 24h }', iptables: 'iptables -I INPUT -s 185.22.13.9 -j DROP' },
      },
    });
    const v6 = await h.services.actions.execute(request(h, 'BLOCK_IP', { ip: '2a01:4f8:85a3::8a2e:370:7334', ttl: '30m' }).id);
    expect(artifact(v6).plan.commands).toEqual({ nft: 'nft add element inet filter vigil_blocklist6 { 2a01:4f8:85a3::8a2e:370:7334 timeout 30m }', iptables: 'ip6tables -I INPUT -s 2a01:4f8:85a3::8a2e:370:7334 -j DROP' });

    const isolate = await h.services.actions.execute(request(h, 'ISOLATE_HOST', { host: 'web-01', ttl: '4h' }, { caseId }).id);
    expect(artifact(isolate).plan.api).toEqual({ method: 'POST', path: '/hosts/web-01/isolate', body: { host: 'web-01', ttlSeconds: 14_400 } });
    const disable = await h.services.actions.execute(request(h, 'DISABLE_USER', { user: 'mallory' }, { caseId }).id);
    expect(artifact(disable).plan.commands).toEqual({ linux: "usermod -L -e 1 'mallory'", activeDirectory: "Disable-ADAccount -Identity 'mallory'" });
    expect(disable.revertAt).toBeNull();
    const reset = await h.services.actions.execute(request(h, 'RESET_PASSWORD', { user: 'CORP\\mallory' }).id);
    expect(artifact(reset).plan.commands).toEqual({ linux: "passwd --expire 'CORP\\mallory'", activeDirectory: "Set-ADUser -Identity 'CORP\\mallory' -ChangePasswordAtLogon $true" });

    // Audited, notified and published.
    expect(auditOf(h, block.id).map((a) => [a.actor, a.action])).toEqual([['alice', 'action.request'], ['alice', 'action.execute']]);
    expect(JSON.parse(auditOf(h, block.id)[1]!.after!)).toMatchObject({ status: 'EXECUTED', executor: 'simulated' });
    const executed = notificationsOf(h, 'action.executed').map((n) => JSON.parse(n.payload));
    expect(executed.some((p) => p.title === 'BLOCK_IP 185.22.13.9 executed')).toBe(true);
    const first = await events.next();
    const second = await events.next();
    await events.return();
    expect([first.value?.change, second.value?.change]).toEqual(['REQUESTED', 'EXECUTED']);
    expect(second.value?.action).toMatchObject({ id: block.id, status: 'EXECUTED' });
  });

  it('reverts blocks and isolations when their TTL ends, recorded and audited, on the fixed clock', async () => {
    let caseId: string;
    ({ h, caseId } = await withCase());
    const block = await h.services.actions.execute(request(h, 'BLOCK_IP', { ip: '185.22.13.9', ttl: '1h' }, { caseId }).id);
    const isolate = await h.services.actions.execute(request(h, 'ISOLATE_HOST', { host: 'web-01' }, { caseId }).id);
    expect(await h.services.actions.sweepReverts()).toBe(0);
    h.clock.advance(3_600_000);
    expect(await h.services.actions.sweepReverts()).toBe(1);
    const reverted = h.services.actions.get(block.id)!;
    expect(reverted).toMatchObject({ status: 'REVERTED', revertedAt: h.clock() });
    const [unblock] = h.services.actions.list({ kinds: ['UNBLOCK_IP'] }, { limit: 10, inverted: false });
    expect(unblock).toMatchObject({ status: 'EXECUTED', revertOf: block.id, requestedBy: 'system:ttl', caseId, target: '185.22.13.9' });
    expect(artifact(unblock!)).toMatchObject({ because: 'its TTL ended', plan: { commands: { nft: 'nft delete element inet filter vigil_blocklist { 185.22.13.9 }', iptables: 'iptables -D INPUT -s 185.22.13.9 -j DROP' } } });
    expect(auditOf(h, block.id).map((a) => [a.actor, a.action])).toEqual([['alice', 'action.request'], ['alice', 'action.execute'], ['system:ttl', 'action.revert']]);
    expect(notificationsOf(h, 'action.reverted')).toHaveLength(1);
    // The isolation runs on the default 24h.
    expect(h.services.actions.get(isolate.id)!.status).toBe('EXECUTED');
    h.clock.advance(23 * 3_600_000);
    expect(await h.services.actions.sweepReverts()).toBe(1);
    expect(h.services.actions.get(isolate.id)!.status).toBe('REVERTED');
    const [release] = h.services.actions.list({ kinds: ['RELEASE_HOST'] }, { limit: 10, inverted: false });
    expect(artifact(release!).plan.api).toEqual({ method: 'POST', path: '/hosts/web-01/release', body: { host: 'web-01' } });
    expect(await h.services.actions.sweepReverts()).toBe(0);
    // A reverted action cannot be reverted again.
    await expect(h.services.actions.revert(block.id, 'alice')).rejects.toThrow(`${block.id} is REVERTED; only an EXECUTED block or isolation that is still in force can be reverted`);
  });

  it('runs the sweep on its own once started (at once, then on its timer) and stops it on close', async () => {
    ({ h } = await withCase({ VIGIL_ACTION_REVERT_INTERVAL_MS: '1000' }));
    const block = await h.services.actions.execute(request(h, 'BLOCK_IP', { ip: '185.22.13.9', ttl: '1m' }).id);
    h.clock.advance(60_000);
    h.services.actions.start();
    const deadline = Date.now() + 5000;
    while (h.services.actions.get(block.id)!.status !== 'REVERTED') {
      if (Date.now() > deadline) throw new Error('the sweep did not revert the expired block');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await h.services.actions.close();
    expect(h.services.actions.get(block.id)!.revertedAt).toBe(h.clock());
  });

  it('acts on the case for CREATE_TASK, ADD_TAG, SET_SEVERITY, ESCALATE and NOTIFY, with an action row each', async () => {
    let caseId: string;
    ({ h, caseId } = await withCase({ VIGIL_ESCALATION_GROUP: 'soc-tier2' }));
    const run = async (kind: Parameters<typeof request>[1], params: Record<string, unknown>) => h.services.actions.execute(request(h, kind, params, { caseId, actor: 'playbook:brute-force' }).id);
    const task = await run('CREATE_TASK', { title: 'Check auth logs on web-01', assigneeGroup: 'tier1' });
    expect(task).toMatchObject({ status: 'EXECUTED', executor: 'vigil', target: caseId });
    const tasks = h.services.taskStore.tasksOf(caseId);
    expect(tasks.find((t) => t.id === artifact(task).result.taskId)).toMatchObject({ title: 'Check auth logs on web-01', assigneeGroup: 'tier1', createdBy: 'playbook:brute-force' });
    await run('ADD_TAG', { tag: 'Contained' });
    expect(JSON.parse(h.services.cases.get(caseId)!.tags)).toContain('contained');
    const severity = await run('SET_SEVERITY', { severity: 'CRITICAL' });
    expect(artifact(severity).result).toMatchObject({ to: 'CRITICAL' });
    expect(h.services.cases.get(caseId)!.severity).toBe('CRITICAL');
    const escalate = await run('ESCALATE', { reason: 'root brute force from a known botnet' });
    expect(JSON.parse(escalate.params)).toEqual({ reason: 'root brute force from a known botnet', group: 'soc-tier2' });
    expect(h.services.cases.get(caseId)!.assignee).toBe('soc-tier2');
    expect(artifact(escalate).result).toMatchObject({ group: 'soc-tier2', assignedTo: 'soc-tier2', notified: true });
    expect(h.services.taskStore.tasksOf(caseId).some((t) => t.assigneeGroup === 'soc-tier2' && t.description === 'root brute force from a known botnet')).toBe(true);
    expect(notificationsOf(h, 'case.escalated')).toHaveLength(1);
    const notify = await run('NOTIFY', { title: 'Blocked the attacker', text: '185.22.13.9 is blocked for 24h', event: 'playbook.brute_force' });
    expect(artifact(notify).result).toMatchObject({ event: 'playbook.brute_force', notified: true });
    expect(JSON.parse(notificationsOf(h, 'playbook.brute_force')[0]!.payload)).toMatchObject({ title: 'Blocked the attacker' });
    // The case changes are in the case's audit trail under the playbook's name.
    const caseAudit = h.services.taskStore.caseAudit(caseId, 50).map((a) => `${a.actor} ${a.action}`);
    expect(caseAudit).toEqual(expect.arrayContaining(['playbook:brute-force task.create', 'playbook:brute-force case.tags', 'playbook:brute-force case.update', 'playbook:brute-force case.assign']));
    // A case service refusal is a FAILED action with its reason; nothing half-done.
    const closed = h.services.caseLifecycle.changeStatus(caseId, h.services.cases.get(caseId)!.version, 'CLOSED', 'TRUE_POSITIVE', 'alice');
    expect(closed.status).toBe('CLOSED');
    const failed = await run('CREATE_TASK', { title: 'Too late' });
    expect(failed).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('is CLOSED: reopen it before adding tasks') });
  });

  it('stores a generic reason with a reference for an unexpected error, never its text', async () => {
    let caseId: string;
    ({ h, caseId } = await withCase());
    vi.spyOn(h.services.caseLifecycle, 'update').mockImplementation(() => {
      throw new Error('SQLITE_CORRUPT: database disk image /var/lib/vigil/vigil.db is malformed');
    });
    const failed = await h.services.actions.execute(request(h, 'SET_SEVERITY', { severity: 'CRITICAL' }, { caseId }).id);
    expect(failed).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/^internal error \(see server log, ref [0-9a-f]{8}\)$/) });
    expect(JSON.stringify(h.services.actions.get(failed.id))).not.toContain('vigil.db');
    // A refusal the case service means for people keeps its words.
    vi.restoreAllMocks();
    h.services.caseLifecycle.changeStatus(caseId, h.services.cases.get(caseId)!.version, 'CLOSED', 'TRUE_POSITIVE', 'alice');
    const refused = await h.services.actions.execute(request(h, 'CREATE_TASK', { title: 'Too late' }, { caseId }).id);
    expect(refused).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('is CLOSED: reopen it before adding tasks') });
  });

  it('writes each artifact as <action id>.json in VIGIL_ACTIONS_DIR when it is set', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-actions-'));
    const folder = join(dir, 'actions');
    ({ h } = await withCase({ VIGIL_ACTIONS_DIR: folder }));
    const all = h.services.actionEvents.subscribe(ALL);
    const block = await h.services.actions.execute(request(h, 'BLOCK_IP', { ip: '185.22.13.9' }).id);
    await all.return();
    expect(readdirSync(folder)).toEqual([`${block.id}.json`]);
    const file = JSON.parse(readFileSync(join(folder, `${block.id}.json`), 'utf8'));
    expect(file).toMatchObject({ id: block.id, kind: 'BLOCK_IP', status: 'EXECUTED', params: { ip: '185.22.13.9', ttl: 86_400_000 } });
    expect(file.artifact.plan.commands.nft).toBe('nft add element inet filter vigil_blocklist { 185.22.13.9 timeout 24h }');
  });
});

/** Shared setup for the action tests: a harness, a brute-force case made from real log lines, runs to count against. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionRequest } from '../../../src/engine/respond/types.js';
import type { ActionRecord } from '../../../src/store/records.js';
import { createHarness, settle, type Harness } from '../../helpers/harness.js';

const sshFailure = (i: number, ip: string) => `Nov 23 04:00:${String(i).padStart(2, '0')} web-01 sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`;

let quietPlaybooks: string | undefined;
/**
 * A playbook directory replacing every shipped playbook by a disabled copy: these tests drive the action
 * service themselves, and a playbook run reacting to their case would add actions of its own.
 */
export function disabledPlaybooksDir(): string {
  if (quietPlaybooks) return quietPlaybooks;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-quiet-playbooks-'));
  const shipped = new URL('../../../data/playbooks/', import.meta.url);
  for (const file of readdirSync(shipped)) {
    if (!file.endsWith('.yaml')) continue;
    writeFileSync(join(dir, file), readFileSync(new URL(file, shipped), 'utf8').replace(/^enabled: true$/m, 'enabled: false'));
  }
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  quietPlaybooks = dir;
  return dir;
}

/** A harness (playbooks disabled) whose brute-force case (from 185.22.13.9 against web-01) is open. */
export async function withCase(env: Record<string, string> = {}): Promise<{ h: Harness; caseId: string }> {
  const h = createHarness({ VIGIL_PLAYBOOKS_DIR: disabledPlaybooksDir(), ...env });
  h.services.pipeline.submit([{ log: sshFailure(1, '185.22.13.9') }, { log: sshFailure(2, '185.22.13.9') }]);
  await settle(h);
  const row = h.services.database.sqlite.prepare('SELECT id FROM cases ORDER BY number LIMIT 1').get() as { id: string } | undefined;
  if (!row) throw new Error('the brute-force lines opened no case');
  return { h, caseId: row.id };
}

/** A playbook run row, so actions can name it (runId is a foreign key). */
export function insertRun(h: Harness, runId: string, caseId: string | null, dryRun = false): string {
  const { sqlite } = h.services.database;
  const now = h.clock();
  sqlite.prepare("INSERT OR IGNORE INTO playbook_versions (hash, name, origin, source, loaded_at) VALUES ('h1', 'test', 'shipped:test.yaml', 'name: test', ?)").run(now);
  sqlite
    .prepare("INSERT INTO playbook_runs (id, playbook, playbook_hash, case_id, trigger, status, dry_run, context, started_by, created_at, updated_at) VALUES (?, 'test', 'h1', ?, 'MANUAL', 'RUNNING', ?, '{}', 'test', ?, ?)")
    .run(runId, caseId, dryRun ? 1 : 0, now, now);
  return runId;
}

export const request = (h: Harness, kind: ActionRequest['kind'], params: Record<string, unknown>, extra: Partial<ActionRequest> = {}): ActionRecord =>
  h.services.actions.request({ kind, params, caseId: null, actor: 'alice', dryRun: false, ...extra });

export const artifact = (a: ActionRecord) => JSON.parse(a.artifact ?? 'null');

export function auditOf(h: Harness, actionId: string) {
  return h.services.database.sqlite
    .prepare("SELECT actor, action, before, after FROM audit_log WHERE entity_type = 'Action' AND entity_id = ? ORDER BY created_at, id")
    .all(actionId) as Array<{ actor: string; action: string; before: string | null; after: string | null }>;
}

export function notificationsOf(h: Harness, event: string) {
  return h.services.database.sqlite.prepare('SELECT event, payload FROM notifications WHERE event = ? ORDER BY created_at, id').all(event) as Array<{ event: string; payload: string }>;
}

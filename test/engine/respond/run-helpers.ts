/** Shared by the playbook run tests: a harness with its own playbooks directory, and cases made from real sshd lines. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness, settle, type Harness } from '../../helpers/harness.js';

/** Switches the shipped brute-force playbook off, so a test sees only the runs it starts. */
export const BRUTE_FORCE_OFF = `name: brute-force
description: switched off for this test
enabled: false
trigger: {}
steps:
  - { name: noop, action: ADD_TAG, params: { tag: noop } }
`;

export interface Sandbox {
  dir: string;
  playbooksDir: string;
  cleanup(): void;
}

export function sandbox(playbooks: Record<string, string>): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-runs-'));
  const playbooksDir = join(dir, 'playbooks');
  mkdirSync(playbooksDir);
  for (const [name, text] of Object.entries(playbooks)) writeFileSync(join(playbooksDir, name), text);
  return { dir, playbooksDir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function harnessFor(box: Sandbox, env: Record<string, string> = {}, dbPath = ':memory:'): Harness {
  return createHarness({ VIGIL_PLAYBOOKS_DIR: box.playbooksDir, VIGIL_PLAYBOOK_TRIGGERS: 'on', VIGIL_OUTBOX_DIR: join(box.dir, 'outbox'), ...env }, dbPath);
}

export const sshFailure = (i: number, host: string, ip: string) => `Nov 23 04:00:${String(i).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`;

/** A HIGH brute-force case on web-01 from 185.22.13.9, made by the pipeline from two sshd lines. */
export async function bruteForceCase(h: Harness): Promise<string> {
  h.services.pipeline.submit([{ log: sshFailure(1, 'web-01', '185.22.13.9') }, { log: sshFailure(2, 'web-01', '185.22.13.9') }]);
  await settle(h);
  const theCase = h.services.cases.getByNumber(1);
  if (!theCase) throw new Error('the sshd lines opened no case');
  return theCase.id;
}

/** Notification rows of an event (the outbox), straight from the table. */
export function outbox(h: Harness, event: string): Array<{ event: string; payload: string }> {
  return h.services.database.sqlite.prepare('SELECT event, payload FROM notifications WHERE event = ?').all(event) as Array<{ event: string; payload: string }>;
}

/** A further API key (a second person of a role, or one with a name another key has too); answers its token and principal id. */
export function extraKey(h: Harness, name: string, role: 'ANALYST' | 'RESPONDER' | 'ADMIN'): { token: string; id: string } {
  const { key, token } = h.services.apiKeys.create({ name, role }, { id: 'test', name: 'test', role: 'ADMIN' });
  return { token, id: key.id };
}

/** Builds a harness whose notifications go where a test says: a notify file in a temporary folder. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createHarness, settle, type Harness } from '../../helpers/harness.js';

export const sshFailure = (i: number, host = 'web-01', ip = '185.22.13.9') =>
  `Nov 23 04:00:${String(i).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`;

export interface NotifyTestbed {
  h: Harness;
  dir: string;
  cleanup(): Promise<void>;
}

type NotifyFile = Record<string, unknown>;

/** `config` is the notify file's content, or made from the test's folder (null: no file, the default outbox in `dir/outbox`). */
export function notifyHarness(config: NotifyFile | ((dir: string) => NotifyFile) | null, env: Record<string, string> = {}, dbPath = ':memory:'): NotifyTestbed {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-notify-'));
  const fileEnv: Record<string, string> = {};
  if (config) {
    const file = join(dir, 'notify.yaml');
    writeFileSync(file, stringify(typeof config === 'function' ? config(dir) : config));
    fileEnv.VIGIL_NOTIFY_FILE = file;
  }
  const h = createHarness({ VIGIL_OUTBOX_DIR: join(dir, 'outbox'), VIGIL_NOTIFY_JITTER: '0', VIGIL_NOTIFY_BACKOFF_MS: '1000', ...fileEnv, ...env }, dbPath);
  return {
    h,
    dir,
    async cleanup() {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens a case (a brute-force sshd line scores HIGH) and returns it: the newest case. */
export async function openCase(h: Harness, i = 1, host = 'web-01', ip = '185.22.13.9') {
  h.services.pipeline.submit([{ log: sshFailure(i, host, ip) }]);
  await settle(h);
  const newest = h.services.cases.getByNumber(h.services.cases.nextNumber() - 1);
  if (!newest) throw new Error('no case was opened');
  return newest;
}

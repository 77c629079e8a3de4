import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers/harness.js';

const run = promisify(execFile);
let h: Harness;
let base: string;
beforeAll(async () => {
  h = createHarness();
  base = `http://127.0.0.1:${await h.app.start(0, '127.0.0.1')}`;
});
afterAll(() => h.close());

describe('client examples', () => {
  it('subscribe-ws.ts submits a line and prints its stage events as they arrive', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'client-examples/subscribe-ws.ts', 'Failed password for root from 185.22.13.9 port 22 ssh2'], {
      env: { ...process.env, VIGIL_URL: base, VIGIL_TOKEN: h.tokens.ANALYST },
      timeout: 20_000,
    });
    expect(stdout).toMatch(/^alert alt_/);
    expect(stdout).toMatch(/INGEST +COMPLETED/);
    expect(stdout).toMatch(/NORMALIZE +COMPLETED/);
    expect(stdout).toMatch(/EXTRACT +COMPLETED .*found 2 IOCs/);
  });
});

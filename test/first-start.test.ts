import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './helpers/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-first-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('first start', () => {
  it('creates one admin key when none exists, shows its token once, and it works', async () => {
    const env = { VIGIL_DB: join(dir, 'vigil.db') };
    const first = await startServerProcess(env);
    const token = /"token":"(vgl_[^"]+)"/.exec(first.output())?.[1];
    expect(token).toBeDefined();
    const response = await fetch(`${first.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { name role } }' }),
    });
    expect(await response.json()).toEqual({ data: { viewer: { name: 'first-start admin', role: 'ADMIN' } } });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startServerProcess(env);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).not.toMatch(/"token"/);
  }, 60_000);

  it('refuses to start on invalid configuration, naming the variable', async () => {
    await expect(startServerProcess({ VIGIL_DB: join(dir, 'x.db'), PORT: 'eighty' })).rejects.toThrow(/exited \(2\)[\s\S]*PORT: /);
  });
});

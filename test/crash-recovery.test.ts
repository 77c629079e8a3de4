import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';

const TOKEN = 'crash-test-admin-token-000';
const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
const env = { VIGIL_DB: join(dir, 'vigil.db'), VIGIL_ADMIN_TOKEN: TOKEN, VIGIL_WORKER_CONCURRENCY: '1' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BATCH = 200;
const batchOf = (n: number) =>
  Array.from({ length: BATCH }, (_, i) => ({ log: `Failed password for user${i} from 203.0.113.${n % 250} port ${1000 + i} ssh2`, source: 'crash', sourceRef: `b${n}-${i}` }));

async function submitBatch(server: ServerProcess, n: number): Promise<string[]> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({
      query: 'mutation($a: [AlertInput!]!) { submitAlerts(alerts: $a) { ... on SubmitAlertsSuccess { accepted { alert { sourceRef } } rejected { index } } } }',
      variables: { a: batchOf(n) },
    }),
  });
  const body = (await response.json()) as { data: { submitAlerts: { accepted: Array<{ alert: { sourceRef: string } }>; rejected: unknown[] } } };
  expect(body.data.submitAlerts.rejected).toEqual([]);
  return body.data.submitAlerts.accepted.map((a) => a.alert.sourceRef);
}

describe('graceful shutdown', () => {
  it('finishes queued pipeline work on SIGTERM before exiting', async () => {
    // A commit per job keeps work queued long enough to see it at SIGTERM.
    const shutdownEnv = { ...env, VIGIL_DB: join(dir, 'shutdown.db'), VIGIL_PIPELINE_BATCH: '1' };
    const server = await startServerProcess(shutdownEnv);
    const acknowledged = (await Promise.all([100, 101, 102, 103, 104].map((n) => submitBatch(server, n)))).flat();
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { pendingJobs: number };
    server.child.kill('SIGTERM');
    expect(health.pendingJobs, 'work should still be queued when SIGTERM arrives').toBeGreaterThan(0);
    expect(await server.exited).toBe(0);
    const db = new Database(shutdownEnv.VIGIL_DB, { readonly: true });
    const jobs = db.prepare('SELECT status, count(*) AS n FROM jobs GROUP BY status').all();
    db.close();
    expect(jobs).toEqual([{ status: 'COMPLETED', n: acknowledged.length }]);
    expect(server.output()).toMatch(/shutting down: finishing in-flight work/);
  }, 60_000);
});

describe('crash recovery', () => {
  it('keeps every acknowledged alert exactly once and finishes its pipeline after SIGKILL mid-batch', async () => {
    const first = await startServerProcess(env);
    const acknowledged = new Set<string>();
    let n = 0;
    for (; n < 5; n++) for (const ref of await submitBatch(first, n)) acknowledged.add(ref);
    // Kill while a batch is in flight and the pipeline still has queued work.
    const inFlight = submitBatch(first, n).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const lastBatch = await inFlight;
    if (lastBatch) for (const ref of lastBatch) acknowledged.add(ref);

    const before = new Database(env.VIGIL_DB, { readonly: true });
    const unfinished = (before.prepare("SELECT count(*) AS n FROM jobs WHERE status != 'COMPLETED'").get() as { n: number }).n;
    before.close();
    expect(unfinished, 'the kill should leave pipeline work unfinished').toBeGreaterThan(0);

    const second = await startServerProcess(env);
    try {
      // A client that got no answer retries its batch; sourceRef identity makes the retry harmless.
      for (const ref of await submitBatch(second, n)) acknowledged.add(ref);
      const db = new Database(env.VIGIL_DB, { readonly: true });
      const deadline = Date.now() + 60_000;
      while ((db.prepare("SELECT count(*) AS n FROM jobs WHERE status != 'COMPLETED'").get() as { n: number }).n > 0) {
        if (Date.now() > deadline) throw new Error('jobs did not finish after restart');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const rows = db.prepare("SELECT source_ref AS ref, status FROM alerts WHERE source = 'crash'").all() as Array<{ ref: string; status: string }>;
      const refs = rows.map((r) => r.ref);
      expect(new Set(refs).size).toBe(refs.length);
      expect(refs.length).toBe(acknowledged.size);
      for (const ref of acknowledged) expect(refs).toContain(ref);
      expect(rows.every((r) => r.status === 'PROCESSED')).toBe(true);
      const extracted = db.prepare("SELECT count(DISTINCT alert_id) AS n FROM pipeline_events WHERE stage = 'EXTRACT' AND status = 'COMPLETED'").get() as { n: number };
      expect(extracted.n).toBe(acknowledged.size);
      expect(second.output()).toMatch(/resuming unfinished pipeline jobs/);
      db.close();
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 120_000);
});

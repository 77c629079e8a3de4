/** Benchmark helpers: start a Vigil on a temp file database, and drive HTTP load with bounded concurrency. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { buildApp } from '../src/app.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createServices } from '../src/services.js';

export const BENCH_TOKEN = 'bench-admin-token-0123456789';

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function startVigil(dbPath: string) {
  // Playbooks run as in production; their outbox files go next to the temporary database.
  const config = loadConfig({ VIGIL_DB: dbPath, VIGIL_ADMIN_TOKEN: BENCH_TOKEN, LOG_LEVEL: 'silent', VIGIL_MAX_BATCH: '1000', VIGIL_ENRICH_NETWORK: 'off', VIGIL_OUTBOX_DIR: join(dirname(dbPath), 'outbox') });
  const database = openDatabase({ path: config.dbPath });
  runMigrations(database.db);
  const services = createServices({ config, database, clock: systemClock, logger: createLogger('silent') });
  const app = buildApp(services);
  const port = await app.start(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}/graphql`, services, stop: () => app.stop() };
}

/** Runs `count` calls of `task(i)` with at most `concurrency` in flight; returns seconds taken. */
export async function drive(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

export async function postGraphQL(url: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: unknown; data?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export function report(rows: Array<{ name: string; value: number; unit: string; baseline?: number }>): void {
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const ratio = r.baseline ? `  ${(r.value / r.baseline).toFixed(2)}x baseline` : '';
    console.log(`${r.name.padEnd(width)}  ${r.value.toFixed(0).padStart(8)} ${r.unit}${ratio}`);
  }
}

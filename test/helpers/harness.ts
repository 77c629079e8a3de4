/**
 * Builds a Vigil instance for a test: its own `:memory:` database (or a given file), a fixed clock, a
 * silent logger, and keys of every role. `gql` runs an operation in-process through `yoga.fetch` and
 * prints the whole response when a test expects no errors and gets some.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DatabaseOptions } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';
import { buildApp, type App } from '../../src/app.js';
import type { Role } from '../../src/auth/roles.js';
import type { Enricher } from '../../src/engine/enrich/types.js';
import { fixedClock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createServices, type Services } from '../../src/services.js';

export const T0 = Date.parse('2026-11-23T04:00:00.000Z');
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface Harness {
  app: App;
  services: Services;
  clock: ReturnType<typeof fixedClock>;
  tokens: Record<Role, string>;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ status: number; data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  /** Like `gql` but fails the test with the whole response if there are errors. */
  ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  close(): Promise<void>;
}

export function createHarness(env: Record<string, string> = {}, dbPath = ':memory:', options: { networkProviders?: Enricher[]; databaseOptions?: Pick<DatabaseOptions, 'verbose'> } = {}): Harness {
  // Tests never reach outside loopback: network enrichment is off unless a test points it at its own servers.
  // Playbooks start on their own only in the tests about them (they add tasks, actions and events to every
  // HIGH case); outbox files go to a temporary folder, never into the working tree.
  const config: Config = loadConfig({
    VIGIL_ADMIN_TOKEN: ADMIN_TOKEN,
    VIGIL_DB: dbPath,
    LOG_LEVEL: 'silent',
    VIGIL_ENRICH_NETWORK: 'off',
    VIGIL_PLAYBOOK_TRIGGERS: 'off',
    VIGIL_OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'vigil-outbox-')),
    ...env,
  });
  const { databaseOptions, ...serviceOptions } = options;
  const database = openDatabase({ path: config.dbPath, ...databaseOptions });
  runMigrations(database.db);
  const clock = fixedClock(T0);
  const services = createServices({ config, database, clock, logger: createLogger(config.logLevel), ...serviceOptions });
  const app = buildApp(services);
  const admin = { id: 'test', name: 'test', role: 'ADMIN' as const };
  const tokens = Object.fromEntries(
    (['VIEWER', 'ANALYST', 'RESPONDER', 'ADMIN'] as const).map((role) => [role, services.apiKeys.create({ name: `test ${role}`, role }, admin).token]),
  ) as Record<Role, string>;

  const gql: Harness['gql'] = async (query, variables, token = tokens.ANALYST) => {
    const response = await app.yoga.fetch('http://vigil.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };

  return {
    app,
    services,
    clock,
    tokens,
    gql,
    async ok(query, variables, token) {
      const result = await gql(query, variables, token);
      if (result.errors?.length || result.status !== 200) throw new Error(`GraphQL failed (${result.status}): ${JSON.stringify(result, null, 2)}`);
      return result.data as never;
    },
    close: () => app.stop(),
  };
}

/** Waits until every queued pipeline job has finished. */
export async function settle(h: Harness, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (h.services.pipeline.pendingJobs > 0) {
    if (Date.now() > deadline) throw new Error(`pipeline did not settle: ${h.services.pipeline.pendingJobs} jobs pending`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

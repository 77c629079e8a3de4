/**
 * The only reader of process.env. Every setting is typed, validated and has a documented default;
 * the README's configuration table mirrors `settings` below.
 */
import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const settings = {
  PORT: int(0, 65535).default(4000).describe('TCP port of the HTTP/GraphQL server'),
  HOST: z.string().min(1).default('127.0.0.1').describe('interface to bind; loopback by default'),
  VIGIL_DB: z.string().min(1).default('./data/vigil.db').describe("SQLite file, or ':memory:'"),
  VIGIL_DB_SYNCHRONOUS: z
    .enum(['NORMAL', 'FULL'])
    .default('NORMAL')
    .describe('SQLite synchronous pragma: NORMAL survives a killed process, FULL also power loss'),
  VIGIL_ADMIN_TOKEN: z
    .string()
    .min(16, 'VIGIL_ADMIN_TOKEN must be at least 16 characters')
    .optional()
    .describe('when set, accepted as an admin API key'),
  VIGIL_MAX_ALERT_BYTES: int(256, 16 * 1024 * 1024).default(65_536).describe('largest accepted alert, in bytes'),
  VIGIL_MAX_REQUEST_BYTES: int(1024, 1024 * 1024 * 1024).default(16 * 1024 * 1024).describe('largest HTTP body or WebSocket message'),
  VIGIL_MAX_BATCH: int(1, 100_000).default(1000).describe('most alerts in one submitAlerts call'),
  VIGIL_DEDUP_WINDOW_MS: int(0, 30 * 24 * 3600 * 1000)
    .default(600_000)
    .describe('an identical alert within this window (since its last sighting) is an occurrence'),
  VIGIL_MAX_PAGE: int(1, 10_000).default(100).describe('largest `first` of a connection'),
  VIGIL_PIPELINE_BATCH: int(1, 10_000).default(256).describe('most pipeline jobs run (and committed) together'),
  VIGIL_WORKER_CONCURRENCY: int(1, 64).default(2).describe('pipeline batches in flight at once'),
  VIGIL_SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(15_000).describe('longest wait for in-flight work at shutdown'),
  VIGIL_ANALYZE_TIMEOUT_MS: int(100, 300_000).default(10_000).describe('how long POST /api/analyze waits for the pipeline before answering 202'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
} as const;

const configSchema = z.object(settings);

export interface Config {
  port: number;
  host: string;
  dbPath: string;
  dbSynchronous: 'NORMAL' | 'FULL';
  adminToken: string | undefined;
  maxAlertBytes: number;
  maxRequestBytes: number;
  maxBatch: number;
  dedupWindowMs: number;
  maxPage: number;
  pipelineBatch: number;
  workerConcurrency: number;
  shutdownTimeoutMs: number;
  analyzeTimeoutMs: number;
  logLevel: z.infer<typeof settings.LOG_LEVEL>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    dbPath: c.VIGIL_DB,
    dbSynchronous: c.VIGIL_DB_SYNCHRONOUS,
    adminToken: c.VIGIL_ADMIN_TOKEN,
    maxAlertBytes: c.VIGIL_MAX_ALERT_BYTES,
    maxRequestBytes: c.VIGIL_MAX_REQUEST_BYTES,
    maxBatch: c.VIGIL_MAX_BATCH,
    dedupWindowMs: c.VIGIL_DEDUP_WINDOW_MS,
    maxPage: c.VIGIL_MAX_PAGE,
    pipelineBatch: c.VIGIL_PIPELINE_BATCH,
    workerConcurrency: c.VIGIL_WORKER_CONCURRENCY,
    shutdownTimeoutMs: c.VIGIL_SHUTDOWN_TIMEOUT_MS,
    analyzeTimeoutMs: c.VIGIL_ANALYZE_TIMEOUT_MS,
    logLevel: c.LOG_LEVEL,
  };
}

/** The documented settings, for the README table and `--help`. */
export function describeSettings(): Array<{ name: string; description: string; default: unknown }> {
  return Object.entries(settings).map(([name, schema]) => ({
    name,
    description: schema.description ?? '',
    default: schema.safeParse(undefined).success ? schema.safeParse(undefined).data : undefined,
  }));
}

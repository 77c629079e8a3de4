import type { ServerResponse } from 'node:http';
import type { Services } from '../services.js';
import { sendJson } from './json.js';

/** Liveness and readiness in one: 200 when the database answers, 503 otherwise. Open to all (no secrets). */
export function handleHealth(res: ServerResponse, services: Services, startedAt: number): void {
  let database = 'ok';
  try {
    services.database.sqlite.prepare('SELECT 1').get();
  } catch {
    database = 'unavailable';
  }
  const ok = database === 'ok';
  sendJson(res, ok ? 200 : 503, {
    status: ok ? 'ok' : 'degraded',
    database,
    pendingJobs: services.pipeline.pendingJobs,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
  });
}

/**
 * The whole pipeline on a private in-memory database, one alert at a time: what `npm run eval` scores.
 * Stateful like the server (detections see earlier alerts); a fresh one per dataset keeps sets apart.
 */
import { openDatabase } from '../../../db/client.js';
import { runMigrations } from '../../../db/migrate.js';
import { systemClock } from '../../clock.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import { createServices } from '../../services.js';
import type { AlertPayload } from '../types.js';
import type { Category } from './types.js';

export function createStandaloneClassifier(env: Record<string, string> = {}) {
  const config = loadConfig({ VIGIL_DB: ':memory:', LOG_LEVEL: 'silent', VIGIL_DEDUP_WINDOW_MS: '0', VIGIL_ENRICH_NETWORK: 'off', ...env });
  const database = openDatabase({ path: ':memory:' });
  runMigrations(database.db);
  const services = createServices({ config, database, clock: systemClock, logger: createLogger('silent') });
  let n = 0;

  return {
    async classify(payload: AlertPayload): Promise<{ category: Category; confidence: number }> {
      // A unique sourceRef per call: every line is its own alert, even when two lines are identical.
      const submission = payload.kind === 'log' ? { log: payload.text } : { alert: payload.value };
      const [outcome] = services.pipeline.submit([{ ...submission, source: 'eval', sourceRef: String(n++) }]);
      if (!outcome?.ok) throw new Error(`refused: ${outcome?.ok === false ? outcome.problem.message : 'no outcome'}`);
      const job = await services.pipeline.waitForJob(outcome.jobId!);
      const alert = services.alerts.getAlert(outcome.alert.id)!;
      if (job.status !== 'COMPLETED' || alert.category === null) throw new Error(`pipeline failed: ${job.error ?? 'not classified'}`);
      return { category: alert.category as Category, confidence: alert.confidence ?? 0 };
    },
    async close(): Promise<void> {
      await services.pipeline.close(10_000);
      database.close();
    },
  };
}

/**
 * POST /api/analyze: the seed's documented contract. Takes `{"log": "..."}` (or `{"alert": ...}` as the
 * seed's code reads it), runs the pipeline, waits for it, and answers what the stages found. Fields join
 * the answer as the stages that produce them exist; none carries a placeholder.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Classification } from '../engine/classify/classification.js';
import type { AlertSubmission } from '../engine/ingest/validate.js';
import type { Services } from '../services.js';
import { recommendedActionLine } from '../engine/respond/recommend.js';
import type { AlertRecord } from '../store/records.js';
import { authenticateHeader } from './auth.js';
import { BodyTooLargeError, readBody, sendJson } from './json.js';

/** JSON framing around the alert itself. */
const BODY_OVERHEAD_BYTES = 4096;

/** The seed's `alert` is a log line; a string holding a JSON object is treated as a structured alert. */
function submissionFrom(body: Record<string, unknown>): AlertSubmission {
  const { log, alert, source, sourceRef } = body;
  if (log !== undefined || typeof alert !== 'string') return { log, alert, source, sourceRef };
  const looksLikeObject = alert.trimStart().startsWith('{');
  return looksLikeObject ? { alert, source, sourceRef } : { log: alert, source, sourceRef };
}

export async function handleAnalyze(req: IncomingMessage, res: ServerResponse, services: Services): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST with a JSON body {"log": "..."}' }, { allow: 'POST' });
  const auth = authenticateHeader(services.apiKeys, req.headers.authorization, 'ANALYST');
  if (!auth.ok) return sendJson(res, auth.status, { error: auth.message }, auth.status === 401 ? { 'www-authenticate': 'Bearer realm="vigil"' } : {});

  let body: unknown;
  try {
    body = JSON.parse(await readBody(req, services.config.maxAlertBytes + BODY_OVERHEAD_BYTES));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return sendJson(res, 413, { error: error.message });
    return sendJson(res, 400, { error: `the body is not valid JSON: ${(error as Error).message}` });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return sendJson(res, 400, { error: 'the body must be a JSON object such as {"log": "Failed password for root from 185.22.13.9 port 22 ssh2"}' });
  }

  const [outcome] = services.pipeline.submit([submissionFrom(body as Record<string, unknown>)]);
  if (!outcome) throw new Error('ingest returned no outcome');
  if (!outcome.ok) return sendJson(res, 422, { error: outcome.problem.message, code: outcome.problem.code, field: outcome.problem.field });

  const job = outcome.jobId ?? services.alerts.latestJob(outcome.alert.id)?.id;
  const finished = job ? await waitWithTimeout(services.pipeline.waitForJob(job), services.config.analyzeTimeoutMs) : true;
  const alert = services.alerts.getAlert(outcome.alert.id)!;
  const indicators = services.alertQueries.iocsOf(alert.id).map(({ type, value, role }) => ({ type, value, role }));
  const failure = job && alert.status === 'FAILED' ? services.alerts.getJob(job)?.error : undefined;
  const classification = alert.classification ? (JSON.parse(alert.classification) as Classification) : undefined;
  sendJson(res, finished ? 200 : 202, {
    alert_id: alert.id,
    status: alert.status,
    duplicate: outcome.duplicate,
    format: alert.format,
    ...(classification
      ? {
          intent: classification.label,
          category: classification.category,
          confidence: classification.confidence,
          techniques: classification.techniques.map((t) => t.id),
        }
      : {}),
    ...(alert.score !== null && alert.riskLevel !== null
      ? { risk: alert.riskLevel.charAt(0) + alert.riskLevel.slice(1).toLowerCase(), severity_score: alert.score, score_factors: JSON.parse(alert.scoreFactors ?? '[]') as unknown }
      : {}),
    ...(alert.category !== null ? recommendations(services, alert) : {}),
    iocs: [...new Set(indicators.map((i) => i.value))],
    indicators,
    ...(failure ? { error: failure } : {}),
  });
}

/** The seed's `recommended_action` line, and the list behind it. */
function recommendations(services: Services, alert: AlertRecord) {
  const list = services.recommender.forAlert(alert);
  return { recommended_action: recommendedActionLine(list), recommendations: list };
}

async function waitWithTimeout<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

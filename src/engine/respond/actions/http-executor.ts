/**
 * A real executor: one POST of JSON to a configured firewall, EDR or directory endpoint. Only the
 * configured URL is ever called (never anything from an alert), redirects are not followed (a token must
 * not travel to another host), the answer is read up to a cap, and a timeout bounds the wait. A 2xx answer
 * is EXECUTED with the response kept in the artifact; anything else is FAILED with the reason. The
 * action id is the idempotency key, so a receiver recognises a retried call after a crash.
 */
import { createHmac } from 'node:crypto';
import type { Logger } from '../../../logger.js';
import { readCapped } from '../../enrich/http/read-capped.js';
import { internalError } from './internal-error.js';
import type { HttpExecutorTarget } from './settings.js';

const MAX_RESPONSE_BYTES = 64 * 1024;

export interface ExecutionInput {
  actionId: string;
  kind: string;
  target: string;
  params: Record<string, unknown>;
  ttlMs: number | null;
  caseId: string | null;
  requestedBy: string;
}

export interface ExecutionOutcome {
  ok: boolean;
  /** Why it failed. */
  reason?: string;
  /** What to keep in the action's artifact. */
  detail: Record<string, unknown>;
}

/** The URL as recorded in artifacts: no user info, no query (either may carry a secret). */
export function redactUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/** A system error code (`ECONNREFUSED`, `UND_ERR_SOCKET`, `CERT_HAS_EXPIRED`): says what went wrong without the message's addresses. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && ERROR_CODE.test(code)) return code;
  }
  return undefined;
}

export function createHttpExecutor(name: string, target: HttpExecutorTarget, options: { timeoutMs: number; clock: () => number; logger: Logger }) {
  const endpoint = redactUrl(target.url);
  return {
    name: `http:${name}`,
    async run(input: ExecutionInput): Promise<ExecutionOutcome> {
      const payload = {
        action: input.kind,
        target: input.target,
        params: input.params,
        ttl: input.ttlMs,
        idempotencyKey: input.actionId,
        caseId: input.caseId,
        requestedBy: input.requestedBy,
      };
      const body = JSON.stringify(payload);
      const timestamp = String(Math.floor(options.clock() / 1000));
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': input.actionId, 'x-vigil-timestamp': timestamp };
      if (target.token) headers.authorization = `Bearer ${target.token}`;
      if (target.hmacSecret) headers['x-vigil-signature'] = `sha256=${createHmac('sha256', target.hmacSecret).update(`${timestamp}.${body}`).digest('hex')}`;
      const request = { endpoint, method: 'POST', body: payload };
      const signal = AbortSignal.timeout(options.timeoutMs);
      try {
        const res = await fetch(target.url, { method: 'POST', headers, body, redirect: 'manual', signal });
        const text = await readCapped(res, MAX_RESPONSE_BYTES);
        const response = { status: res.status, body: text === undefined ? `(larger than ${MAX_RESPONSE_BYTES} bytes; not kept)` : parseBody(text) };
        if (res.status >= 200 && res.status < 300) return { ok: true, detail: { request, response } };
        const redirect = res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : '';
        return { ok: false, reason: `${name} executor answered HTTP ${res.status}${redirect}`, detail: { request, response } };
      } catch (error) {
        if (signal.aborted) return { ok: false, reason: `${name} executor did not answer within ${options.timeoutMs} ms`, detail: { request } };
        // The reason is served by the API and notified: an error code, never the message (it names hosts and ports).
        const code = codeOf(error);
        if (code) return { ok: false, reason: `could not reach the ${name} executor (${code})`, detail: { request } };
        const reason = internalError(options.logger, error, { actionId: input.actionId, executor: name }, 'an executor call failed unexpectedly', `could not reach the ${name} executor`);
        return { ok: false, reason, detail: { request } };
      }
    },
  };
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.length > 2000 ? `${text.slice(0, 2000)}...` : text;
  }
}

export type HttpExecutor = ReturnType<typeof createHttpExecutor>;

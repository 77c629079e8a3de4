/**
 * A real executor: one POST of JSON to a configured firewall, EDR or directory endpoint. Only the
 * configured URL is ever called (never anything from an alert), redirects are not followed (a token must
 * not travel to another host), the answer is read up to a cap, and a timeout bounds the wait. A 2xx answer
 * is EXECUTED with the response kept in the artifact; anything else is FAILED with the reason. The
 * action id is the idempotency key, so a receiver recognises a retried call after a crash.
 */
import { createHmac } from 'node:crypto';
import { readCapped } from '../../enrich/http/read-capped.js';
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

export function createHttpExecutor(name: string, target: HttpExecutorTarget, options: { timeoutMs: number; clock: () => number }) {
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
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : error instanceof Error ? `: ${error.message}` : '';
        return { ok: false, reason: `could not reach the ${name} executor${cause}`, detail: { request } };
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

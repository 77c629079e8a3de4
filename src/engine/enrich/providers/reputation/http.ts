/**
 * One GET to a reputation API with the rules every provider shares: redirects followed only within
 * the configured origin (an API key must never travel to another host), a cap on the answer's size, and
 * the documented failure answers mapped to enrichment statuses.
 */
import type { EnrichmentResult } from '../../types.js';
import type { ResolvedConfig } from './config.js';
import { readCapped } from '../../http/read-capped.js';
import { parseRetryAfter } from '../../http/retry-after.js';

export type HttpReply = { ok: true; status: number; body: unknown } | { ok: false; failure: Omit<EnrichmentResult, 'provider' | 'verdict' | 'reasons' | 'data'> & { data?: Record<string, unknown> } };

export interface GetJsonRequest {
  /** Human name for messages, e.g. "AbuseIPDB". */
  label: string;
  config: ResolvedConfig;
  /** Path and query, appended to the base URL's origin and path. */
  path: string;
  headers: Record<string, string>;
  signal: AbortSignal;
}

const MAX_REDIRECTS = 3;

function buildUrl(baseUrl: string, path: string): URL {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${prefix}${path}`, base.origin);
}

function fail(status: 'ERROR' | 'NO_DATA' | 'RATE_LIMITED' | 'TIMEOUT', error: string, retryAt?: number): HttpReply {
  return { ok: false, failure: retryAt === undefined ? { status, error } : { status, error, retryAt } };
}

async function fetchWithinOrigin(req: GetJsonRequest, url: URL): Promise<Response | HttpReply> {
  let current = url;
  for (let hop = 0; ; hop += 1) {
    const res = await fetch(current, { method: 'GET', headers: { accept: 'application/json', ...req.headers }, redirect: 'manual', signal: req.signal });
    if (res.status < 300 || res.status >= 400 || res.status === 304) return res;
    await res.body?.cancel();
    const location = res.headers.get('location');
    if (!location) return fail('ERROR', `${req.label} answered HTTP ${res.status} without a location`);
    const next = new URL(location, current);
    if (next.origin !== url.origin) return fail('ERROR', `${req.label} redirected to another host (${next.host}); not followed`);
    if (hop + 1 >= MAX_REDIRECTS) return fail('ERROR', `${req.label} redirected too many times`);
    current = next;
  }
}

export async function getJson(req: GetJsonRequest): Promise<HttpReply> {
  const url = buildUrl(req.config.baseUrl, req.path);
  try {
    const res = await fetchWithinOrigin(req, url);
    if (!(res instanceof Response)) return res;
    if (res.status === 429) {
      await res.body?.cancel();
      const retryAt = parseRetryAfter(res.headers.get('retry-after'), req.config.clock());
      return fail('RATE_LIMITED', `${req.label} quota reached (HTTP 429)`, retryAt);
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return fail('NO_DATA', `${req.label} has no record of it`);
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      return fail('ERROR', `${req.label} refused the request (HTTP ${res.status}): check the API key`);
    }
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel();
      return fail('ERROR', `${req.label} answered HTTP ${res.status}`);
    }
    const text = await readCapped(res, req.config.maxResponseBytes);
    if (text === undefined) return fail('ERROR', `${req.label} answer larger than ${req.config.maxResponseBytes} bytes; refused`);
    try {
      return { ok: true, status: res.status, body: JSON.parse(text) as unknown };
    } catch {
      return fail('ERROR', `${req.label} answered malformed JSON`);
    }
  } catch (err) {
    if (req.signal.aborted) return fail('TIMEOUT', `${req.label} did not answer in time`);
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return fail('ERROR', `could not reach ${req.label}${cause}`);
  }
}

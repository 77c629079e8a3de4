/**
 * One RDAP GET (RFC 7480): JSON accepted, body size capped, deadline and caller's abort both honoured,
 * every expected failure returned as a value.
 */
import { readCapped } from '../../http/read-capped.js';
import { parseRetryAfter } from '../../http/retry-after.js';

export type RdapFetchResult =
  | { kind: 'ok'; body: unknown; url: string }
  | { kind: 'not-found'; url: string }
  | { kind: 'rate-limited'; url: string; retryAt?: number }
  | { kind: 'timeout'; url: string }
  | { kind: 'error'; url: string; error: string };

export interface RdapFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  now: () => number;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

export async function fetchRdap(url: string, signal: AbortSignal, options: RdapFetchOptions): Promise<RdapFetchResult> {
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]);
  try {
    // Redirects are followed: RFC 7480 section 5.2 has registries hand queries on to the one that holds the object.
    const response = await fetch(url, { signal: deadline, redirect: 'follow', headers: { accept: 'application/rdap+json, application/json;q=0.9' } });
    if (response.status === 404) {
      await response.body?.cancel();
      return { kind: 'not-found', url };
    }
    if (response.status === 429) {
      await response.body?.cancel();
      const retryAt = parseRetryAfter(response.headers.get('retry-after'), options.now());
      return retryAt === undefined ? { kind: 'rate-limited', url } : { kind: 'rate-limited', url, retryAt };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return { kind: 'error', url, error: `HTTP ${response.status}` };
    }
    const text = await readCapped(response, options.maxBytes);
    if (text === undefined) return { kind: 'error', url, error: `RDAP response larger than ${options.maxBytes} bytes` };
    try {
      return { kind: 'ok', body: JSON.parse(text) as unknown, url };
    } catch {
      return { kind: 'error', url, error: 'malformed RDAP response: not JSON' };
    }
  } catch (error) {
    if (deadline.aborted) return { kind: 'timeout', url };
    return { kind: 'error', url, error: describe(error) };
  }
}

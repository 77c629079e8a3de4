/**
 * One RDAP GET (RFC 7480): JSON accepted, body size capped, deadline and caller's abort both honoured,
 * every expected failure returned as a value.
 */
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

class TooLarge extends Error {}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) throw new TooLarge();
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Retry-After is either seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function retryAtOf(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return now + Math.max(0, seconds) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : date;
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
      const retryAt = retryAtOf(response.headers.get('retry-after'), options.now());
      return retryAt === undefined ? { kind: 'rate-limited', url } : { kind: 'rate-limited', url, retryAt };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return { kind: 'error', url, error: `HTTP ${response.status}` };
    }
    const text = await readCapped(response, options.maxBytes);
    try {
      return { kind: 'ok', body: JSON.parse(text) as unknown, url };
    } catch {
      return { kind: 'error', url, error: 'malformed RDAP response: not JSON' };
    }
  } catch (error) {
    if (deadline.aborted) return { kind: 'timeout', url };
    if (error instanceof TooLarge) return { kind: 'error', url, error: `RDAP response larger than ${options.maxBytes} bytes` };
    return { kind: 'error', url, error: describe(error) };
  }
}

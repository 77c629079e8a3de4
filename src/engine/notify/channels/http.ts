/**
 * POSTs for the HTTP channels. Only the configured URL is called: redirects are refused (a receiver
 * cannot send us elsewhere), the response body is read only to describe a failure, and at most a few KB.
 */
import { readCapped } from '../../enrich/http/read-capped.js';
import { parseRetryAfter } from '../../enrich/http/retry-after.js';
import { DeliveryError } from './types.js';

const ERROR_BODY_BYTES = 2048;

function describeNetworkError(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return signal.reason instanceof Error && signal.reason.name === 'TimeoutError' ? 'timed out' : 'interrupted';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  // Never the URL: for Slack, Teams and Telegram it carries the credential.
  return `network error: ${cause?.code ?? cause?.message ?? (error as Error).message ?? 'unknown'}`;
}

/** Sends `body` as JSON; resolves on any 2xx, throws a DeliveryError naming the status (and Retry-After) otherwise. */
export async function postJson(url: string, body: string, headers: Record<string, string>, signal: AbortSignal, now: () => number = Date.now): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Vigil-Notifier/1', ...headers },
      body,
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    throw new DeliveryError(describeNetworkError(error, signal));
  }
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  let snippet: string | undefined;
  try {
    snippet = await readCapped(response, ERROR_BODY_BYTES);
  } catch {
    snippet = undefined;
  }
  const detail = snippet ? `: ${snippet.replace(/\s+/g, ' ').trim().slice(0, 300)}` : '';
  const what = response.status >= 300 && response.status < 400 ? `HTTP ${response.status} (redirects are not followed)` : `HTTP ${response.status}`;
  throw new DeliveryError(`${what}${detail}`, parseRetryAfter(response.headers.get('retry-after'), now()));
}

/**
 * The default `fetchText`: http(s) URLs through fetch, anything else as a local file path. Both are
 * capped in size and time; a feed location comes from configuration, never from an alert.
 */
import { readFile, stat } from 'node:fs/promises';
import { FEED_LIMITS } from './types.js';
import { readCapped } from '../http/read-capped.js';

export type FetchText = (location: string, signal?: AbortSignal) => Promise<string>;

export interface FetchTextOptions {
  maxBytes?: number;
  timeoutMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** Whether a configured location is one the loader will read: an http(s) URL or a file path. */
export function checkLocation(location: string): string | undefined {
  if (location.trim() === '') return 'empty location';
  const scheme = SCHEME.exec(location)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return `unsupported scheme ${scheme}: use http(s) or a file path`;
  return undefined;
}

export function createFetchText(options: FetchTextOptions = {}): FetchText {
  const maxBytes = options.maxBytes ?? FEED_LIMITS.maxChars;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  return async (location, signal) => {
    const problem = checkLocation(location);
    if (problem) throw new Error(problem);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    if (SCHEME.test(location)) {
      const res = await doFetch(location, { signal: combined, headers: { accept: 'application/json, text/plain, text/csv, */*' } });
      if (!res.ok) throw new Error(`HTTP ${res.status} from ${new URL(location).origin}`);
      const text = await readCapped(res, maxBytes);
      if (text === undefined) throw new Error(`response larger than ${maxBytes} bytes`);
      return text;
    }
    const info = await stat(location);
    if (info.size > maxBytes) throw new Error(`file larger than ${maxBytes} bytes`);
    return readFile(location, { encoding: 'utf8', signal: combined });
  };
}

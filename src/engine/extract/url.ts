/**
 * URLs with an http, https or ftp scheme (defanged schemes are refanged before this runs). The stored
 * value is the WHATWG serialization (`new URL(x).href`): lower-case scheme and host, punycode IDNs,
 * default port dropped, `/` for an empty path, which is also what a browser would request.
 */
import { IocType } from '../types.js';
import type { Candidate } from './candidate.js';
import { normalizeDomain } from './domain.js';
import { parseIp } from './ip.js';

export const MAX_URL_CHARS = 2048;
const SCHEMES = new Set(['http:', 'https:', 'ftp:']);
const SCHEME_PREFIX = /^(?:https?|ftp):\/\//i;

export interface NormalizedUrl {
  value: string;
  hostname: string;
}

export function normalizeUrl(raw: string): NormalizedUrl | undefined {
  const text = raw.trim();
  if (text.length > MAX_URL_CHARS || !SCHEME_PREFIX.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (!SCHEMES.has(url.protocol) || url.hostname === '') return undefined;
  return { value: url.href, hostname: url.hostname };
}

/** The host of a URL as an IOC: an address, or a domain (the URL syntax vouches for file-like TLDs). */
export function urlHostCandidate(hostname: string, start: number, end: number): Candidate | undefined {
  const ip = parseIp(hostname);
  if (ip) return { ...ip, start, end };
  const domain = normalizeDomain(hostname);
  return domain === undefined ? undefined : { type: IocType.DOMAIN, value: domain, start, end };
}

const TRAILING = new Set(['.', ',', ';', ':', '!', '?', ')', ']', '}', '>', '*']);
const CLOSERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * Drops sentence punctuation after a URL, but keeps a closing bracket the URL itself opened
 * (`https://en.wikipedia.org/wiki/Foo_(bar)`). Counts are taken once, so this stays linear.
 */
export function trimUrlTail(raw: string): string {
  const open: Record<string, number> = { '(': count(raw, '('), '[': count(raw, '['), '{': count(raw, '{') };
  const close: Record<string, number> = { ')': count(raw, ')'), ']': count(raw, ']'), '}': count(raw, '}') };
  let end = raw.length;
  while (end > 0) {
    const ch = raw.charAt(end - 1);
    if (!TRAILING.has(ch)) break;
    const opener = CLOSERS[ch];
    if (opener !== undefined) {
      if ((close[ch] ?? 0) <= (open[opener] ?? 0)) break;
      close[ch] = (close[ch] ?? 0) - 1;
    }
    end--;
  }
  return raw.slice(0, end);
}

/** Scheme, then everything up to whitespace, a quote or an angle bracket. One class: no backtracking. */
const URL_IN_TEXT = /\b(?:https?|ftp):\/\/[^\s"'<>`]+/gi;

/** URLs in text, each followed by the domain or address of its host (same span). */
export function findUrls(text: string, limit: number): Candidate[] {
  const out: Candidate[] = [];
  URL_IN_TEXT.lastIndex = 0;
  for (let m = URL_IN_TEXT.exec(text); m !== null && out.length < limit; m = URL_IN_TEXT.exec(text)) {
    if (m[0].length > MAX_URL_CHARS * 2) continue;
    const raw = trimUrlTail(m[0]);
    const url = normalizeUrl(raw);
    if (!url) continue;
    const start = m.index;
    const end = start + raw.length;
    out.push({ type: IocType.URL, value: url.value, start, end });
    const host = urlHostCandidate(url.hostname, start, end);
    if (host) out.push(host);
  }
  return out;
}

/**
 * Email addresses: a dot-atom local part and a domain that passes the public-suffix check. Stored
 * lower-case: mail systems treat local parts case-insensitively in practice, and one identity per
 * mailbox matters more here than RFC 5321's letter.
 */
import { IocType } from '../types.js';
import type { Candidate } from './candidate.js';
import { normalizeDomain } from './domain.js';

const LOCAL_CHARS = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;

/** RFC 5322 dot-atom: allowed characters, no leading, trailing or doubled dot. */
function isDotAtom(local: string): boolean {
  return LOCAL_CHARS.test(local) && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

export interface NormalizedEmail {
  value: string;
  domain: string;
}

export function normalizeEmail(raw: string): NormalizedEmail | undefined {
  let text = raw.trim().toLowerCase();
  if (text.startsWith('mailto:')) text = text.slice('mailto:'.length);
  const at = text.lastIndexOf('@');
  if (at <= 0 || at > 64 || text.length > 254) return undefined;
  const local = text.slice(0, at);
  if (!isDotAtom(local)) return undefined;
  const domain = normalizeDomain(text.slice(at + 1));
  return domain === undefined ? undefined : { value: `${local}@${domain}`, domain };
}

/**
 * The local part must start at a boundary and is bounded, so a run longer than 64 never yields a
 * truncated address; the domain part is one greedy class with nothing after it.
 */
const EMAIL_IN_TEXT = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}.-]{1,253}/gu;

/** Emails in text, each followed by its domain (same span). */
export function findEmails(text: string, limit: number): Candidate[] {
  const out: Candidate[] = [];
  EMAIL_IN_TEXT.lastIndex = 0;
  for (let m = EMAIL_IN_TEXT.exec(text); m !== null && out.length < limit; m = EMAIL_IN_TEXT.exec(text)) {
    const start = m.index;
    // `http://paypal.com@evil.com/`: the user-info of a URL, not a mailbox.
    if (text.slice(Math.max(0, start - 2), start) === '//') continue;
    let raw = m[0];
    while (raw.endsWith('.') || raw.endsWith('-')) raw = raw.slice(0, -1);
    const email = normalizeEmail(raw);
    if (!email) continue;
    const end = start + raw.length;
    out.push({ type: IocType.EMAIL, value: email.value, start, end });
    out.push({ type: IocType.DOMAIN, value: email.domain, start, end });
  }
  return out;
}

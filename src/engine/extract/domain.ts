/**
 * Domain names: only names under an ICANN public suffix that have a registrable part (tldts), in
 * lower-case ASCII (IDNs as punycode, the form DNS and URLs use), without the trailing dot.
 */
import { domainToASCII } from 'node:url';
import { parse } from 'tldts';
import { IocType } from '../types.js';
import type { Candidate } from './candidate.js';

/**
 * Top-level domains that are also file extensions seen in logs and paths (`install.sh`, `libc.so`,
 * `setup.py`, `invoice.zip`, `multi-user.target`). Non-TLD extensions (`.exe`, `.dll`, `.php`, `.js`,
 * `.json`, `.log`) never pass the public-suffix check, and are listed only to make the rule explicit.
 *
 * Busy country codes that are also extensions (.pl, .in, .cc, .ai, .ms for aka.ms) are left out: their
 * domains are common in attacks and those files are rare in security logs.
 *
 * The rule: in free text such a name is taken for a file, not a domain. It is a domain only where the
 * syntax says so: the host of a URL, the domain of an email address, or a structured domain/host field.
 */
export const FILE_EXTENSION_TLDS: ReadonlySet<string> = new Set([
  'cab', 'cat', 'download', 'java', 'map', 'md', 'mov', 'new', 'one', 'pid', 'pub', 'py', 'run', 'save',
  'sh', 'so', 'target', 'zip',
  'bat', 'bin', 'conf', 'dll', 'exe', 'js', 'json', 'log', 'php', 'ps1', 'service', 'sys', 'tmp', 'txt',
]);

/** Heads of reverse-DNS identifiers (`com.example.app`, `android.intent.action`), not host names. */
const REVERSE_DNS_HEADS: ReadonlySet<string> = new Set(['com', 'org', 'net', 'java', 'javax', 'android', 'androidx', 'kotlin']);

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const ASCII = /^[\x20-\x7e]*$/;

export interface DomainOptions {
  /**
   * True when the name stands alone in free text, with nothing but its shape to say it is a domain:
   * file-extension TLDs and reverse-DNS identifiers are then refused.
   */
  bareText?: boolean;
}

/** Lower-case ASCII form of a syntactically valid host name, or undefined. */
function toAsciiName(value: string): string | undefined {
  let text = value.trim();
  if (text.endsWith('.')) text = text.slice(0, -1);
  if (text.length === 0 || text.length > 253) return undefined;
  const ascii = ASCII.test(text) ? text.toLowerCase() : domainToASCII(text).toLowerCase();
  if (ascii.length === 0 || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => l.length <= 63 && LABEL.test(l))) return undefined;
  return ascii;
}

export function normalizeDomain(value: string, options: DomainOptions = {}): string | undefined {
  const name = toAsciiName(value);
  if (name === undefined) return undefined;
  const parsed = parse(name, { allowPrivateDomains: false, extractHostname: false });
  if (parsed.isIp === true || parsed.isIcann !== true || parsed.domain === null || parsed.publicSuffix === null) return undefined;
  // Reverse-lookup zones are DNS plumbing; the address inside is what matters and is found as an IP.
  if (parsed.publicSuffix === 'arpa' || parsed.publicSuffix.endsWith('.arpa')) return undefined;
  if (options.bareText) {
    const labels = name.split('.');
    if (FILE_EXTENSION_TLDS.has(labels[labels.length - 1] ?? '')) return undefined;
    if (labels.length >= 3 && REVERSE_DNS_HEADS.has(labels[0] ?? '')) return undefined;
  }
  return name;
}

/** Maximal runs of name characters; validation decides which are domains. Linear: one class, no nesting. */
const NAME_RUN = /[\p{L}\p{N}_.-]+/gu;
const EDGE_JUNK = new Set(['.', '_', '-']);

export function findDomains(text: string, limit: number): Candidate[] {
  const out: Candidate[] = [];
  NAME_RUN.lastIndex = 0;
  for (let m = NAME_RUN.exec(text); m !== null && out.length < limit; m = NAME_RUN.exec(text)) {
    const run = m[0];
    if (!run.includes('.') || run.length > 260) continue;
    const before = text.charAt(m.index - 1);
    const after = text.charAt(m.index + run.length);
    // A path component (`/usr/lib/libc.so`, `C:\x\evil.com`), an email's local part or a call `os.system(`.
    if (before === '/' || before === '\\' || after === '@' || after === '(') continue;
    let lead = 0;
    let end = run.length;
    while (lead < end && EDGE_JUNK.has(run.charAt(lead))) lead++;
    while (end > lead && EDGE_JUNK.has(run.charAt(end - 1))) end--;
    const value = normalizeDomain(run.slice(lead, end), { bareText: true });
    if (value !== undefined) out.push({ type: IocType.DOMAIN, value, start: m.index + lead, end: m.index + end });
  }
  return out;
}

/**
 * Free-text extraction: refang, run every extractor over the text, give each match its role from
 * the pattern or the words before it, and hand the results to the collector.
 */
import { IocRole, IocType, type ExtractedIoc } from '../types.js';
import type { Candidate } from './candidate.js';
import type { IocCollector } from './collector.js';
import { findContextHosts, roleBefore } from './context.js';
import { findCves } from './cve.js';
import { findDomains } from './domain.js';
import { findEmails } from './email.js';
import { findHashes } from './hash.js';
import { findIps } from './ip.js';
import { EXTRACT_LIMITS } from './limits.js';
import { refang } from './refang.js';
import { findUrls } from './url.js';
import { findUsernames } from './username.js';

/** Cuts to `max` UTF-16 units without splitting a surrogate pair. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function toIoc(c: Candidate, role: IocRole): ExtractedIoc {
  return c.ip ? { type: c.type, value: c.value, role, ip: c.ip } : { type: c.type, value: c.value, role };
}

/** Offsets covered by account names, so `user=alice@corp.com` or `for invalid user a.example.com` yield no domain. */
function usernameMask(length: number, names: readonly Candidate[]): Uint8Array | undefined {
  if (names.length === 0) return undefined;
  const mask = new Uint8Array(length);
  for (const n of names) mask.fill(1, n.start, n.end);
  return mask;
}

/** Scans one text (already capped by the caller) into the collector. */
export function scanText(raw: string, collector: IocCollector): void {
  if (raw.length === 0) return;
  const text = refang(raw);
  const limit = EXTRACT_LIMITS.candidatesPerKind;

  const names = findUsernames(text, limit);
  for (const n of names) collector.add(toIoc(n, n.role ?? IocRole.RELATED));
  const inName = usernameMask(text.length, names);
  const notInName = (c: Candidate): boolean => c.type !== IocType.DOMAIN || inName?.[c.start] !== 1;

  for (const c of findContextHosts(text, limit)) if (notInName(c)) collector.add(toIoc(c, c.role ?? IocRole.RELATED));

  for (const c of findIps(text, limit)) collector.add(toIoc(c, roleBefore(text, c.start, c.type)));

  // An email's own role comes from its context (`from=<…>`); the domain inside it is only related.
  for (const c of findEmails(text, limit)) {
    if (!notInName(c)) continue;
    collector.add(toIoc(c, c.type === IocType.EMAIL ? roleBefore(text, c.start, c.type) : IocRole.RELATED));
  }
  for (const c of findUrls(text, limit)) if (notInName(c)) collector.add(toIoc(c, IocRole.RELATED));
  for (const c of findDomains(text, limit)) if (notInName(c)) collector.add(toIoc(c, roleBefore(text, c.start, c.type)));
  for (const c of findHashes(text, limit)) collector.add(toIoc(c, roleBefore(text, c.start, c.type)));
  for (const c of findCves(text, limit)) collector.add(toIoc(c, IocRole.RELATED));
}

/** Hash values of a structured field (`hash`, `file`, Sysmon `Hashes=MD5=…,SHA256=…`), all with role FILE. */
export function scanHashes(raw: string, collector: IocCollector): number {
  const found = findHashes(capText(raw, EXTRACT_LIMITS.structuredChars), EXTRACT_LIMITS.candidatesPerKind);
  for (const c of found) collector.add(toIoc(c, IocRole.FILE));
  return found.length;
}

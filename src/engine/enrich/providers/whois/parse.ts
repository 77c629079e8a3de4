/**
 * Registry WHOIS replies to the registration shape RDAP gives. Handles the ICANN format (`Domain Name:`,
 * `Creation Date:`, `Registry Expiry Date:`), RIPE-like ones (`created:`, `paid-till:`, `nserver:`) and
 * Nominet-like blocks (a key line, then its values indented below).
 */
import type { DomainRegistration } from '../rdap/domain-registration.js';
import { parseWhoisDate } from './dates.js';

type Field = 'domain' | 'handle' | 'created' | 'expires' | 'updated' | 'registrar' | 'registrarIanaId' | 'registrarAbuseEmail' | 'whoisServer' | 'nameserver' | 'status';

const KEYS: Record<string, Field> = {
  'domain name': 'domain',
  domain: 'domain',
  domainname: 'domain',
  'registry domain id': 'handle',
  'creation date': 'created',
  created: 'created',
  'created on': 'created',
  'created date': 'created',
  'registered on': 'created',
  registered: 'created',
  'registration date': 'created',
  'registration time': 'created',
  'domain registration date': 'created',
  'updated date': 'updated',
  'last updated': 'updated',
  'last modified': 'updated',
  'last-modified': 'updated',
  changed: 'updated',
  modified: 'updated',
  registrar: 'registrar',
  'sponsoring registrar': 'registrar',
  'registrar name': 'registrar',
  'registrar iana id': 'registrarIanaId',
  'registrar abuse contact email': 'registrarAbuseEmail',
  'registrar whois server': 'whoisServer',
  'whois server': 'whoisServer',
  'name server': 'nameserver',
  'name servers': 'nameserver',
  nameserver: 'nameserver',
  nameservers: 'nameserver',
  nserver: 'nameserver',
  'domain status': 'status',
  status: 'status',
  state: 'status',
  'registration status': 'status',
};

/** Expiry keys, best first: the registry's own date beats the registrar's copy of it. */
const EXPIRY_KEYS = ['registry expiry date', 'expiration date', 'expiry date', 'registrar registration expiration date', 'paid-till', 'expires', 'expires on', 'expire date', 'renewal date'];

const NOT_FOUND = [/^\s*no match for\b/im, /^\s*%*\s*no entries found\b/im, /\bno data found\b/i, /\bdomain not found\b/i, /^\s*not found\b/im, /\bNOT FOUND\b/, /\bobject does not exist\b/i, /^\s*status:\s*(?:free|available)\s*$/im, /\bno such domain\b/i];
const RATE_LIMITED = [/\blimit exceeded\b/i, /\bexceeded (?:the )?(?:query )?(?:rate|limit|quota)/i, /\btoo many (?:queries|requests|connections)\b/i, /\bquery rate\b/i];

export type WhoisParse =
  | { kind: 'record'; registration: DomainRegistration }
  | { kind: 'not-found' }
  | { kind: 'rate-limited' }
  | { kind: 'unrecognised' };

const normKey = (key: string): string => key.trim().toLowerCase().replace(/\s+/g, ' ');
const KV = /^(\s*)([^:]{1,60}?):(?:\s+(.*?))?\s*$/;
const indentOf = (line: string): number => /^\s*/.exec(line)?.[0].length ?? 0;

/** `clientHold https://icann.org/epp#clientHold` -> `clientHold`; `REGISTERED, DELEGATED` -> two values. */
function statusValues(value: string): string[] {
  const bare = value.replace(/\s*\(?https?:\/\/\S*\)?\s*$/i, '').trim();
  return bare.includes(',') ? bare.split(',').map((s) => s.trim()).filter(Boolean) : bare ? [bare] : [];
}

/** Every `key: value` pair, in order; a key with no value takes the indented lines below it as values. */
function pairs(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let block: { key: string; indent: number } | undefined;
  for (const line of text.split(/\r?\n/)) {
    // `>>> Last update of WHOIS database` ends the record; the legal text after it is full of colons.
    if (/^\s*>>>/.test(line)) break;
    if (line.trim() === '') {
      block = undefined;
      continue;
    }
    const m = KV.exec(line);
    const key = m ? normKey(m[2] ?? '') : undefined;
    const inBlock = block !== undefined && indentOf(line) > block.indent;
    if (block && inBlock && (key === undefined || (KEYS[key] === undefined && !EXPIRY_KEYS.includes(key)))) {
      out.push([block.key, line.trim()]);
      continue;
    }
    if (m && key !== undefined) {
      const value = m[3] ?? '';
      if (value === '') block = { key, indent: indentOf(line) };
      else out.push([key, value]);
    }
  }
  return out;
}

export function parseWhois(text: string, asked: string): WhoisParse {
  const found: Partial<Record<Field, string>> = {};
  const nameservers = new Set<string>();
  const status: string[] = [];
  let expiry: { rank: number; value: string } | undefined;
  for (const [key, value] of pairs(text)) {
    const rank = EXPIRY_KEYS.indexOf(key);
    if (rank >= 0) {
      if (!expiry || rank < expiry.rank) expiry = { rank, value };
      continue;
    }
    const field = KEYS[key];
    if (field === 'nameserver') {
      const host = value.split(/\s+/)[0]?.toLowerCase().replace(/\.$/, '');
      if (host) nameservers.add(host);
    } else if (field === 'status') {
      for (const s of statusValues(value)) if (!status.includes(s)) status.push(s);
    } else if (field !== undefined && found[field] === undefined) {
      // First one wins: contact blocks further down repeat `created:` and `changed:` for themselves.
      found[field] = value;
    }
  }
  const registration: DomainRegistration = { domain: (found.domain ?? asked).toLowerCase(), source: 'whois', status, nameservers: [...nameservers] };
  const optional: Array<[keyof DomainRegistration, string | undefined]> = [
    ['handle', found.handle],
    ['registeredAt', found.created && parseWhoisDate(found.created)],
    ['expiresAt', expiry && parseWhoisDate(expiry.value)],
    ['updatedAt', found.updated && parseWhoisDate(found.updated)],
    ['registrar', found.registrar],
    ['registrarIanaId', found.registrarIanaId],
    ['registrarAbuseEmail', found.registrarAbuseEmail],
    ['whoisServer', found.whoisServer],
  ];
  for (const [key, value] of optional) if (value) Object.assign(registration, { [key]: value });
  const hasRecord = found.domain !== undefined || found.created !== undefined || found.registrar !== undefined || nameservers.size > 0;
  if (hasRecord) return { kind: 'record', registration };
  if (NOT_FOUND.some((re) => re.test(text))) return { kind: 'not-found' };
  if (RATE_LIMITED.some((re) => re.test(text))) return { kind: 'rate-limited' };
  return { kind: 'unrecognised' };
}

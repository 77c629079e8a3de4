/**
 * IPv4 and IPv6 addresses: validation and ranges through ipaddr.js, canonical text (dotted decimal,
 * RFC 5952 for IPv6, IPv4-mapped IPv6 reported as the IPv4 address it carries).
 */
import ipaddr from 'ipaddr.js';
import { IocType, type IpFlags } from '../types.js';
import type { Candidate } from './candidate.js';

export interface ParsedIp {
  type: typeof IocType.IPV4 | typeof IocType.IPV6;
  value: string;
  ip: IpFlags;
}

/** Special-purpose ranges that are still globally routed: addresses there are real peers. */
const GLOBAL_RANGES = new Set(['unicast', '6to4', 'teredo', 'rfc6052', 'rfc6145', 'as112', 'as112v6', 'amt']);

function flagsOf(addr: ipaddr.IPv4 | ipaddr.IPv6): IpFlags {
  const range = addr.range();
  const isPrivate = range === 'private' || range === 'uniqueLocal';
  const loopback = range === 'loopback';
  // Unique-local is both: private like RFC 1918, and reserved for non-global use.
  const reserved = range === 'uniqueLocal' || (!isPrivate && !loopback && !GLOBAL_RANGES.has(range));
  return { private: isPrivate, loopback, reserved, range };
}

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Exactly four decimal octets. Leading zeros are read as decimal, as a person writing a log means them;
 * ipaddr.js would read them as octal and also accepts shorthand forms like `127.1`.
 */
function parseIpv4(text: string): ipaddr.IPv4 | undefined {
  const m = DOTTED_QUAD.exec(text);
  if (!m) return undefined;
  const octets = [m[1], m[2], m[3], m[4]].map((o) => Number.parseInt(o ?? '', 10));
  if (octets.some((o) => !(o >= 0 && o <= 255))) return undefined;
  return new ipaddr.IPv4(octets);
}

function parseIpv6(text: string): ipaddr.IPv6 | undefined {
  // The zone (`%eth0`) names an interface on one machine, so it is no part of the indicator.
  const zoneAt = text.indexOf('%');
  const bare = zoneAt >= 0 ? text.slice(0, zoneAt) : text;
  if (bare.length > 45 || !ipaddr.IPv6.isValid(bare)) return undefined;
  return ipaddr.IPv6.parse(bare);
}

/** Validates and canonicalizes an address (brackets and zone allowed); undefined when it is none. */
export function parseIp(value: string): ParsedIp | undefined {
  let text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (text.length === 0 || text.length > 64) return undefined;
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 ? { type: IocType.IPV4, value: v4.toString(), ip: flagsOf(v4) } : undefined;
  }
  const v6 = parseIpv6(text);
  if (!v6) return undefined;
  if (v6.isIPv4MappedAddress()) {
    const v4 = v6.toIPv4Address();
    return { type: IocType.IPV4, value: v4.toString(), ip: flagsOf(v4) };
  }
  return { type: IocType.IPV6, value: v6.toRFC5952String(), ip: flagsOf(v6) };
}

export function classifyIp(value: string): IpFlags | undefined {
  return parseIp(value)?.ip;
}

/**
 * Four octets not glued to other word characters or dots, so `1.2.3.4.5`, `v1.2.3.4` and
 * `OpenSSH_7.4` are no match. Each piece is bounded; a failed attempt costs a few steps.
 */
const IPV4_IN_TEXT = /(?<![\w.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\.?\w)/g;
/** A maximal run of the characters an IPv6 address is made of; validity is decided afterwards. */
const HEX_COLON_RUN = /[0-9A-Fa-f:.]{2,}/g;
const ZONE = /^%[\w.-]{1,32}/;
const VERSION_BEFORE = /\b(?:version|ver\.?|build|release|firmware)[ \t:=]{0,3}$/i;
const WORD_CHAR = /[\w]/;

function ipv4Candidates(text: string, out: Candidate[], limit: number): void {
  IPV4_IN_TEXT.lastIndex = 0;
  for (let m = IPV4_IN_TEXT.exec(text); m !== null && out.length < limit; m = IPV4_IN_TEXT.exec(text)) {
    const start = m.index;
    if (VERSION_BEFORE.test(text.slice(Math.max(0, start - 16), start))) continue;
    const parsed = parseIp(m[0]);
    if (parsed) out.push({ ...parsed, start, end: start + m[0].length });
  }
}

/** Trims what sentence punctuation or a following `:port`-like colon glues onto a run. */
function trimRun(run: string): { text: string; offset: number } {
  let text = run;
  let offset = 0;
  while (text.endsWith('.')) text = text.slice(0, -1);
  if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  if (text.startsWith(':') && !text.startsWith('::')) {
    text = text.slice(1);
    offset = 1;
  }
  return { text, offset };
}

/** Eight two-digit groups with no `::` is a byte dump (EUI-64, key fingerprint), not an address. */
function looksLikeByteDump(text: string): boolean {
  if (text.includes('::')) return false;
  const groups = text.split(':');
  return groups.length === 8 && groups.every((g) => g.length === 2);
}

function ipv6Candidates(text: string, out: Candidate[], limit: number): void {
  HEX_COLON_RUN.lastIndex = 0;
  for (let m = HEX_COLON_RUN.exec(text); m !== null && out.length < limit; m = HEX_COLON_RUN.exec(text)) {
    const run = m[0];
    const runEnd = m.index + run.length;
    if (run.length > 64 || run.indexOf(':') === run.lastIndexOf(':')) continue;
    const { text: addr, offset } = trimRun(run);
    // A run glued to letters is part of a word (`std::cerr`, `Foo::Bar`); `addr:fe80::1` is a key.
    if (offset === 0 && m.index > 0 && WORD_CHAR.test(text.charAt(m.index - 1))) continue;
    const zone = text.charAt(runEnd) === '%' ? ZONE.exec(text.slice(runEnd, runEnd + 34)) : null;
    const after = runEnd + (zone ? zone[0].length : 0);
    if (after < text.length && WORD_CHAR.test(text.charAt(after))) continue;
    if (!/[0-9A-Fa-f]/.test(addr) || looksLikeByteDump(addr)) continue;
    const parsed = parseIp(addr);
    if (parsed) out.push({ ...parsed, start: m.index + offset, end: after });
  }
}

export function findIps(text: string, limit: number): Candidate[] {
  const out: Candidate[] = [];
  ipv4Candidates(text, out, limit);
  ipv6Candidates(text, out, limit);
  return out;
}

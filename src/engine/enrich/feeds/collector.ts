/**
 * Gathers one parse: normalizes every value exactly as alert IOCs are normalized, dedups, caps, and
 * keeps a few examples of what was skipped and why.
 */
import { detectIoc, normalizeDomain, normalizeHostname, normalizeIocValue } from '../../extract/index.js';
import { IocType } from '../../types.js';
import { isReservedBlock, parseCidr } from './ip-range.js';
import { FEED_LIMITS, type FeedIndicator, type IndicatorMeta, type IndicatorType, type ParseProblem, type ParseResult } from './types.js';

/** Blocks wider than these cover whole regions of the Internet: a feed listing one is broken. */
const MIN_PREFIX = { 4: 8, 6: 16 } as const;

const HASH_TYPES: ReadonlySet<string> = new Set([IocType.MD5, IocType.SHA1, IocType.SHA256, IocType.SHA512]);

/** What the feed claims the value is; AUTO detects it (IP, CIDR, URL, email, hash, domain). */
export type ValueKind = IndicatorType | 'AUTO' | 'IP' | 'HOST';

export interface CollectorOptions {
  /**
   * Keep private and reserved blocks. Feeds never need them (FireHOL level1 lists bogons, which would
   * flag every internal address); the organisation's own warning list does.
   */
  allowReserved?: boolean;
}

export class ParseCollector {
  constructor(private readonly options: CollectorOptions = {}) {}

  private readonly indicators: FeedIndicator[] = [];
  private readonly seen = new Set<string>();
  private readonly problems: ParseProblem[] = [];
  private skippedTotal = 0;
  private fatal: string | undefined;

  skip(reason: string, line?: number): void {
    this.skippedTotal++;
    if (this.problems.length < FEED_LIMITS.problemsKept) this.problems.push(line === undefined ? { reason } : { line, reason });
  }

  fail(reason: string): void {
    this.fatal ??= reason;
  }

  /** Normalizes and adds one value; a value that is no valid indicator of that kind is skipped with a reason. */
  add(kind: ValueKind, raw: string, meta: IndicatorMeta, line?: number): boolean {
    const shown = raw.length > 80 ? `${raw.slice(0, 80)}...` : raw;
    const resolved = resolve(kind, raw.trim(), this.options.allowReserved === true);
    if (typeof resolved === 'string') {
      this.skip(`${resolved}: ${JSON.stringify(shown)}`, line);
      return false;
    }
    if (this.indicators.length >= FEED_LIMITS.maxIndicators) {
      this.skip(`over the limit of ${FEED_LIMITS.maxIndicators} indicators`, line);
      return false;
    }
    const key = `${resolved.type}\u0000${resolved.value}`;
    if (this.seen.has(key)) return true;
    this.seen.add(key);
    this.indicators.push({ ...resolved, meta: compact(meta) });
    return true;
  }

  result(): ParseResult {
    const out: ParseResult = { indicators: this.indicators, skipped: this.problems, skippedCount: this.skippedTotal };
    if (this.fatal !== undefined) out.error = this.fatal;
    return out;
  }
}

/** The indicator, or why it is none. */
function resolve(kind: ValueKind, text: string, allowReserved: boolean): { type: IndicatorType; value: string } | string {
  if (text === '') return 'empty value';
  if (text.length > FEED_LIMITS.maxLineChars) return 'value too long';
  if (kind === 'CIDR' || ((kind === 'AUTO' || kind === 'IP') && /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(text))) return resolveCidr(text, allowReserved);
  switch (kind) {
    case 'AUTO': {
      const found = detectIoc(text);
      if (!found || found.type === IocType.CVE) return 'not an IP, CIDR, domain, URL, email or hash';
      return found;
    }
    case 'IP': {
      const found = detectIoc(text);
      return found && (found.type === IocType.IPV4 || found.type === IocType.IPV6) ? found : 'not an IP address';
    }
    case 'HOST': {
      // Feeds label internal-looking names "hostname" too; a public domain is the useful reading.
      const domain = normalizeDomain(text);
      if (domain !== undefined) return { type: IocType.DOMAIN, value: domain };
      const hostname = normalizeHostname(text);
      return hostname === undefined ? 'not a host name' : { type: IocType.HOSTNAME, value: hostname };
    }
    default: {
      const value = normalizeIocValue(kind, text);
      if (value !== undefined) return { type: kind, value };
      // A hash feed sometimes mixes digests; the length says which one it is.
      if (HASH_TYPES.has(kind)) {
        const found = detectIoc(text);
        if (found && HASH_TYPES.has(found.type)) return found;
      }
      return `not a valid ${kind}`;
    }
  }
}

function resolveCidr(text: string, allowReserved: boolean): { type: IndicatorType; value: string } | string {
  const block = parseCidr(text);
  if (!block) return 'not a valid CIDR block';
  if (block.prefix === (block.family === 4 ? 32 : 128)) {
    const ip = detectIoc(block.cidr.slice(0, block.cidr.indexOf('/')));
    return ip ? { type: ip.type, value: ip.value } : 'not a valid CIDR block';
  }
  if (block.prefix < MIN_PREFIX[block.family]) return `block wider than /${MIN_PREFIX[block.family]}`;
  if (!allowReserved && isReservedBlock(block)) return 'private or reserved block (bogon), not a threat indicator';
  return { type: 'CIDR', value: block.cidr };
}

/** Drops empty fields so stored meta stays small. */
function compact(meta: IndicatorMeta): IndicatorMeta {
  const out: IndicatorMeta = {};
  for (const [k, v] of Object.entries(meta)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}...` : v;
  }
  return out;
}

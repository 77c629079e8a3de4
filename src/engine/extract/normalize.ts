/**
 * One normal form per IOC type, shared by extraction and by lookups of user input, so a value typed
 * into a search box (even defanged) finds the stored IOC.
 */
import { IocType } from '../types.js';
import { normalizeCve } from './cve.js';
import { normalizeDomain } from './domain.js';
import { normalizeEmail } from './email.js';
import { hashTypeOf, normalizeHash } from './hash.js';
import { normalizeHostname } from './hostname.js';
import { parseIp } from './ip.js';
import { refang } from './refang.js';
import { normalizeUrl } from './url.js';
import { normalizeUsername } from './username.js';

/** Inputs longer than this are no IOC value. */
const MAX_INPUT = 4096;

/**
 * The stored form of `value` as an IOC of `type`, or undefined when it is not a valid one. An
 * IPv4-mapped IPv6 address is stored as IPV4, so it is undefined as an IPV6.
 */
export function normalizeIocValue(type: IocType, value: string): string | undefined {
  if (value.length > MAX_INPUT) return undefined;
  // Account names are taken as typed: brackets and `(at)` are legitimate characters in them.
  const text = type === IocType.USERNAME ? value : refang(value.trim());
  switch (type) {
    case IocType.IPV4:
    case IocType.IPV6: {
      const ip = parseIp(text);
      return ip?.type === type ? ip.value : undefined;
    }
    case IocType.DOMAIN:
      return normalizeDomain(text);
    case IocType.URL:
      return normalizeUrl(text)?.value;
    case IocType.EMAIL:
      return normalizeEmail(text)?.value;
    case IocType.MD5:
    case IocType.SHA1:
    case IocType.SHA256:
    case IocType.SHA512:
      return normalizeHash(text, type);
    case IocType.USERNAME:
      return normalizeUsername(text);
    case IocType.HOSTNAME:
      return normalizeHostname(text);
    case IocType.CVE:
      return normalizeCve(text);
  }
}

/**
 * Guesses the type of a free-form value (a search box): address, URL, email, CVE, digest, then
 * domain. Host and user names are ambiguous with each other and need an explicit type.
 */
export function detectIoc(value: string): { type: IocType; value: string } | undefined {
  if (value.length > MAX_INPUT) return undefined;
  const text = refang(value.trim());
  const ip = parseIp(text);
  if (ip) return { type: ip.type, value: ip.value };
  const hashType = hashTypeOf(text);
  const order: readonly IocType[] = [IocType.URL, IocType.EMAIL, IocType.CVE, ...(hashType ? [hashType] : []), IocType.DOMAIN];
  for (const type of order) {
    const normalized = normalizeIocValue(type, text);
    if (normalized !== undefined) return { type, value: normalized };
  }
  return undefined;
}

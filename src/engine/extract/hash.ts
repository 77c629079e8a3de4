/**
 * MD5, SHA-1, SHA-256 and SHA-512 digests: hex runs of exactly 32, 40, 64 or 128 characters, taken
 * whole, so the first half of a SHA-256 is never also an MD5. Stored lower-case.
 */
import { IocType } from '../types.js';
import type { Candidate } from './candidate.js';

const BY_LENGTH: Readonly<Record<number, IocType>> = {
  32: IocType.MD5,
  40: IocType.SHA1,
  64: IocType.SHA256,
  128: IocType.SHA512,
};

export function hashTypeOf(hex: string): IocType | undefined {
  return /^[0-9a-fA-F]+$/.test(hex) ? BY_LENGTH[hex.length] : undefined;
}

/**
 * All digits is a number and one repeated character (`000…0`, `fff…f`) a placeholder; a real digest
 * is either with negligible probability.
 */
function isPlausibleDigest(hex: string): boolean {
  if (!/[a-f]/.test(hex) || !/[0-9]/.test(hex)) return false;
  const first = hex.charAt(0);
  for (let i = 1; i < hex.length; i++) if (hex.charAt(i) !== first) return true;
  return false;
}

export function normalizeHash(value: string, type?: IocType): string | undefined {
  const hex = value.trim().toLowerCase();
  const detected = hashTypeOf(hex);
  if (detected === undefined || (type !== undefined && type !== detected)) return undefined;
  return hex;
}

/**
 * Alphanumeric neighbours count as glue, not only hex ones: `x509…`, `id_…` or a longer base64 token
 * are not digests. Only a run's first position can pass the look-behind, so a long hex run costs one
 * bounded attempt.
 */
const HEX_RUN = /(?<![0-9A-Za-z])[0-9A-Fa-f]{32,128}(?![0-9A-Za-z])/g;

/** Sysmon's `IMPHASH=` is MD5-sized but names an import table, not a file. */
const NOT_A_FILE_DIGEST = /imphash[ \t]{0,2}[=:][ \t]{0,2}$/i;

export function findHashes(text: string, limit: number): Candidate[] {
  const out: Candidate[] = [];
  HEX_RUN.lastIndex = 0;
  for (let m = HEX_RUN.exec(text); m !== null && out.length < limit; m = HEX_RUN.exec(text)) {
    const hex = m[0].toLowerCase();
    const type = BY_LENGTH[hex.length];
    if (type === undefined || !isPlausibleDigest(hex)) continue;
    if (NOT_A_FILE_DIGEST.test(text.slice(Math.max(0, m.index - 12), m.index))) continue;
    out.push({ type, value: hex, start: m.index, end: m.index + hex.length });
  }
  return out;
}

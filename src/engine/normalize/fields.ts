/**
 * Shared helpers for the normalizers: reading untrusted objects safely, converting loosely typed values
 * and flattening structures into the bounded `fields` map.
 */
import { isIP } from 'node:net';
import type { NormalizedEvent } from '../types.js';

export type FieldValue = string | number | boolean;
export type FieldMap = Record<string, FieldValue>;

/** Bounds on what one event may put into `fields`, so a hostile payload cannot blow up storage or rules. */
export const FIELD_LIMITS = { depth: 6, keys: 500, valueChars: 4096, keyChars: 256 } as const;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: `obj.constructor` on a parsed payload must not reach Object.prototype. */
export function ownGet(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * Reads a dotted path, accepting nested objects, literal dotted keys (`{"source.ip": ...}` as some
 * shippers emit) and any mix of the two.
 */
export function lookup(root: unknown, path: string): unknown {
  if (!isRecord(root)) return undefined;
  const direct = ownGet(root, path);
  if (direct !== undefined) return direct;
  let dot = path.indexOf('.');
  while (dot > 0) {
    const child = ownGet(root, path.slice(0, dot));
    if (isRecord(child)) {
      const found = lookup(child, path.slice(dot + 1));
      if (found !== undefined) return found;
    }
    dot = path.indexOf('.', dot + 1);
  }
  return undefined;
}

export type Getter = (name: string) => unknown;

/**
 * A getter that matches top-level keys case-insensitively (Windows shippers disagree on `EventID` vs
 * `EventId`, `Hostname` vs `hostname`) and resolves dotted names as paths.
 */
export function makeGetter(obj: Record<string, unknown>): Getter {
  let index: Map<string, string> | undefined;
  return (name) => {
    const exact = name.includes('.') ? lookup(obj, name) : ownGet(obj, name);
    if (exact !== undefined) return exact;
    if (!index) {
      index = new Map();
      for (const key of Object.keys(obj)) {
        const lower = key.toLowerCase();
        if (!index.has(lower)) index.set(lower, key);
      }
    }
    const key = index.get(name.toLowerCase());
    return key === undefined ? undefined : ownGet(obj, key);
  };
}

/** The first candidate that converts to a defined value. */
export function pick<T>(get: Getter, names: readonly string[], convert: (v: unknown) => T | undefined): T | undefined {
  for (const name of names) {
    const value = convert(get(name));
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Cuts a string without splitting a surrogate pair. */
export function truncate(text: string, max: number = FIELD_LIMITS.valueChars): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Non-empty trimmed text; `-` is the nil value of syslog and Windows event data. */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' || text === '-' ? undefined : text;
}

const INT_TEXT = /^(?:0x[0-9a-f]{1,12}|-?\d{1,15})$/i;

/** Integers from numbers or decimal/hex text (Windows writes process ids as `0x1a74`). */
export function asInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!INT_TEXT.test(text)) return undefined;
  const n = text.toLowerCase().startsWith('0x') ? Number.parseInt(text.slice(2), 16) : Number.parseInt(text, 10);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function asPort(value: unknown): number | undefined {
  const n = asInt(value);
  return n !== undefined && n >= 0 && n <= 65535 ? n : undefined;
}

/** A syntactically valid IP address, with brackets and the IPv4-mapped IPv6 prefix removed. */
export function asIp(value: unknown): string | undefined {
  let text = asString(value);
  if (text === undefined || text.length > 64) return undefined;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (text.toLowerCase().startsWith('::ffff:') && isIP(text.slice(7)) === 4) text = text.slice(7);
  return isIP(text) === 0 ? undefined : text;
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !/^-?\d{1,15}(?:\.\d{1,9})?$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** Strings from a string or an array of strings/numbers, bounded, de-duplicated, order kept. */
export function asStringArray(value: unknown, max = 64): string[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (out.length >= max) break;
    const text = asString(item);
    if (text !== undefined && !out.includes(text)) out.push(truncate(text, 256));
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Collects `fields` under the caps. Backed by a Map and converted with Object.fromEntries, so keys such
 * as `__proto__` become plain own properties instead of changing the object's prototype.
 */
export class FieldBag {
  private readonly map = new Map<string, FieldValue>();

  get full(): boolean {
    return this.map.size >= FIELD_LIMITS.keys;
  }

  /** First write wins: a parser sets the authoritative value before any fallback does. */
  set(key: string, value: FieldValue | undefined): void {
    if (value === undefined || key === '' || key.length > FIELD_LIMITS.keyChars) return;
    if (this.map.has(key) || this.full) return;
    if (typeof value === 'number' && !Number.isFinite(value)) return;
    this.map.set(key, typeof value === 'string' ? truncate(value) : value);
  }

  toRecord(): FieldMap {
    return Object.fromEntries(this.map);
  }
}

/**
 * Flattens a JSON value into dotted keys; arrays use their index as a segment (`rule.groups.0`).
 * Objects below the depth cap and nulls are dropped.
 */
export function flattenInto(bag: FieldBag, value: unknown, prefix = '', depth = 0): void {
  if (bag.full) return;
  if (typeof value === 'string' || typeof value === 'boolean') {
    bag.set(prefix, value);
    return;
  }
  if (typeof value === 'number') {
    bag.set(prefix, value);
    return;
  }
  if (typeof value !== 'object' || value === null || depth >= FIELD_LIMITS.depth) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && !bag.full; i++) {
      flattenInto(bag, value[i], prefix === '' ? String(i) : `${prefix}.${i}`, depth + 1);
    }
    return;
  }
  for (const key in value) {
    if (bag.full) return;
    if (!Object.hasOwn(value, key)) continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (path.length > FIELD_LIMITS.keyChars) continue;
    flattenInto(bag, (value as Record<string, unknown>)[key], path, depth + 1);
  }
}

/** A readable one-line rendering of fields, for events whose source has no message of its own. */
export function summarizeFields(fields: FieldMap, max = 1024): string {
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    const part = `${key}=${String(value)}`;
    if (out === '' && part.length > max) return truncate(part, max);
    if (out.length + part.length + 1 > max) break;
    out = out === '' ? part : `${out} ${part}`;
  }
  return out;
}

/** Keys of `extra` that `base` leaves undefined are copied; the first source stays authoritative. */
export function mergeMissing(base: Partial<NormalizedEvent>, extra: Partial<NormalizedEvent>): Partial<NormalizedEvent> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined && out[key] === undefined) out[key] = value;
  }
  return out as Partial<NormalizedEvent>;
}

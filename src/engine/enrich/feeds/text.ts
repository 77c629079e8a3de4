/**
 * Text helpers for feed documents: line walking, CSV rows with quoted fields, `#` header lines and
 * guarded JSON. All single-pass over the input; no regular expression backtracks over a whole line.
 */
import { FEED_LIMITS } from './types.js';

/** Calls `fn` for each line (1-based), without building an array of the whole document. */
export function eachLine(text: string, fn: (line: string, lineNo: number) => void): void {
  let start = 0;
  let lineNo = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    fn(line, lineNo);
    start = end + 1;
  }
}

/**
 * One CSV row (RFC 4180 quoting; whitespace around fields trimmed, as ThreatFox writes `", "`).
 * A quote left open is reported as undefined rather than read past the line.
 */
export function splitCsvRow(line: string, separator = ','): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && (line[i] === ' ' || line[i] === '\t') && line[i] !== separator) i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const ch = line[i];
        if (ch === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        field += ch;
        i++;
      }
      if (!closed) return undefined;
      while (i < n && line[i] !== separator) i++;
    } else {
      const next = line.indexOf(separator, i);
      const end = next < 0 ? n : next;
      field = line.slice(i, end).trim();
      i = end;
    }
    fields.push(field);
    if (i >= n) return fields;
    i++; // the separator
  }
}

/** abuse.ch CSV dumps name their columns in the last `#` comment line before the data. */
export function headerFromComment(line: string): string[] | undefined {
  const body = line.replace(/^#\s*/, '');
  if (!body.includes(',')) return undefined;
  const names = splitCsvRow(body);
  if (!names || names.length < 3 || !names.every((n) => /^[a-z_0-9]+$/i.test(n))) return undefined;
  return names.map((n) => n.toLowerCase());
}

export type JsonOutcome = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJson(text: string): JsonOutcome {
  if (text.length > FEED_LIMITS.maxChars) return { ok: false, error: `document larger than ${FEED_LIMITS.maxChars} characters` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: `invalid JSON: ${err instanceof Error ? err.message.slice(0, 120) : 'unreadable'}` };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field, or undefined for anything else (numbers become strings: feeds are inconsistent). */
export function str(record: Record<string, unknown>, key: string): string | undefined {
  const v = record[key];
  if (typeof v === 'string') return v.trim() === '' || v === 'None' ? undefined : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Tags given as an array or a comma-separated string. */
export function tagsOf(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const tags = list.filter((t): t is string => typeof t === 'string').map((t) => t.trim()).filter((t) => t !== '' && t !== 'None');
  return tags.length > 0 ? tags.slice(0, 20) : undefined;
}

/** Strips an inline `#`/`;` comment that follows whitespace; returns '' for a comment line. */
export function stripComment(line: string): string {
  const t = line.trim();
  if (t === '' || t.startsWith('#') || t.startsWith(';') || t.startsWith('//')) return '';
  let cut = t.length;
  for (let i = 1; i < t.length; i++) {
    const ch = t[i];
    if ((ch === '#' || ch === ';') && (t[i - 1] === ' ' || t[i - 1] === '\t')) {
      cut = i;
      break;
    }
  }
  return t.slice(0, cut).trim();
}

/** The text after an inline comment marker (Spamhaus' `; SBL123`), if any. */
export function inlineComment(line: string): string | undefined {
  const t = line.trim();
  const stripped = stripComment(t);
  const rest = t.slice(stripped.length).replace(/^\s*[#;]\s*/, '').trim();
  return rest === '' ? undefined : rest;
}

export function tooBig(text: string): string | undefined {
  return text.length > FEED_LIMITS.maxChars ? `document larger than ${FEED_LIMITS.maxChars} characters` : undefined;
}

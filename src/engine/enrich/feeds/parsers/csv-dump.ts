/**
 * abuse.ch CSV dumps: a `#` comment block whose last comma-separated line names the columns, then
 * one quoted row per entry. The header is read from the file so added columns (URLhaus' `last_online`)
 * do not shift the fields; the documented header is the fallback.
 */
import type { ParseCollector } from '../collector.js';
import { eachLine, headerFromComment, splitCsvRow, tooBig } from '../text.js';
import { FEED_LIMITS } from '../types.js';

export function eachCsvRecord(
  text: string,
  fallbackHeader: readonly string[],
  out: ParseCollector,
  onRecord: (record: Record<string, string>, lineNo: number) => void,
): void {
  const big = tooBig(text);
  if (big) {
    out.fail(big);
    return;
  }
  let header: readonly string[] = fallbackHeader;
  eachLine(text, (line, lineNo) => {
    const t = line.trim();
    if (t === '') return;
    if (t.startsWith('#')) {
      header = headerFromComment(t) ?? header;
      return;
    }
    if (t.length > FEED_LIMITS.maxLineChars) {
      out.skip('line too long', lineNo);
      return;
    }
    const fields = splitCsvRow(t);
    if (!fields) {
      out.skip('unterminated quoted field', lineNo);
      return;
    }
    // Files without a `#` header may still open with a plain header row.
    if (lineNo <= 2 && fields.every((f, i) => f.toLowerCase() === header[i])) return;
    if (fields.length < header.length) {
      out.skip(`expected ${header.length} fields, found ${fields.length}`, lineNo);
      return;
    }
    const record: Record<string, string> = {};
    header.forEach((name, i) => {
      record[name] = fields[i] ?? '';
    });
    onRecord(record, lineNo);
  });
}

/** The field, or undefined when empty or abuse.ch's `None`. */
export function field(record: Record<string, string>, name: string): string | undefined {
  const v = record[name]?.trim();
  return v === undefined || v === '' || v === 'None' || v === 'null' ? undefined : v;
}

/**
 * CIDR netsets: Spamhaus DROP/EDROP (`1.4.0.0/17 ; SBL256893`, and the newer NDJSON
 * `{"cidr": ..., "sblid": ...}` lines) and FireHOL `.netset`/`.ipset` (blocks and single addresses),
 * plus `first-last` address ranges.
 */
import { ParseCollector } from '../collector.js';
import { rangeToBlocks } from '../ip-range.js';
import { eachLine, inlineComment, isRecord, stripComment, str, tooBig } from '../text.js';
import type { IndicatorMeta, ParseResult } from '../types.js';

const SBL = /^SBL\d{1,12}$/;

export function parseNetset(text: string): ParseResult {
  const out = new ParseCollector();
  const big = tooBig(text);
  if (big) {
    out.fail(big);
    return out.result();
  }
  eachLine(text, (line, lineNo) => {
    const t = line.trim();
    if (t.startsWith('{')) {
      ndjsonLine(t, lineNo, out);
      return;
    }
    const value = stripComment(t);
    if (value === '') return;
    const note = inlineComment(t);
    const meta: IndicatorMeta = {};
    if (note !== undefined) {
      if (SBL.test(note)) meta.reference = note;
      else meta.description = note;
    }
    const dash = value.indexOf('-');
    if (dash > 0) {
      // `first-last` ranges (some ipsets): split into the CIDR blocks the store indexes.
      const blocks = rangeToBlocks(value.slice(0, dash).trim(), value.slice(dash + 1).trim());
      if (!blocks) out.skip(`not a valid address range: ${JSON.stringify(value.slice(0, 80))}`, lineNo);
      else for (const b of blocks) out.add('IP', b.cidr, meta, lineNo);
      return;
    }
    out.add('IP', value, meta, lineNo);
  });
  return out.result();
}

function ndjsonLine(line: string, lineNo: number, out: ParseCollector): void {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    out.skip('invalid JSON line', lineNo);
    return;
  }
  // Spamhaus ends its NDJSON files with a metadata record `{"type":"metadata",...}`.
  if (!isRecord(record) || record.type === 'metadata') return;
  const cidr = str(record, 'cidr');
  if (cidr === undefined) {
    out.skip('JSON line without "cidr"', lineNo);
    return;
  }
  out.add('IP', cidr, { reference: str(record, 'sblid') }, lineNo);
}

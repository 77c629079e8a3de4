/**
 * abuse.ch Feodo Tracker botnet C2 blocklist: `ipblocklist.json` (array of records) and
 * `ipblocklist.csv` (`first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware`).
 */
import { ParseCollector } from '../collector.js';
import { isRecord, parseJson, str } from '../text.js';
import type { ParseResult } from '../types.js';
import { eachCsvRecord, field } from './csv-dump.js';

const CSV_HEADER = ['first_seen_utc', 'dst_ip', 'dst_port', 'c2_status', 'last_online', 'malware'] as const;

export function parseFeodoJson(text: string): ParseResult {
  const out = new ParseCollector();
  const parsed = parseJson(text);
  if (!parsed.ok) {
    out.fail(parsed.error);
    return out.result();
  }
  if (!Array.isArray(parsed.value)) {
    out.fail('expected a JSON array of records');
    return out.result();
  }
  parsed.value.forEach((record: unknown, i) => {
    if (!isRecord(record)) {
      out.skip(`record ${i}: not an object`);
      return;
    }
    const ip = str(record, 'ip_address');
    if (ip === undefined) {
      out.skip(`record ${i}: no ip_address`);
      return;
    }
    out.add('IP', ip, {
      threat: 'C2',
      malware: str(record, 'malware'),
      firstSeen: str(record, 'first_seen'),
      lastSeen: str(record, 'last_online'),
      port: str(record, 'port'),
      status: str(record, 'status'),
      hostname: str(record, 'hostname'),
      asn: str(record, 'as_number'),
      country: str(record, 'country'),
    });
  });
  return out.result();
}

export function parseFeodoCsv(text: string): ParseResult {
  const out = new ParseCollector();
  eachCsvRecord(text, CSV_HEADER, out, (r, lineNo) => {
    const ip = field(r, 'dst_ip') ?? field(r, 'ip_address');
    if (ip === undefined) {
      out.skip('no dst_ip', lineNo);
      return;
    }
    out.add(
      'IP',
      ip,
      { threat: 'C2', malware: field(r, 'malware'), firstSeen: field(r, 'first_seen_utc'), lastSeen: field(r, 'last_online'), port: field(r, 'dst_port'), status: field(r, 'c2_status') },
      lineNo,
    );
  });
  return out.result();
}

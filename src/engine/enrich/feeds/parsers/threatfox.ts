/**
 * abuse.ch ThreatFox: the JSON export (`{"<id>": [{"ioc_value": ..., "ioc_type": ...}]}`), the API
 * reply (`{"query_status": "ok", "data": [{"ioc": ...}]}`) and the CSV export (`first_seen_utc,ioc_id,
 * ioc_value,ioc_type,threat_type,fk_malware,malware_alias,malware_printable,last_seen_utc,
 * confidence_level,reference,tags,anonymous,reporter`).
 */
import { IocType } from '../../../types.js';
import { ParseCollector, type ValueKind } from '../collector.js';
import { isRecord, parseJson, str, tagsOf } from '../text.js';
import type { IndicatorMeta, ParseResult } from '../types.js';
import { eachCsvRecord, field } from './csv-dump.js';

const CSV_HEADER = [
  'first_seen_utc', 'ioc_id', 'ioc_value', 'ioc_type', 'threat_type', 'fk_malware', 'malware_alias',
  'malware_printable', 'last_seen_utc', 'confidence_level', 'reference', 'tags', 'anonymous', 'reporter',
] as const;

const KINDS: Readonly<Record<string, ValueKind>> = {
  'ip:port': 'IP',
  domain: 'HOST',
  url: IocType.URL,
  md5_hash: IocType.MD5,
  sha1_hash: IocType.SHA1,
  sha256_hash: IocType.SHA256,
};

/** `1.2.3.4:443` or `[2001:db8::1]:443` -> the address and the port. */
function splitIpPort(value: string): { ip: string; port?: string } {
  const bracket = /^\[([0-9a-fA-F:.]{2,45})\]:(\d{1,5})$/.exec(value);
  if (bracket) return { ip: bracket[1] ?? '', port: bracket[2] };
  const colon = value.lastIndexOf(':');
  if (colon > 0 && value.indexOf(':') === colon) return { ip: value.slice(0, colon), port: value.slice(colon + 1) };
  return { ip: value };
}

function addIoc(out: ParseCollector, type: string | undefined, value: string | undefined, meta: IndicatorMeta, where: { line?: number; label: string }): void {
  if (value === undefined || type === undefined) {
    out.skip(`${where.label}: no ioc value or type`, where.line);
    return;
  }
  const kind = KINDS[type];
  if (kind === undefined) {
    out.skip(`${where.label}: unsupported ioc_type ${JSON.stringify(type.slice(0, 40))}`, where.line);
    return;
  }
  if (kind === 'IP') {
    const { ip, port } = splitIpPort(value);
    out.add('IP', ip, { ...meta, port }, where.line);
    return;
  }
  out.add(kind, value, meta, where.line);
}

function confidence(value: string | undefined): number | undefined {
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined;
}

export function parseThreatFoxJson(text: string): ParseResult {
  const out = new ParseCollector();
  const parsed = parseJson(text);
  if (!parsed.ok || !isRecord(parsed.value)) {
    out.fail(parsed.ok ? 'expected a JSON object' : parsed.error);
    return out.result();
  }
  const doc = parsed.value;
  const entries: Array<[string, unknown]> = Array.isArray(doc.data)
    ? doc.data.map((e: unknown, i) => [String(i), e])
    : Object.entries(doc).flatMap(([id, v]) => (Array.isArray(v) ? v.map((e: unknown) => [id, e] as [string, unknown]) : [[id, v] as [string, unknown]]));
  for (const [id, e] of entries) {
    if (!isRecord(e)) {
      if (id !== 'query_status') out.skip(`entry ${id}: not an object`);
      continue;
    }
    const meta: IndicatorMeta = {
      threat: str(e, 'threat_type'),
      malware: str(e, 'malware_printable') ?? str(e, 'malware'),
      tags: tagsOf(e.tags),
      firstSeen: str(e, 'first_seen_utc') ?? str(e, 'first_seen'),
      lastSeen: str(e, 'last_seen_utc') ?? str(e, 'last_seen'),
      confidence: confidence(str(e, 'confidence_level')),
      reference: str(e, 'reference'),
    };
    addIoc(out, str(e, 'ioc_type'), str(e, 'ioc_value') ?? str(e, 'ioc'), meta, { label: `entry ${id}` });
  }
  return out.result();
}

export function parseThreatFoxCsv(text: string): ParseResult {
  const out = new ParseCollector();
  eachCsvRecord(text, CSV_HEADER, out, (r, line) => {
    const meta: IndicatorMeta = {
      threat: field(r, 'threat_type'),
      malware: field(r, 'malware_printable') ?? field(r, 'fk_malware'),
      tags: tagsOf(field(r, 'tags')),
      firstSeen: field(r, 'first_seen_utc'),
      lastSeen: field(r, 'last_seen_utc'),
      confidence: confidence(field(r, 'confidence_level')),
      reference: field(r, 'reference'),
    };
    addIoc(out, field(r, 'ioc_type'), field(r, 'ioc_value'), meta, { line, label: 'row' });
  });
  return out.result();
}

/**
 * abuse.ch URLhaus: the CSV dump (`id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,
 * reporter`, older dumps without `last_online`) and the JSON dump (`{"<id>": [{...}]}`) or API reply
 * (`{"query_status": "ok", "urls": [...]}`).
 */
import { IocType } from '../../../types.js';
import { ParseCollector } from '../collector.js';
import { isRecord, parseJson, str, tagsOf } from '../text.js';
import type { ParseResult } from '../types.js';
import { eachCsvRecord, field } from './csv-dump.js';

const CSV_HEADER = ['id', 'dateadded', 'url', 'url_status', 'last_online', 'threat', 'tags', 'urlhaus_link', 'reporter'] as const;

export function parseUrlhausCsv(text: string): ParseResult {
  const out = new ParseCollector();
  eachCsvRecord(text, CSV_HEADER, out, (r, lineNo) => {
    const url = field(r, 'url');
    if (url === undefined) {
      out.skip('no url', lineNo);
      return;
    }
    out.add(
      IocType.URL,
      url,
      { threat: field(r, 'threat'), tags: tagsOf(field(r, 'tags')), firstSeen: field(r, 'dateadded'), lastSeen: field(r, 'last_online'), status: field(r, 'url_status'), reference: field(r, 'urlhaus_link') },
      lineNo,
    );
  });
  return out.result();
}

export function parseUrlhausJson(text: string): ParseResult {
  const out = new ParseCollector();
  const parsed = parseJson(text);
  if (!parsed.ok || !isRecord(parsed.value)) {
    out.fail(parsed.ok ? 'expected a JSON object' : parsed.error);
    return out.result();
  }
  const doc = parsed.value;
  const entries: Array<[string, unknown]> = Array.isArray(doc.urls) ? doc.urls.map((u: unknown, i) => [String(i), u]) : Object.entries(doc).flatMap(([id, v]) => (Array.isArray(v) ? v.map((e: unknown) => [id, e] as [string, unknown]) : [[id, v] as [string, unknown]]));
  for (const [id, entry] of entries) {
    if (!isRecord(entry)) {
      if (id !== 'query_status') out.skip(`entry ${id}: not an object`);
      continue;
    }
    const url = str(entry, 'url');
    if (url === undefined) {
      out.skip(`entry ${id}: no url`);
      continue;
    }
    out.add(IocType.URL, url, {
      threat: str(entry, 'threat'),
      tags: tagsOf(entry.tags),
      firstSeen: str(entry, 'dateadded') ?? str(entry, 'date_added'),
      lastSeen: str(entry, 'last_online'),
      status: str(entry, 'url_status'),
      reference: str(entry, 'urlhaus_link') ?? str(entry, 'urlhaus_reference'),
    });
  }
  return out.result();
}

/**
 * Warning lists of known-good infrastructure. Vigil's own form groups values under the reason they
 * are trusted (`{"name", "description", "groups": [{"reason", "source", "values": [...]}]}`); a MISP
 * warninglist (`{"name", "description", "type", "list": [...]}`) is read too, its description as the
 * reason. MISP writes "any subdomain of" as a leading dot, which parent matching already means.
 */
import { ParseCollector } from '../collector.js';
import { isRecord, parseJson, str } from '../text.js';
import type { ParseResult } from '../types.js';

export function parseWarningList(text: string): ParseResult {
  const out = new ParseCollector();
  const parsed = parseJson(text);
  if (!parsed.ok || !isRecord(parsed.value)) {
    out.fail(parsed.ok ? 'expected a JSON object' : parsed.error);
    return out.result();
  }
  const doc = parsed.value;
  const listName = str(doc, 'name') ?? 'warning list';
  const groups = Array.isArray(doc.groups)
    ? doc.groups.filter(isRecord).map((g) => ({ reason: str(g, 'reason') ?? listName, source: str(g, 'source'), values: g.values }))
    : [{ reason: str(doc, 'description') ?? listName, source: undefined, values: doc.list }];
  for (const [gi, g] of groups.entries()) {
    if (!Array.isArray(g.values)) {
      out.skip(`group ${gi}: no list of values`);
      continue;
    }
    for (const v of g.values) {
      if (typeof v !== 'string') {
        out.skip(`group ${gi}: a value that is not a string`);
        continue;
      }
      out.add('AUTO', v.trim().replace(/^\*?\./, ''), { reason: g.reason, source: g.source, list: listName });
    }
  }
  return out.result();
}

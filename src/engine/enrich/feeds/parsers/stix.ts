/**
 * STIX 2.1 bundles: `indicator` objects with `pattern_type: stix` (2.0 bundles omit it). Revoked
 * indicators and those past `valid_until` are skipped; `indicates` relationships lend the indicator
 * the name of the malware, campaign or actor it points to.
 */
import { ParseCollector } from '../collector.js';
import { isRecord, parseJson, str } from '../text.js';
import type { IndicatorMeta, ParseResult } from '../types.js';
import { parseStixPattern } from './stix-pattern.js';

const NAMED_TARGETS = new Set(['malware', 'campaign', 'threat-actor', 'intrusion-set', 'tool', 'attack-pattern']);

export interface StixOptions {
  /** The clock that decides whether `valid_until` has passed (epoch ms). */
  now: number;
}

/** indicator id -> names of what it indicates. */
function indicatedNames(objects: Record<string, unknown>[]): Map<string, string[]> {
  const names = new Map<string, string>();
  for (const o of objects) {
    const id = str(o, 'id');
    const name = str(o, 'name');
    if (id && name && NAMED_TARGETS.has(String(o.type))) names.set(id, name);
  }
  const out = new Map<string, string[]>();
  for (const o of objects) {
    if (o.type !== 'relationship' || o.relationship_type !== 'indicates') continue;
    const source = str(o, 'source_ref');
    const target = names.get(str(o, 'target_ref') ?? '');
    if (source && target) out.set(source, [...(out.get(source) ?? []), target]);
  }
  return out;
}

export function parseStixBundle(text: string, options: StixOptions): ParseResult {
  const out = new ParseCollector();
  const parsed = parseJson(text);
  if (!parsed.ok) {
    out.fail(parsed.error);
    return out.result();
  }
  const doc = parsed.value;
  const objects = (isRecord(doc) && doc.type === 'bundle' && Array.isArray(doc.objects) ? doc.objects : Array.isArray(doc) ? doc : isRecord(doc) && doc.type === 'indicator' ? [doc] : undefined)?.filter(isRecord);
  if (!objects) {
    out.fail('not a STIX bundle (expected {"type": "bundle", "objects": [...]})');
    return out.result();
  }
  const related = indicatedNames(objects);
  for (const o of objects) {
    if (o.type !== 'indicator') continue;
    const id = str(o, 'id') ?? '(no id)';
    const patternType = str(o, 'pattern_type') ?? 'stix';
    if (patternType !== 'stix') {
      out.skip(`${id}: pattern_type ${patternType.slice(0, 40)} is not read`);
      continue;
    }
    if (o.revoked === true) {
      out.skip(`${id}: revoked`);
      continue;
    }
    const validUntil = str(o, 'valid_until');
    if (validUntil !== undefined && Date.parse(validUntil) <= options.now) {
      out.skip(`${id}: expired (valid_until ${validUntil})`);
      continue;
    }
    const pattern = str(o, 'pattern');
    if (pattern === undefined) {
      out.skip(`${id}: no pattern`);
      continue;
    }
    const outcome = parseStixPattern(pattern);
    if (!outcome.ok) {
      out.skip(`${id}: ${outcome.reason}`);
      continue;
    }
    const names = related.get(id);
    const types = Array.isArray(o.indicator_types) ? o.indicator_types.filter((t): t is string => typeof t === 'string') : [];
    const meta: IndicatorMeta = {
      description: str(o, 'name') ?? str(o, 'description'),
      malware: names?.join(', '),
      tags: types.length > 0 ? types : undefined,
      firstSeen: str(o, 'valid_from') ?? str(o, 'created'),
      validUntil,
      confidence: typeof o.confidence === 'number' ? o.confidence : undefined,
      reference: id,
    };
    for (const c of outcome.comparisons) out.add(c.kind, c.value, meta);
  }
  return out.result();
}

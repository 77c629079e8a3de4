/**
 * MISP feeds: `manifest.json` (`{"<event uuid>": {info, date, Tag, ...}}`) naming one
 * `<uuid>.json` per event (`{"Event": {..., "Attribute": [...], "Object": [{"Attribute": [...]}]}}`).
 * Only attributes flagged `to_ids` are taken: MISP marks with it what is fit for detection, the rest
 * (links, comments, context) would flag innocent things.
 */
import { IocType } from '../../../types.js';
import { ParseCollector, type ValueKind } from '../collector.js';
import { isRecord, parseJson, str } from '../text.js';
import type { IndicatorMeta, ParseResult } from '../types.js';

/** For each attribute type: what each `|`-separated part is (undefined: ignore that part). */
const MAPPING: Readonly<Record<string, ReadonlyArray<ValueKind | undefined>>> = {
  'ip-src': ['IP'],
  'ip-dst': ['IP'],
  'ip-src|port': ['IP', undefined],
  'ip-dst|port': ['IP', undefined],
  domain: ['HOST'],
  hostname: ['HOST'],
  'hostname|port': ['HOST', undefined],
  'domain|ip': ['HOST', 'IP'],
  url: [IocType.URL],
  md5: [IocType.MD5],
  sha1: [IocType.SHA1],
  sha256: [IocType.SHA256],
  sha512: [IocType.SHA512],
  'filename|md5': [undefined, IocType.MD5],
  'filename|sha1': [undefined, IocType.SHA1],
  'filename|sha256': [undefined, IocType.SHA256],
  'filename|sha512': [undefined, IocType.SHA512],
  'email': [IocType.EMAIL],
  'email-src': [IocType.EMAIL],
  'email-dst': [IocType.EMAIL],
  'email-reply-to': [IocType.EMAIL],
  'whois-registrant-email': [IocType.EMAIL],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ATTRIBUTES = 200_000;

export interface MispManifestEntry {
  uuid: string;
  info?: string;
  date?: string;
}

/**
 * Event uuids from a manifest. Keys that are not uuids are dropped: they become file names or URL
 * paths, and a manifest is remote data that must not steer the loader elsewhere (`../../etc/x`).
 */
export function parseMispManifest(text: string): { events: MispManifestEntry[]; error?: string; dropped: number } {
  const parsed = parseJson(text);
  if (!parsed.ok || !isRecord(parsed.value)) return { events: [], dropped: 0, error: parsed.ok ? 'manifest is not a JSON object' : parsed.error };
  const events: MispManifestEntry[] = [];
  let dropped = 0;
  for (const [uuid, entry] of Object.entries(parsed.value)) {
    if (!UUID.test(uuid)) {
      dropped++;
      continue;
    }
    const e = isRecord(entry) ? entry : {};
    events.push({ uuid: uuid.toLowerCase(), info: str(e, 'info'), date: str(e, 'date') });
  }
  return { events, dropped };
}

function tagNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((t: unknown) => (isRecord(t) && typeof t.name === 'string' ? [t.name] : []));
}

function attributeList(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function parseMispEvent(text: string): ParseResult {
  const collector = new ParseCollector();
  const parsed = parseJson(text);
  if (!parsed.ok || !isRecord(parsed.value)) {
    collector.fail(parsed.ok ? 'event is not a JSON object' : parsed.error);
    return collector.result();
  }
  const event = isRecord(parsed.value.Event) ? parsed.value.Event : parsed.value;
  if (!Array.isArray(event.Attribute) && !Array.isArray(event.Object)) {
    collector.fail('no Event.Attribute or Event.Object: not a MISP event');
    return collector.result();
  }
  const eventTags = tagNames(event.Tag);
  const base: IndicatorMeta = {
    description: str(event, 'info'),
    event: str(event, 'uuid'),
    threatLevel: str(event, 'threat_level_id'),
    org: isRecord(event.Orgc) ? str(event.Orgc, 'name') : undefined,
  };
  const attributes = attributeList(event.Attribute).map((a) => ({ a, object: undefined as string | undefined }));
  for (const object of attributeList(event.Object)) {
    if (object.deleted === true) continue;
    for (const a of attributeList(object.Attribute)) attributes.push({ a, object: str(object, 'name') });
  }
  attributes.slice(0, MAX_ATTRIBUTES).forEach(({ a, object }, i) => {
    const type = str(a, 'type') ?? '';
    const label = `attribute ${i} (${type.slice(0, 40) || 'no type'})`;
    if (a.deleted === true) return;
    // Older exports write flags as strings ("0"/"1").
    if (!(a.to_ids === true || a.to_ids === '1' || a.to_ids === 1)) {
      collector.skip(`${label}: to_ids is false (context, not for detection)`);
      return;
    }
    const parts = MAPPING[type];
    const value = str(a, 'value');
    if (parts === undefined || value === undefined) {
      collector.skip(`${label}: ${value === undefined ? 'no value' : 'type not matched by Vigil'}`);
      return;
    }
    const pieces = parts.length > 1 ? value.split('|') : [value];
    const meta: IndicatorMeta = {
      ...base,
      category: str(a, 'category'),
      comment: str(a, 'comment'),
      object,
      tags: [...eventTags, ...tagNames(a.Tag)].slice(0, 20),
      firstSeen: str(a, 'first_seen') ?? str(event, 'date'),
      lastSeen: str(a, 'last_seen'),
    };
    parts.forEach((kind, k) => {
      const piece = pieces[k];
      if (kind !== undefined && piece !== undefined) collector.add(kind, piece, meta);
    });
  });
  if (attributes.length > MAX_ATTRIBUTES) collector.skip(`${attributes.length - MAX_ATTRIBUTES} attributes over the per-event limit`);
  return collector.result();
}

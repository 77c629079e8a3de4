/**
 * The normalize stage: any accepted payload in, one NormalizedEvent out. It never throws on what a
 * client sends; text it cannot place becomes UNKNOWN with the message kept.
 */
import { AlertFormat, type AlertPayload, type NormalizedEvent } from '../types.js';
import { parseAuditd } from './auditd.js';
import { parseCef } from './cef.js';
import { detectJsonFormat, LineKind, lineCandidates } from './detect.js';
import { parseEcs } from './ecs.js';
import { FieldBag, flattenInto, isRecord, summarizeFields } from './fields.js';
import { parseGenericJson } from './generic-json.js';
import { fillFromMessage } from './message-fields.js';
import { parseRfc3164 } from './syslog-rfc3164.js';
import { parseRfc5424 } from './syslog-rfc5424.js';
import { parseWazuh } from './wazuh.js';

export { detectJsonFormat, lineCandidates, LineKind } from './detect.js';
export { FIELD_LIMITS } from './fields.js';

export interface NormalizeOptions {
  /** Clock for inferring the year of RFC 3164 timestamps (epoch ms, default Date.now()). */
  now?: number;
}

function normalizeObject(obj: Record<string, unknown>, now: number): NormalizedEvent {
  switch (detectJsonFormat(obj)) {
    case AlertFormat.WAZUH:
      return parseWazuh(obj, now);
    case AlertFormat.ECS:
      return parseEcs(obj, now);
    default:
      return parseGenericJson(obj, now);
  }
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseLine(kind: LineKind, text: string, now: number): NormalizedEvent | undefined {
  switch (kind) {
    case LineKind.JSON: {
      const obj = parseJsonObject(text);
      return obj ? normalizeObject(obj, now) : undefined;
    }
    case LineKind.CEF:
      return parseCef(text, now);
    case LineKind.SYSLOG_RFC5424:
      return parseRfc5424(text);
    case LineKind.SYSLOG_RFC3164:
      return parseRfc3164(text, now);
    case LineKind.AUDITD:
      return parseAuditd(text);
  }
}

function unknown(message: string, fields: NormalizedEvent['fields'] = {}): NormalizedEvent {
  return { format: AlertFormat.UNKNOWN, message, fields };
}

function normalizeLine(raw: string, now: number): NormalizedEvent {
  const text = raw.trim();
  for (const kind of lineCandidates(text)) {
    const event = parseLine(kind, text, now);
    if (event) return event;
  }
  // A bare program message (`Failed password for root from ...`, as the seed's API examples send)
  // has no header to place it, but its user and source are still worth having.
  const event = unknown(text);
  const bag = new FieldBag();
  fillFromMessage(event, bag, text);
  event.fields = bag.toRecord();
  return event;
}

/** Drops undefined and empty-array properties so stored events stay small and compare cleanly. */
function compact(event: NormalizedEvent): NormalizedEvent {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = value;
  }
  return out as unknown as NormalizedEvent;
}

/** Last resort when a parser fails unexpectedly: keep what was sent, in a bounded form. */
function fallback(payload: AlertPayload): NormalizedEvent {
  try {
    if (payload.kind === 'log') return unknown(typeof payload.text === 'string' ? payload.text.trim() : '');
    const bag = new FieldBag();
    flattenInto(bag, payload.value);
    const fields = bag.toRecord();
    return unknown(summarizeFields(fields), fields);
  } catch {
    return unknown('');
  }
}

export function normalize(payload: AlertPayload, opts: NormalizeOptions = {}): NormalizedEvent {
  const now = opts.now ?? Date.now();
  try {
    if (payload.kind === 'log') {
      return compact(normalizeLine(typeof payload.text === 'string' ? payload.text : '', now));
    }
    const value: unknown = payload.value;
    if (isRecord(value)) return compact(normalizeObject(value, now));
    if (typeof value === 'string') return compact(normalizeLine(value, now));
    return fallback(payload);
  } catch {
    return fallback(payload);
  }
}

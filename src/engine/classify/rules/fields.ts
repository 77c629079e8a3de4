/**
 * How a rule names a value of an event: a NormalizedEvent property (`program`, `srcIp`, `ruleGroups`) or
 * a key of its flattened `fields` map behind a `fields.` prefix (`fields.winlog.event_data.LogonType`).
 * Shippers disagree on the case of keys (`LogonType`, `logonType`), so `fields` keys match
 * case-insensitively; `*` stands for one dotted segment, for arrays flattened with their index
 * (`fields.Parameters.*.Name`).
 */
import type { NormalizedEvent } from '../../types.js';

/** Every NormalizedEvent property but `fields`; the check below fails to compile if one is missing. */
export const EVENT_FIELDS = [
  'format', 'message', 'timestamp', 'host', 'program', 'pid', 'facility', 'severity', 'srcIp', 'srcPort',
  'dstIp', 'dstPort', 'user', 'targetUser', 'process', 'commandLine', 'file', 'hash', 'url', 'domain',
  'action', 'outcome', 'ruleId', 'ruleLevel', 'ruleDescription', 'ruleGroups', 'mitreTechniques', 'vendor',
  'product', 'eventId',
] as const satisfies ReadonlyArray<Exclude<keyof NormalizedEvent, 'fields'>>;
type Missing = Exclude<keyof NormalizedEvent, 'fields' | (typeof EVENT_FIELDS)[number]>;
const allListed: [Missing] extends [never] ? true : Missing = true;
void allListed;

type EventField = (typeof EVENT_FIELDS)[number];
const EVENT_FIELD_SET: ReadonlySet<string> = new Set(EVENT_FIELDS);
const FIELDS_PREFIX = 'fields.';
const SEGMENT = /^[^.*]+$/;

export type Scalar = string | number | boolean;

/** One value found in an event, with the name to show in explanations. */
export interface FoundValue {
  label: string;
  value: Scalar;
}

/** Per-event memo, so a 64 KiB message is lower-cased or decoded once per event, not once per rule. */
export class EventView {
  private readonly text = new Map<string, string>();
  private readonly tests = new Map<string, boolean>();
  private lowerKeys: Map<string, string> | undefined;

  constructor(readonly event: NormalizedEvent) {}

  /** `fields` key by its lower-cased form; the first spelling wins, as the normalizer's FieldBag does. */
  fieldKey(lower: string): string | undefined {
    if (!this.lowerKeys) {
      this.lowerKeys = new Map();
      for (const key of Object.keys(this.event.fields)) {
        const k = key.toLowerCase();
        if (!this.lowerKeys.has(k)) this.lowerKeys.set(k, key);
      }
    }
    return this.lowerKeys.get(lower);
  }

  /** A regex test of one field's value, run once per event however many rules ask it. */
  testRegex(kind: string, label: string, re: { test(text: string): boolean }, text: string): boolean {
    const key = `${kind}\u0000${label}`;
    let out = this.tests.get(key);
    if (out === undefined) {
      out = re.test(text);
      this.tests.set(key, out);
    }
    return out;
  }

  /** The value as text in a given form, computed once per event and field. */
  memo(kind: string, label: string, value: Scalar, make: (text: string) => string): string {
    const key = `${kind}\u0000${label}`;
    let out = this.text.get(key);
    if (out === undefined) {
      out = make(String(value));
      this.text.set(key, out);
    }
    return out;
  }
}

export interface FieldRef {
  /** As written in the rule, for explanations. */
  name: string;
  values(view: EventView): FoundValue[];
}

function eventFieldRef(name: EventField): FieldRef {
  return {
    name,
    values(view) {
      const value: unknown = view.event[name];
      if (Array.isArray(value)) {
        return value.flatMap((v, i) => (isScalar(v) ? [{ label: `${name}[${i}]`, value: v }] : []));
      }
      return isScalar(value) ? [{ label: name, value }] : [];
    },
  };
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function exactKeyRef(name: string, key: string): FieldRef {
  const lower = key.toLowerCase();
  return {
    name,
    values(view) {
      const fields = view.event.fields;
      const actual = Object.hasOwn(fields, key) ? key : view.fieldKey(lower);
      if (actual === undefined) return [];
      const value = fields[actual];
      return isScalar(value) ? [{ label: `${FIELDS_PREFIX}${actual}`, value }] : [];
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

function wildcardKeyRef(name: string, key: string): FieldRef {
  // Built from escaped literal segments and single-segment gaps only, so it cannot backtrack badly.
  const pattern = new RegExp(`^${key.split('.').map((s) => (s === '*' ? '[^.]+' : escapeRegExp(s))).join('\\.')}$`, 'i');
  return {
    name,
    values(view) {
      const out: FoundValue[] = [];
      for (const [k, value] of Object.entries(view.event.fields)) {
        if (pattern.test(k) && isScalar(value)) out.push({ label: `${FIELDS_PREFIX}${k}`, value });
      }
      return out;
    },
  };
}

/** A field reference, or the reason the name is not one. */
export function parseFieldName(name: string): FieldRef | string {
  if (EVENT_FIELD_SET.has(name)) return eventFieldRef(name as EventField);
  if (!name.startsWith(FIELDS_PREFIX)) {
    return `unknown field "${name}": use a NormalizedEvent property (${EVENT_FIELDS.join(', ')}) or "fields.<dotted key>"`;
  }
  const key = name.slice(FIELDS_PREFIX.length);
  const segments = key.split('.');
  if (key === '' || segments.some((s) => s !== '*' && !SEGMENT.test(s))) {
    return `bad field key "${name}": dotted segments must be non-empty, and "*" must be a whole segment`;
  }
  return segments.includes('*') ? wildcardKeyRef(name, key) : exactKeyRef(name, key);
}

/**
 * ArcSight Common Event Format: `CEF:Version|Vendor|Product|DeviceVersion|SignatureID|Name|Severity|Ext`,
 * often behind a syslog header. Header fields escape `|` and `\`; extension values escape `=` and `\`,
 * may contain spaces, and run until the next ` key=`.
 */
import { AlertFormat, type NormalizedEvent } from '../types.js';
import { asInt, asIp, asPort, asString, FieldBag, truncate } from './fields.js';
import { headerEvent, headerFields, type SyslogHeader } from './syslog-common.js';
import { parseRfc3164Parts } from './syslog-rfc3164.js';
import { parseRfc5424Parts } from './syslog-rfc5424.js';
import { parseTimestamp } from './time.js';

const CEF_START = /CEF:\d{1,2}\|/;
const HEADER_NAMES = ['version', 'deviceVendor', 'deviceProduct', 'deviceVersion', 'signatureId', 'name', 'severity'] as const;
const MAX_EXTENSIONS = 1000;

/** Index of `CEF:n|` in the line, or -1. */
export function findCef(text: string): number {
  return CEF_START.exec(text)?.index ?? -1;
}

/** Splits the seven header fields on unescaped pipes; undefined when there are fewer than seven. */
function splitHeader(text: string, start: number): { header: string[]; extension: string } | undefined {
  const header: string[] = [];
  let current = '';
  let i = start;
  while (i < text.length && header.length < HEADER_NAMES.length) {
    const ch = text[i] ?? '';
    const next = text[i + 1];
    if (ch === '\\' && (next === '|' || next === '\\')) {
      current += next;
      i += 2;
    } else if (ch === '|') {
      header.push(current);
      current = '';
      i++;
    } else {
      current += ch;
      i++;
    }
  }
  if (header.length < HEADER_NAMES.length) return undefined;
  return { header, extension: text.slice(i) };
}

function unescapeValue(value: string): string {
  return value.replace(/\\([\\=nr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** Extension pairs in order. Keys are found with one bounded pattern, so the scan stays linear. */
export function parseExtension(extension: string): Array<[string, string]> {
  const keyPattern = /(?:^|\s)([A-Za-z0-9_.]{1,64})=/g;
  const keys: Array<{ key: string; start: number; valueStart: number }> = [];
  for (let m = keyPattern.exec(extension); m && keys.length < MAX_EXTENSIONS; m = keyPattern.exec(extension)) {
    keys.push({ key: m[1] ?? '', start: m.index, valueStart: m.index + m[0].length });
  }
  return keys.map(({ key, valueStart }, n) => {
    const end = keys[n + 1]?.start ?? extension.length;
    return [key, unescapeValue(extension.slice(valueStart, end).trim())];
  });
}

/** dhost is a name or an address; only a dotted name is a domain. */
function fqdn(host: string | undefined): string | undefined {
  return host !== undefined && host.includes('.') && asIp(host) === undefined ? host : undefined;
}

/** The syslog header in front of `CEF:`, if any: 5424 first since its version digit is distinctive. */
function prefixHeader(prefix: string, now: number): SyslogHeader {
  if (prefix === '') return {};
  return parseRfc5424Parts(prefix)?.header ?? parseRfc3164Parts(prefix, now)?.header ?? {};
}

export function parseCef(text: string, now: number): NormalizedEvent | undefined {
  const at = findCef(text);
  if (at < 0) return undefined;
  const split = splitHeader(text, at);
  if (!split) return undefined;
  const [versionField, vendor, product, , signatureId, name, severity] = split.header;
  const syslog = prefixHeader(text.slice(0, at).trim(), now);

  const bag = new FieldBag();
  const version = (versionField ?? '').slice('CEF:'.length);
  HEADER_NAMES.forEach((field, n) => bag.set(`cef.${field}`, n === 0 ? version : split.header[n]));
  headerFields(bag, syslog);
  const ext = new Map<string, string>();
  for (const [key, value] of parseExtension(split.extension)) {
    if (!ext.has(key)) ext.set(key, value);
    bag.set(key, value);
  }
  const get = (key: string): string | undefined => asString(ext.get(key));

  const title = truncate(asString(name) ?? '', 1024);
  const msg = get('msg');
  const message = title && msg ? `${title}: ${msg}` : title || msg || text;

  return {
    format: AlertFormat.CEF,
    message,
    ...headerEvent(syslog),
    timestamp: parseTimestamp(get('rt'), now) ?? parseTimestamp(get('end'), now) ?? parseTimestamp(get('start'), now) ?? syslog.timestamp,
    host: get('dvchost') ?? syslog.host ?? get('dhost'),
    severity: asString(severity) ?? syslog.severity,
    vendor: asString(vendor),
    product: asString(product),
    eventId: asString(signatureId),
    srcIp: asIp(get('src')) ?? asIp(get('c6a2')),
    srcPort: asPort(get('spt')),
    dstIp: asIp(get('dst')) ?? asIp(get('c6a3')),
    dstPort: asPort(get('dpt')),
    user: get('suser'),
    targetUser: get('duser'),
    process: get('sproc') ?? get('dproc'),
    pid: asInt(get('spid')) ?? asInt(get('dpid')),
    file: get('filePath') ?? get('fname'),
    hash: get('fileHash'),
    url: get('request'),
    domain: get('destinationDnsDomain') ?? fqdn(get('dhost')),
    action: get('act'),
    outcome: get('outcome'),
    fields: bag.toRecord(),
  };
}

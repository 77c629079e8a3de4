/**
 * RFC 5424 syslog: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`, `-` for a nil value. The PRI is
 * optional because many relays strip it. Structured data params become `sd.<SD-ID>.<name>` fields.
 */
import { AlertFormat, type NormalizedEvent } from '../types.js';
import { asInt, FieldBag } from './fields.js';
import { fillFromMessage } from './message-fields.js';
import { headerEvent, headerFields, parsePri, type SyslogHeader } from './syslog-common.js';
import { parseIso } from './time.js';

// Every part after the version is optional so that a bare header (in front of CEF) still parses.
const HEADER =
  /^1 (\S{1,64})(?= |$)(?: (\S{1,255})(?= |$))?(?: (\S{1,48})(?= |$))?(?: (\S{1,128})(?= |$))?(?: (\S{1,32})(?= |$))?/;

const MAX_SD_ELEMENTS = 64;

export interface Rfc5424Parts {
  header: SyslogHeader;
  msgId?: string;
  procId?: string;
  /** SD params in order: [sd-id, name, value]. */
  sd: Array<[string, string, string]>;
  msg: string;
}

function nil(token: string | undefined): string | undefined {
  return token === undefined || token === '-' ? undefined : token;
}

/**
 * Reads `[id k="v" ...][id2 ...]` from `text` at `start` with one forward pass. Returns the index after
 * the last element, or -1 when the data is malformed (the caller then keeps it as message text).
 */
function parseSd(text: string, start: number, out: Array<[string, string, string]>): number {
  let i = start;
  let elements = 0;
  while (text[i] === '[' && elements < MAX_SD_ELEMENTS) {
    elements++;
    i++;
    const idEnd = scanName(text, i);
    if (idEnd === i) return -1;
    const id = text.slice(i, idEnd);
    i = idEnd;
    while (text[i] === ' ') {
      i++;
      const nameEnd = scanName(text, i);
      if (nameEnd === i || text[nameEnd] !== '=' || text[nameEnd + 1] !== '"') return -1;
      const name = text.slice(i, nameEnd);
      i = nameEnd + 2;
      let value = '';
      for (;;) {
        const ch = text[i];
        if (ch === undefined) return -1;
        if (ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\' || text[i + 1] === ']')) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        i++;
        if (ch === '"') break;
        value += ch;
      }
      out.push([id, name, value]);
    }
    if (text[i] !== ']') return -1;
    i++;
  }
  return i;
}

/** SD-NAME: printable ASCII except `=`, space, `]` and `"`, at most 32 characters. */
function scanName(text: string, start: number): number {
  let i = start;
  while (i < text.length && i - start < 32) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 61 || c === 93 || c === 34) break;
    i++;
  }
  return i;
}

export function parseRfc5424Parts(text: string): Rfc5424Parts | undefined {
  const { header, rest } = parsePri(text);
  const m = HEADER.exec(rest);
  if (!m) return undefined;
  const stamp = nil(m[1]);
  if (stamp !== undefined) {
    const t = parseIso(stamp);
    if (t === undefined) return undefined;
    header.timestamp = t;
  }
  header.host = nil(m[2]);
  header.program = nil(m[3]);
  const procId = nil(m[4]);
  const pid = asInt(procId);
  if (pid !== undefined && pid >= 0) header.pid = pid;

  const parts: Rfc5424Parts = { header, procId, msgId: nil(m[5]), sd: [], msg: '' };
  let i = m[0].length;
  if (rest[i] === ' ') i++;
  if (rest[i] === '-' && (rest[i + 1] === ' ' || rest[i + 1] === undefined)) {
    i++;
  } else if (rest[i] === '[') {
    const end = parseSd(rest, i, parts.sd);
    if (end < 0) parts.sd.length = 0;
    else i = end;
  }
  // A UTF-8 MSG may start with a BOM, which is not text.
  parts.msg = rest.slice(i).replace(/^ ?\uFEFF?/, '').trim();
  return parts;
}

export function parseRfc5424(text: string): NormalizedEvent | undefined {
  const parts = parseRfc5424Parts(text);
  if (!parts) return undefined;
  const bag = new FieldBag();
  headerFields(bag, parts.header);
  bag.set('syslog.version', 1);
  bag.set('syslog.procid', parts.procId);
  bag.set('syslog.msgid', parts.msgId);
  for (const [id, name, value] of parts.sd) bag.set(`sd.${id}.${name}`, value);
  const event: NormalizedEvent = {
    format: AlertFormat.SYSLOG_RFC5424,
    message: parts.msg || text,
    ...headerEvent(parts.header),
    fields: {},
  };
  fillFromMessage(event, bag, parts.msg);
  event.fields = bag.toRecord();
  return event;
}

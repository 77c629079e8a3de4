/**
 * BSD syslog (RFC 3164): `<PRI>Mmm dd hh:mm:ss host tag[pid]: msg`. Real senders vary, so the PRI, the
 * host and the tag are each optional, a year may follow the day (Cisco), and rsyslog's high-precision
 * template puts an RFC 3339 timestamp where the BSD one goes.
 */
import { AlertFormat, type NormalizedEvent } from '../types.js';
import { FieldBag } from './fields.js';
import { fillFromMessage } from './message-fields.js';
import { headerEvent, headerFields, parsePri, parseTag, type SyslogHeader } from './syslog-common.js';
import { bsdTime, monthIndex, parseIso } from './time.js';

const BSD_TS = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: |$)/;
const ISO_TS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)(?: |$)/;
const HOST = /^([^\s:[\]]{1,255})(?: |$)/;

export interface Rfc3164Parts {
  header: SyslogHeader;
  /** The MSG part after the tag (or after the host when there is no tag). */
  msg: string;
}

function parseTime(text: string, now: number): { timestamp: number; rest: string } | undefined {
  const bsd = BSD_TS.exec(text);
  if (bsd) {
    const month = monthIndex(bsd[1] ?? '');
    if (month === undefined) return undefined;
    const ms = bsd[7] ? Number((bsd[7] + '00').slice(0, 3)) : 0;
    const year = bsd[3] ? Number(bsd[3]) : undefined;
    const t = bsdTime(month, Number(bsd[2]), Number(bsd[4]), Number(bsd[5]), Number(bsd[6]), ms, year, now);
    return t === undefined ? undefined : { timestamp: t, rest: text.slice(bsd[0].length) };
  }
  const iso = ISO_TS.exec(text);
  if (iso?.[1]) {
    const t = parseIso(iso[1]);
    return t === undefined ? undefined : { timestamp: t, rest: text.slice(iso[0].length) };
  }
  return undefined;
}

/**
 * Parses as much of a BSD header as is present. Returns undefined when the text has neither a PRI nor
 * a valid timestamp, since then nothing marks it as syslog.
 */
export function parseRfc3164Parts(text: string, now: number): Rfc3164Parts | undefined {
  const { header, rest: afterPri } = parsePri(text);
  const time = parseTime(afterPri, now);
  if (!time && header.pri === undefined) return undefined;
  let rest = time ? time.rest : afterPri;
  if (time) header.timestamp = time.timestamp;

  // With a timestamp, the next word is the host unless it already looks like `tag:`.
  let tag = parseTag(rest);
  if (time && !tag) {
    const host = HOST.exec(rest);
    if (host?.[1]) {
      header.host = host[1];
      rest = rest.slice(host[0].length);
      tag = parseTag(rest);
    }
  }
  if (tag) {
    header.program = tag.program;
    if (tag.pid !== undefined) header.pid = tag.pid;
    rest = tag.rest;
  }
  return { header, msg: rest.trim() };
}

export function parseRfc3164(text: string, now: number): NormalizedEvent | undefined {
  const parts = parseRfc3164Parts(text, now);
  if (!parts) return undefined;
  const bag = new FieldBag();
  headerFields(bag, parts.header);
  const event: NormalizedEvent = {
    format: AlertFormat.SYSLOG_RFC3164,
    message: parts.msg || text,
    ...headerEvent(parts.header),
    fields: {},
  };
  fillFromMessage(event, bag, parts.msg);
  event.fields = bag.toRecord();
  return event;
}

/** Pieces both syslog formats share: the PRI part, facility and severity names, the BSD tag. */
import type { NormalizedEvent } from '../types.js';
import type { FieldBag } from './fields.js';

const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5',
  'local6', 'local7',
] as const;

const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

/** What a syslog header yields; every part is optional because real senders drop parts. */
export interface SyslogHeader {
  pri?: number;
  facility?: string;
  severity?: string;
  timestamp?: number;
  host?: string;
  program?: string;
  pid?: number;
}

const PRI = /^<(\d{1,3})>/;

/** Strips a leading `<PRI>`; a value above 191 is not a valid PRI and yields no names. */
export function parsePri(text: string): { header: SyslogHeader; rest: string } {
  const m = PRI.exec(text);
  if (!m) return { header: {}, rest: text };
  const pri = Number(m[1]);
  const rest = text.slice(m[0].length);
  if (pri > 191) return { header: {}, rest };
  return { header: { pri, facility: FACILITIES[pri >> 3], severity: SEVERITIES[pri & 7] }, rest };
}

/**
 * `program[pid]:`, also `sshd(pam_unix)[123]:` as older Linux PAM logs it, and `postfix/smtpd[9]:`.
 * Requires the colon to be followed by a space or the end, so `http://x` is not read as a tag.
 */
const TAG = /^([\w.\-/@]{1,128}(?:\([\w.\-:/@]{1,64}\))?)(?:\[(\d{1,10})\])?:(?: |$)/;

export function parseTag(text: string): { program: string; pid?: number; rest: string } | undefined {
  const m = TAG.exec(text);
  if (!m || m[1] === undefined) return undefined;
  const pid = m[2] === undefined ? undefined : Number(m[2]);
  return { program: m[1], pid: pid !== undefined && Number.isSafeInteger(pid) ? pid : undefined, rest: text.slice(m[0].length) };
}

export function headerFields(bag: FieldBag, header: SyslogHeader): void {
  bag.set('syslog.pri', header.pri);
  bag.set('syslog.facility', header.facility);
  bag.set('syslog.severity', header.severity);
}

/** The header's common fields, for spreading into an event. */
export function headerEvent(header: SyslogHeader): Partial<NormalizedEvent> {
  return {
    timestamp: header.timestamp,
    host: header.host,
    program: header.program,
    pid: header.pid,
    facility: header.facility,
    severity: header.severity,
  };
}

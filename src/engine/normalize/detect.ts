/**
 * Cheap format sniffing. Detection only orders the parsers to try: a parser that rejects the text (a
 * CEF header with too few pipes, a 5424 header with a bad timestamp) lets the next candidate have it.
 */
import { AlertFormat } from '../types.js';
import { isEcs } from './ecs.js';
import { findCef } from './cef.js';
import { isWazuh } from './wazuh.js';

/** Line shapes the normalizer can parse; AUDITD and TEXT both yield the UNKNOWN format. */
export const LineKind = {
  JSON: 'JSON',
  CEF: 'CEF',
  SYSLOG_RFC5424: 'SYSLOG_RFC5424',
  SYSLOG_RFC3164: 'SYSLOG_RFC3164',
  AUDITD: 'AUDITD',
} as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

const RFC5424 = /^(?:<\d{1,3}>)?1 (?:-|\d{4}-\d{2}-\d{2}T)/;
const RFC3164 = /^(?:<\d{1,3}>|(?:[A-Z][a-z]{2} {1,2}\d{1,2} |\d{4}-\d{2}-\d{2}T)\d{2}:\d{2})/;
const AUDITD = /^(?:node=\S{1,255} )?type=[A-Z0-9_]{1,40} msg=audit\(/;

/** Candidate parsers for a trimmed line, most specific first. */
export function lineCandidates(text: string): LineKind[] {
  const out: LineKind[] = [];
  if (text.startsWith('{') && text.endsWith('}')) out.push(LineKind.JSON);
  if (findCef(text) >= 0) out.push(LineKind.CEF);
  if (RFC5424.test(text)) out.push(LineKind.SYSLOG_RFC5424);
  if (RFC3164.test(text)) out.push(LineKind.SYSLOG_RFC3164);
  if (AUDITD.test(text)) out.push(LineKind.AUDITD);
  return out;
}

export type JsonFormat = typeof AlertFormat.WAZUH | typeof AlertFormat.ECS | typeof AlertFormat.JSON;

export function detectJsonFormat(obj: Record<string, unknown>): JsonFormat {
  if (isWazuh(obj)) return AlertFormat.WAZUH;
  if (isEcs(obj)) return AlertFormat.ECS;
  return AlertFormat.JSON;
}

/**
 * Types shared by the pipeline stages. The engine never imports GraphQL: these are plain data.
 */

/** Formats the normalizer recognises; UNKNOWN keeps the message as given. */
export const AlertFormat = {
  SYSLOG_RFC3164: 'SYSLOG_RFC3164',
  SYSLOG_RFC5424: 'SYSLOG_RFC5424',
  WAZUH: 'WAZUH',
  ECS: 'ECS',
  CEF: 'CEF',
  JSON: 'JSON',
  UNKNOWN: 'UNKNOWN',
} as const;
export type AlertFormat = (typeof AlertFormat)[keyof typeof AlertFormat];

/** What a client submitted: either a raw line or a parsed JSON object. */
export type AlertPayload = { kind: 'log'; text: string } | { kind: 'json'; value: Record<string, unknown> };

/**
 * One event in common fields, whatever format it arrived in. Every field but `format` and `message`
 * is optional: formats carry different subsets. Times are epoch milliseconds.
 */
export interface NormalizedEvent {
  format: AlertFormat;
  /** Human-readable text of the event (syslog MSG, Wazuh full_log, ECS message, CEF name+msg). */
  message: string;
  timestamp?: number;
  host?: string;
  program?: string;
  pid?: number;
  /** Syslog facility/severity names or numbers as given. */
  facility?: string;
  severity?: string;
  srcIp?: string;
  srcPort?: number;
  dstIp?: string;
  dstPort?: number;
  user?: string;
  /** Target account where the event distinguishes it from the acting user (sudo USER=, 4624 TargetUserName). */
  targetUser?: string;
  process?: string;
  commandLine?: string;
  file?: string;
  hash?: string;
  url?: string;
  domain?: string;
  action?: string;
  outcome?: string;
  ruleId?: string;
  ruleLevel?: number;
  ruleDescription?: string;
  ruleGroups?: string[];
  /** ATT&CK technique ids given by the source (Wazuh rule.mitre.id). */
  mitreTechniques?: string[];
  /** Vendor / product / event id where the format names them (CEF header, Windows EventID). */
  vendor?: string;
  product?: string;
  eventId?: string;
  /** Remaining structured fields, flattened with dotted keys, for rules that match on anything. */
  fields: Record<string, string | number | boolean>;
}

export const IocType = {
  IPV4: 'IPV4',
  IPV6: 'IPV6',
  DOMAIN: 'DOMAIN',
  URL: 'URL',
  EMAIL: 'EMAIL',
  MD5: 'MD5',
  SHA1: 'SHA1',
  SHA256: 'SHA256',
  SHA512: 'SHA512',
  USERNAME: 'USERNAME',
  HOSTNAME: 'HOSTNAME',
  CVE: 'CVE',
} as const;
export type IocType = (typeof IocType)[keyof typeof IocType];

/** How an IOC takes part in the event. */
export const IocRole = {
  SOURCE: 'SOURCE',
  DESTINATION: 'DESTINATION',
  USER: 'USER',
  TARGET_USER: 'TARGET_USER',
  HOST: 'HOST',
  FILE: 'FILE',
  URL: 'URL',
  SENDER: 'SENDER',
  RELATED: 'RELATED',
} as const;
export type IocRole = (typeof IocRole)[keyof typeof IocRole];

/** IP address properties; only set on IPV4/IPV6. */
export interface IpFlags {
  private: boolean;
  loopback: boolean;
  reserved: boolean;
  /** The ipaddr.js range name (e.g. 'private', 'loopback', 'unicast'). */
  range: string;
}

/** One indicator found in one event. `value` is normalized (lower-cased domain, canonical IP, ...). */
export interface ExtractedIoc {
  type: IocType;
  value: string;
  role: IocRole;
  ip?: IpFlags;
}

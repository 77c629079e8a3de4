/**
 * Any other JSON object: common field names as many tools spell them (Suricata EVE, Zeek, NXLog,
 * application logs), top-level names matched case-insensitively, dotted names as paths. Windows event
 * records are recognised by their EventID and read with the Windows names first.
 */
import { AlertFormat, type NormalizedEvent } from '../types.js';
import {
  asInt,
  asIp,
  asNumber,
  asPort,
  asString,
  FieldBag,
  flattenInto,
  type Getter,
  makeGetter,
  mergeMissing,
  pick,
  summarizeFields,
} from './fields.js';
import { fillFromMessage } from './message-fields.js';
import { parseTimestamp } from './time.js';
import { windowsEvent } from './windows.js';

const NAMES = {
  message: ['msg', 'message', 'log', 'description', 'alert', 'alert.signature', 'text', 'summary', 'event'],
  timestamp: ['timestamp', 'time', '@timestamp', 'date', 'EventTime', 'TimeCreated', 'ts', 'datetime', 'event_time', 'created_at'],
  host: ['host', 'hostname', 'computer', 'host_name', 'host.name', 'host.hostname', 'device', 'agent.name'],
  program: ['program', 'app', 'appname', 'app_name', 'ident', 'service'],
  srcIp: ['src', 'src_ip', 'source_ip', 'srcip', 'client_ip', 'clientip', 'source_address', 'remote_addr', 'remote_ip', 'ip_src', 'IpAddress', 'source.ip', 'id.orig_h'],
  srcPort: ['src_port', 'srcport', 'source_port', 'sport', 'spt', 'client_port', 'source.port', 'id.orig_p'],
  dstIp: ['dst', 'dest_ip', 'dst_ip', 'destination_ip', 'dstip', 'dest', 'server_ip', 'ip_dst', 'destination.ip', 'id.resp_h'],
  dstPort: ['dst_port', 'dest_port', 'dstport', 'destination_port', 'dport', 'dpt', 'destination.port', 'id.resp_p'],
  user: ['user', 'username', 'user_name', 'account', 'account_name', 'login', 'srcuser', 'suser', 'user.name'],
  targetUser: ['target_user', 'target_username', 'dstuser', 'duser', 'TargetUserName'],
  process: ['process', 'process_name', 'image', 'exe', 'executable', 'process.name'],
  pid: ['pid', 'process_id', 'process.pid'],
  commandLine: ['command_line', 'cmdline', 'commandline', 'command', 'cmd', 'process.command_line'],
  file: ['file', 'file_path', 'filepath', 'filename', 'file_name', 'path', 'file.path'],
  hash: ['sha256', 'sha1', 'md5', 'hash', 'file_hash', 'filehash', 'file.hash.sha256'],
  url: ['url', 'uri', 'request_url', 'full_url', 'url.full', 'http.url'],
  domain: ['domain', 'query', 'qname', 'dns_query', 'dns.rrname'],
  action: ['action', 'event_action', 'act', 'alert.action', 'event.action'],
  outcome: ['outcome', 'result', 'event_outcome', 'event.outcome'],
  ruleId: ['rule_id', 'ruleid', 'signature_id', 'sid', 'alert.signature_id', 'rule.id'],
  ruleDescription: ['rule_name', 'rule_description', 'signature', 'alert.signature', 'rule.name', 'rule.description'],
  ruleLevel: ['rule_level', 'rule.level'],
  severity: ['severity', 'level', 'priority', 'alert.severity', 'event.severity'],
  vendor: ['vendor', 'device_vendor'],
  product: ['product', 'device_product'],
} as const;

function genericEvent(get: Getter, now: number): Partial<NormalizedEvent> {
  const s = (names: readonly string[]): string | undefined => pick(get, names, asString);
  return {
    message: s(NAMES.message),
    timestamp: pick(get, NAMES.timestamp, (v) => parseTimestamp(v, now)),
    host: s(NAMES.host),
    program: s(NAMES.program),
    srcIp: pick(get, NAMES.srcIp, asIp),
    srcPort: pick(get, NAMES.srcPort, asPort),
    dstIp: pick(get, NAMES.dstIp, asIp),
    dstPort: pick(get, NAMES.dstPort, asPort),
    user: s(NAMES.user),
    targetUser: s(NAMES.targetUser),
    process: s(NAMES.process),
    pid: pick(get, NAMES.pid, asInt),
    commandLine: s(NAMES.commandLine),
    file: s(NAMES.file),
    hash: s(NAMES.hash),
    url: s(NAMES.url),
    domain: s(NAMES.domain),
    action: s(NAMES.action),
    outcome: s(NAMES.outcome),
    ruleId: s(NAMES.ruleId),
    ruleDescription: s(NAMES.ruleDescription),
    ruleLevel: pick(get, NAMES.ruleLevel, asNumber),
    severity: s(NAMES.severity),
    vendor: s(NAMES.vendor),
    product: s(NAMES.product),
  };
}

export function parseGenericJson(obj: Record<string, unknown>, now: number): NormalizedEvent {
  const get = makeGetter(obj);
  const bag = new FieldBag();
  flattenInto(bag, obj);
  const windows = windowsEvent(get);
  const merged = windows ? mergeMissing(windows, genericEvent(get, now)) : genericEvent(get, now);
  const event: NormalizedEvent = {
    ...merged,
    format: AlertFormat.JSON,
    message: merged.message ?? '',
    fields: {},
  };
  // An ssh or sudo line wrapped in JSON by a shipper still names its user and source.
  fillFromMessage(event, bag, event.message);
  event.fields = bag.toRecord();
  if (event.message === '') event.message = summarizeFields(event.fields);
  return event;
}

/**
 * Elastic Common Schema documents as Beats and Elastic Agent emit them, nested or with dotted keys.
 * Winlogbeat documents also carry the raw Windows event data under `winlog`, used to fill gaps.
 */
import { AlertFormat, type NormalizedEvent } from '../types.js';
import {
  asInt,
  asIp,
  asPort,
  asString,
  asStringArray,
  FieldBag,
  flattenInto,
  type Getter,
  isRecord,
  lookup,
  makeGetter,
  mergeMissing,
  pick,
  summarizeFields,
} from './fields.js';
import { fillFromMessage } from './message-fields.js';
import { parseTimestamp } from './time.js';
import { windowsEvent } from './windows.js';

/** Top-level ECS field sets; one of them next to `@timestamp` marks a document as ECS. */
const ECS_ROOTS = [
  'ecs', 'event', 'source', 'destination', 'host', 'user', 'process', 'file', 'url', 'dns', 'agent',
  'observer', 'network', 'threat', 'client', 'server', 'winlog', 'related', 'rule', 'log',
] as const;

export function isEcs(obj: Record<string, unknown>): boolean {
  if (lookup(obj, '@timestamp') === undefined) return false;
  for (const key of Object.keys(obj)) {
    const dot = key.indexOf('.');
    const root = dot < 0 ? key : key.slice(0, dot);
    if (!(ECS_ROOTS as readonly string[]).includes(root)) continue;
    // A dotted key is ECS by construction; a bare `host: "web1"` string is not.
    if (dot >= 0 || isRecord(obj[key])) return true;
  }
  return false;
}

/** Records of a value that may be one object or an array of them (ECS allows both for `threat`). */
function records(value: unknown): Record<string, unknown>[] {
  return (Array.isArray(value) ? value.slice(0, 32) : [value]).filter(isRecord);
}

/** ATT&CK ids under `threat.technique.id` and `.subtechnique.id`, through objects or arrays of them. */
function techniques(obj: Record<string, unknown>): string[] | undefined {
  const out: string[] = [];
  const add = (value: unknown): void => {
    for (const id of asStringArray(value) ?? []) if (!out.includes(id)) out.push(id);
  };
  add(lookup(obj, 'threat.technique.id'));
  add(lookup(obj, 'threat.technique.subtechnique.id'));
  for (const threat of records(lookup(obj, 'threat'))) {
    for (const technique of records(lookup(threat, 'technique'))) {
      add(lookup(technique, 'id'));
      for (const sub of records(lookup(technique, 'subtechnique'))) add(lookup(sub, 'id'));
    }
  }
  return out.length > 0 ? out : undefined;
}

/** Winlogbeat: event data first, then the record's own fields (event_id, channel, computer_name). */
function winlogGetter(obj: Record<string, unknown>): Getter | undefined {
  const winlog = lookup(obj, 'winlog');
  if (!isRecord(winlog)) return undefined;
  const data = lookup(winlog, 'event_data');
  const dataGet = isRecord(data) ? makeGetter(data) : undefined;
  const recordGet = makeGetter(winlog);
  return (name) => dataGet?.(name) ?? recordGet(name);
}

function ecsEvent(obj: Record<string, unknown>, now: number): Partial<NormalizedEvent> {
  const get: Getter = (path) => lookup(obj, path);
  const s = (...names: string[]): string | undefined => pick(get, names, asString);
  // Not asStringArray: it de-duplicates, and `rm -rf a -rf b` must keep every argument.
  const rawArgs = get('process.args');
  const args = Array.isArray(rawArgs) ? rawArgs.slice(0, 256).filter((a): a is string => typeof a === 'string') : [];
  return {
    message: s('message', 'event.original'),
    timestamp: parseTimestamp(get('@timestamp'), now),
    host: s('host.name', 'host.hostname', 'observer.hostname', 'observer.name', 'agent.hostname', 'agent.name'),
    program: s('log.syslog.appname', 'process.name'),
    pid: pick(get, ['process.pid', 'log.syslog.procid'], asInt),
    facility: s('log.syslog.facility.name'),
    severity: s('log.syslog.severity.name', 'log.level', 'event.severity'),
    srcIp: pick(get, ['source.ip', 'client.ip', 'source.address'], asIp),
    srcPort: pick(get, ['source.port', 'client.port'], asPort),
    dstIp: pick(get, ['destination.ip', 'server.ip', 'destination.address'], asIp),
    dstPort: pick(get, ['destination.port', 'server.port'], asPort),
    user: s('user.name', 'source.user.name', 'client.user.name'),
    targetUser: s('user.target.name', 'destination.user.name'),
    process: s('process.executable', 'process.name'),
    commandLine: s('process.command_line') ?? (args.length > 0 ? args.join(' ') : undefined),
    file: s('file.path', 'file.name'),
    hash: s('file.hash.sha256', 'file.hash.sha1', 'file.hash.md5', 'process.hash.sha256', 'process.hash.sha1', 'process.hash.md5'),
    url: s('url.full', 'url.original'),
    domain: s('dns.question.name', 'url.domain', 'destination.domain'),
    action: s('event.action'),
    outcome: s('event.outcome'),
    ruleId: s('rule.id', 'rule.uuid'),
    ruleDescription: s('rule.name', 'rule.description'),
    ruleGroups: asStringArray(get('rule.category')),
    mitreTechniques: techniques(obj),
    vendor: s('observer.vendor'),
    product: s('observer.product'),
    eventId: s('event.code', 'winlog.event_id'),
  };
}

export function parseEcs(obj: Record<string, unknown>, now: number): NormalizedEvent {
  const bag = new FieldBag();
  flattenInto(bag, obj);
  let merged = ecsEvent(obj, now);
  const winlog = winlogGetter(obj);
  const windows = winlog ? windowsEvent(winlog) : undefined;
  if (windows) merged = mergeMissing(merged, windows);

  const event: NormalizedEvent = { ...merged, format: AlertFormat.ECS, message: merged.message ?? '', fields: {} };
  fillFromMessage(event, bag, event.message);
  event.fields = bag.toRecord();
  if (event.message === '') event.message = asString(merged.ruleDescription) ?? summarizeFields(event.fields);
  return event;
}

/**
 * Wazuh alerts (alerts.json / integrations): a `rule` with level and description, the `agent` that saw
 * the event, decoded `data`, and the original line in `full_log`. Windows alerts carry the event under
 * `data.win.system` / `data.win.eventdata` in camelCase.
 */
import { AlertFormat, type NormalizedEvent } from '../types.js';
import {
  asInt,
  asIp,
  asNumber,
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
} from './fields.js';
import { fillFromMessage } from './message-fields.js';
import { parseRfc3164Parts } from './syslog-rfc3164.js';
import { parseRfc5424Parts } from './syslog-rfc5424.js';
import { parseTimestamp } from './time.js';
import { windowsEvent } from './windows.js';

export function isWazuh(obj: Record<string, unknown>): boolean {
  const rule = lookup(obj, 'rule');
  if (!isRecord(rule)) return false;
  if (lookup(rule, 'level') === undefined && lookup(rule, 'description') === undefined) return false;
  return isRecord(lookup(obj, 'agent')) || typeof lookup(obj, 'full_log') === 'string' || isRecord(lookup(obj, 'decoder'));
}

function windowsGetter(obj: Record<string, unknown>): Getter | undefined {
  const win = lookup(obj, 'data.win');
  if (!isRecord(win)) return undefined;
  const eventdata = lookup(win, 'eventdata');
  const system = lookup(win, 'system');
  const dataGet = isRecord(eventdata) ? makeGetter(eventdata) : undefined;
  const systemGet = isRecord(system) ? makeGetter(system) : undefined;
  // Wazuh renders the event text as system.message, in quotes.
  return (name) => {
    const value = dataGet?.(name) ?? systemGet?.(name);
    return name === 'Message' && typeof value === 'string' ? value.replace(/^"|"$/g, '') : value;
  };
}

/** The MSG part of `full_log`, so sshd/sudo patterns can fill what the decoder did not extract. */
function innerMessage(fullLog: string | undefined, now: number): string | undefined {
  if (!fullLog) return undefined;
  return parseRfc5424Parts(fullLog)?.msg ?? parseRfc3164Parts(fullLog, now)?.msg ?? fullLog;
}

function wazuhEvent(get: Getter, now: number): Partial<NormalizedEvent> {
  const s = (...names: string[]): string | undefined => pick(get, names, asString);
  const srcUser = s('data.srcuser');
  const dstUser = s('data.dstuser');
  return {
    message: s('full_log', 'rule.description'),
    timestamp: parseTimestamp(get('timestamp'), now),
    host: s('agent.name', 'predecoder.hostname', 'hostname', 'manager.name'),
    program: s('predecoder.program_name', 'program_name'),
    srcIp: pick(get, ['data.srcip', 'data.src_ip'], asIp),
    srcPort: pick(get, ['data.srcport', 'data.src_port'], asPort),
    dstIp: pick(get, ['data.dstip', 'data.dest_ip'], asIp),
    dstPort: pick(get, ['data.dstport', 'data.dest_port'], asPort),
    // Wazuh decoders put the account that logs in into dstuser when there is no separate actor.
    user: srcUser ?? dstUser,
    targetUser: srcUser !== undefined ? dstUser : undefined,
    commandLine: s('data.command'),
    file: s('syscheck.path', 'data.file'),
    hash: s('syscheck.sha256_after', 'syscheck.sha1_after', 'syscheck.md5_after'),
    url: s('data.url'),
    action: s('data.action', 'syscheck.event'),
    outcome: s('data.status'),
    ruleId: s('rule.id'),
    ruleLevel: pick(get, ['rule.level'], asNumber),
    ruleDescription: s('rule.description'),
    ruleGroups: asStringArray(get('rule.groups')),
    mitreTechniques: asStringArray(get('rule.mitre.id')),
    pid: pick(get, ['data.pid'], asInt),
  };
}

export function parseWazuh(obj: Record<string, unknown>, now: number): NormalizedEvent {
  const get: Getter = (path) => lookup(obj, path);
  const bag = new FieldBag();
  flattenInto(bag, obj);
  let merged = wazuhEvent(get, now);
  const win = windowsGetter(obj);
  const windows = win ? windowsEvent(win) : undefined;
  // The Windows message is more telling than the generic rule text Wazuh falls back to.
  if (windows) merged = mergeMissing({ ...merged, message: asString(get('full_log')) }, windows);

  const event: NormalizedEvent = {
    ...merged,
    format: AlertFormat.WAZUH,
    message: merged.message ?? asString(get('rule.description')) ?? '',
    fields: {},
  };
  fillFromMessage(event, bag, innerMessage(asString(get('full_log')), now));
  event.fields = bag.toRecord();
  return event;
}

/**
 * Windows event log records as JSON (Winlogbeat event_data, NXLog, OTRF/Mordor exports, Wazuh
 * `data.win`). Field names follow the event XML; shippers differ only in case and nesting, so this
 * reads through a case-insensitive getter and the callers decide where the event data lives.
 */
import type { NormalizedEvent } from '../types.js';
import { asInt, asIp, asPort, asString, asStringArray, type Getter, pick, truncate } from './fields.js';
import { parseTimestamp } from './time.js';

/** Common ids with Winlogbeat-style action names, used when a record has no rendered Message. */
const SECURITY: Readonly<Record<string, readonly [string, string]>> = {
  '1102': ['The audit log was cleared', 'audit-log-cleared'],
  '4624': ['An account was successfully logged on', 'logged-in'],
  '4625': ['An account failed to log on', 'logon-failed'],
  '4634': ['An account was logged off', 'logged-out'],
  '4648': ['A logon was attempted using explicit credentials', 'logged-in-explicit'],
  '4656': ['A handle to an object was requested', 'requested-object-handle'],
  '4663': ['An attempt was made to access an object', 'accessed-object'],
  '4672': ['Special privileges assigned to new logon', 'logged-in-special'],
  '4688': ['A new process has been created', 'created-process'],
  '4689': ['A process has exited', 'exited-process'],
  '4697': ['A service was installed in the system', 'service-installed'],
  '4698': ['A scheduled task was created', 'scheduled-task-created'],
  '4720': ['A user account was created', 'added-user-account'],
  '4726': ['A user account was deleted', 'deleted-user-account'],
  '4728': ['A member was added to a security-enabled global group', 'added-member-to-group'],
  '4732': ['A member was added to a security-enabled local group', 'added-member-to-group'],
  '4740': ['A user account was locked out', 'locked-out-user-account'],
  '4768': ['A Kerberos authentication ticket (TGT) was requested', 'kerberos-authentication-ticket-requested'],
  '4769': ['A Kerberos service ticket was requested', 'kerberos-service-ticket-requested'],
  '4771': ['Kerberos pre-authentication failed', 'kerberos-preauth-failed'],
  '4776': ['The computer attempted to validate the credentials for an account', 'credential-validated'],
  '5140': ['A network share object was accessed', 'network-share-object-accessed'],
  '5156': ['The Windows Filtering Platform has permitted a connection', 'network-connection-permitted'],
  '7045': ['A service was installed in the system', 'service-installed'],
};

const SYSMON: Readonly<Record<string, readonly [string, string]>> = {
  '1': ['Process Create', 'process-created'],
  '3': ['Network connection detected', 'network-connection'],
  '5': ['Process terminated', 'process-terminated'],
  '7': ['Image loaded', 'image-loaded'],
  '8': ['CreateRemoteThread detected', 'create-remote-thread'],
  '10': ['Process accessed', 'process-accessed'],
  '11': ['File created', 'file-created'],
  '12': ['Registry object added or deleted', 'registry-object-changed'],
  '13': ['Registry value set', 'registry-value-set'],
  '22': ['DNS query', 'dns-query'],
};

/** Events whose TargetUserName is the account that acted (logged on, failed, asked for a ticket). */
const LOGON_EVENTS = new Set(['4624', '4625', '4634', '4648', '4768', '4769', '4771', '4776']);
const FAILED_LOGON = new Set(['4625', '4771']);

/** `SHA1=..,MD5=..,SHA256=..,IMPHASH=..` as Sysmon writes it; the strongest hash wins. */
function sysmonHash(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const found = new Map<string, string>();
  for (const part of value.slice(0, 1024).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) found.set(part.slice(0, eq).trim().toUpperCase(), part.slice(eq + 1).trim());
    else if (/^[0-9a-f]{32,64}$/i.test(part.trim())) found.set('PLAIN', part.trim());
  }
  return found.get('SHA256') ?? found.get('SHA1') ?? found.get('MD5') ?? found.get('PLAIN');
}

/** ATT&CK ids that sysmon-modular style configs put into RuleName (`technique_id=T1003.001,...`). */
function techniques(ruleName: string | undefined): string[] | undefined {
  if (!ruleName) return undefined;
  const ids = truncate(ruleName, 1024).match(/\bT\d{4}(?:\.\d{3})?\b/g);
  return ids ? [...new Set(ids)] : undefined;
}

function outcomeOf(get: Getter, eventId: string): string | undefined {
  // Keywords is an array in Winlogbeat output and a string elsewhere.
  const keywords = asStringArray(get('EventType'))?.join(' ') ?? asStringArray(get('Keywords'))?.join(' ') ?? '';
  const lower = keywords.toLowerCase().replace(/[\s_]/g, '');
  if (lower.includes('auditfailure')) return 'failure';
  if (lower.includes('auditsuccess')) return 'success';
  if (FAILED_LOGON.has(eventId)) return 'failure';
  if (eventId === '4624') return 'success';
  return undefined;
}

/** Windows facts in common fields, or undefined when the record carries no event id. */
export function windowsEvent(get: Getter): Partial<NormalizedEvent> | undefined {
  const eventId = pick(get, ['EventID', 'event_id', 'EventCode'], asString);
  if (eventId === undefined || !/^\d{1,6}$/.test(eventId)) return undefined;
  const channel = pick(get, ['Channel'], asString);
  const provider = pick(get, ['SourceName', 'ProviderName', 'Provider_Name', 'provider_name'], asString);
  const isSysmon = /sysmon/i.test(`${channel ?? ''} ${provider ?? ''}`);
  const known = (isSysmon ? SYSMON : SECURITY)[eventId];

  const subject = pick(get, ['SubjectUserName', 'User', 'AccountName'], asString);
  const target = pick(get, ['TargetUserName'], asString);
  const user = subject ?? (LOGON_EVENTS.has(eventId) ? target : undefined);
  const srcIp = pick(get, ['IpAddress', 'SourceAddress', 'SourceIp', 'ClientAddress'], asIp);
  const logonType = pick(get, ['LogonType'], asString);
  const channelText = channel ? ` (${channel})` : '';

  const details = [
    user && `user=${user}`,
    target && target !== user && `target=${target}`,
    srcIp && `from ${srcIp}`,
    logonType && `logon type ${logonType}`,
  ].filter(Boolean);
  const synthetic = `EventID ${eventId}${channelText}${known ? `: ${known[0]}` : ''}${details.length ? ` - ${details.join(', ')}` : ''}`;
  const objectType = pick(get, ['ObjectType'], asString);

  return {
    eventId,
    message: pick(get, ['Message'], asString) ?? synthetic,
    vendor: 'Microsoft',
    product: provider ?? channel,
    host: pick(get, ['Computer', 'Hostname', 'computer_name', 'ComputerName'], asString),
    timestamp: pick(get, ['UtcTime', 'TimeCreated', 'EventTime', 'TimeGenerated', 'SystemTime'], parseTimestamp),
    user,
    targetUser: target,
    srcIp,
    srcPort: pick(get, ['IpPort', 'SourcePort'], asPort),
    dstIp: pick(get, ['DestAddress', 'DestinationIp'], asIp),
    dstPort: pick(get, ['DestPort', 'DestinationPort'], asPort),
    process: pick(get, ['NewProcessName', 'Image', 'ProcessName', 'Application', 'SourceImage'], asString),
    pid: pick(get, ['NewProcessId', 'ProcessId', 'SourceProcessId'], asInt),
    commandLine: pick(get, ['CommandLine', 'ImagePath'], asString),
    file: pick(get, ['TargetFilename'], asString) ?? (objectType === 'File' ? pick(get, ['ObjectName'], asString) : undefined),
    hash: sysmonHash(pick(get, ['Hashes', 'Hash'], asString)),
    domain: pick(get, ['QueryName', 'DestinationHostname'], asString),
    action: known?.[1],
    outcome: outcomeOf(get, eventId),
    mitreTechniques: techniques(pick(get, ['RuleName'], asString)),
  };
}

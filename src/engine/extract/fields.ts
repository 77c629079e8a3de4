/**
 * Structured sources: the named fields of the event, and the keys of `fields` whose name says what
 * the value is (`source.ip`, CEF `shost`, Windows `TargetUserName`, Wazuh `data.srcip`). These come
 * first and carry the specific roles; free text only adds to them.
 */
import { IocRole, IocType, type ExtractedIoc, type NormalizedEvent } from '../types.js';
import type { IocCollector } from './collector.js';
import { normalizeEmail } from './email.js';
import { hostIocs } from './hostname.js';
import { EXTRACT_LIMITS } from './limits.js';
import { refang } from './refang.js';
import { capText, scanHashes } from './text.js';
import { normalizeUrl, urlHostCandidate } from './url.js';
import { normalizeUsername } from './username.js';

type SlotKind = 'host' | 'domain' | 'user' | 'url' | 'hash' | 'email';
type Slot = readonly [SlotKind, IocRole];

function slots(kind: SlotKind, role: IocRole, keys: string): Array<[string, Slot]> {
  return keys.split(' ').map((key) => [key, [kind, role]]);
}

/** Keys are matched lower-case, on their last three dotted segments, then two, then one. */
const FIELD_SLOTS: ReadonlyMap<string, Slot> = new Map([
  ...slots('host', IocRole.SOURCE, 'source.ip source.address source.domain client.ip client.address client.domain src srcip src_ip sourceip source_ip sourceaddress source_address clientip client_ip c-ip remote_addr remoteaddr remote_ip remoteip rhost ipaddress shost srchost src_host sourcehostname workstationname'),
  ...slots('host', IocRole.DESTINATION, 'destination.ip destination.address destination.domain server.ip server.address server.domain dst dstip dst_ip destinationip destination_ip destinationaddress destination_address dhost dsthost dst_host destinationhostname s-ip'),
  ...slots('host', IocRole.HOST, 'host host.name host.hostname host.ip hostname observer.hostname observer.ip agent.name agent.ip agent.hostname computer computername dvchost dvc'),
  ...slots('host', IocRole.RELATED, 'related.ip related.hosts'),
  ...slots('domain', IocRole.RELATED, 'domain url.domain question.name question.registered_domain queryname query_name qname'),
  ...slots('user', IocRole.USER, 'user user.name source.user.name client.user.name username user_name suser srcuser src_user subjectusername accountname logname ruser acct'),
  ...slots('user', IocRole.TARGET_USER, 'target.name destination.user.name duser dstuser dst_user targetusername targetuser target_user samaccountname'),
  ...slots('user', IocRole.RELATED, 'related.user'),
  ...slots('url', IocRole.URL, 'url url.full url.original request requesturl request_url'),
  ...slots('hash', IocRole.FILE, 'md5 sha1 sha256 sha512 hash hashes filehash file_hash related.hash'),
  ...slots('email', IocRole.SENDER, 'from sender mail_from mailfrom from.address sender.address'),
]);

/** `host.ip.0` (a flattened array) is looked up as `host.ip`. */
export function slotOf(key: string): Slot | undefined {
  const parts = key.toLowerCase().split('.');
  while (parts.length > 1 && /^\d+$/.test(parts[parts.length - 1] ?? '')) parts.pop();
  for (let n = Math.min(3, parts.length); n >= 1; n--) {
    const slot = FIELD_SLOTS.get(parts.slice(-n).join('.'));
    if (slot) return slot;
  }
  return undefined;
}

function addAll(collector: IocCollector, iocs: readonly ExtractedIoc[]): boolean {
  for (const ioc of iocs) collector.add(ioc);
  return iocs.length > 0;
}

function withRole(ioc: Omit<ExtractedIoc, 'role'>, role: IocRole): ExtractedIoc {
  return ioc.ip ? { type: ioc.type, value: ioc.value, role, ip: ioc.ip } : { type: ioc.type, value: ioc.value, role };
}

/** Adds the IOC(s) one structured value denotes; false when the value was not of the slot's kind. */
function addSlot(collector: IocCollector, [kind, role]: Slot, raw: string): boolean {
  const value = capText(raw, EXTRACT_LIMITS.structuredChars);
  switch (kind) {
    case 'host':
      return addAll(collector, hostIocs(refang(value), role));
    case 'domain':
      return addAll(collector, hostIocs(refang(value), role, { allowHostname: false }));
    case 'user': {
      const name = normalizeUsername(value);
      if (name !== undefined) collector.add({ type: IocType.USERNAME, value: name, role });
      return name !== undefined;
    }
    case 'url': {
      const url = normalizeUrl(refang(value));
      if (!url) return false;
      collector.add({ type: IocType.URL, value: url.value, role });
      const host = urlHostCandidate(url.hostname, 0, 0);
      if (host) collector.add(withRole(host, IocRole.RELATED));
      return true;
    }
    case 'hash':
      return scanHashes(value, collector) > 0;
    case 'email': {
      const email = normalizeEmail(refang(value));
      if (!email) return false;
      collector.add({ type: IocType.EMAIL, value: email.value, role });
      collector.add({ type: IocType.DOMAIN, value: email.domain, role: IocRole.RELATED });
      return true;
    }
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Adds the IOCs of the event's named fields and of the recognised `fields` keys. Returns the keys of
 * `fields` it consumed, which free-text scanning then skips (a user name is never read as text).
 */
export function addStructured(event: NormalizedEvent, collector: IocCollector): Set<string> {
  const named: ReadonlyArray<readonly [unknown, Slot]> = [
    [event.srcIp, ['host', IocRole.SOURCE]],
    [event.dstIp, ['host', IocRole.DESTINATION]],
    [event.host, ['host', IocRole.HOST]],
    [event.user, ['user', IocRole.USER]],
    [event.targetUser, ['user', IocRole.TARGET_USER]],
    [event.url, ['url', IocRole.URL]],
    [event.domain, ['domain', IocRole.RELATED]],
    [event.hash, ['hash', IocRole.FILE]],
    // A file name is no indicator by itself; only a digest written into it is.
    [event.file, ['hash', IocRole.FILE]],
  ];
  for (const [value, slot] of named) {
    const text = str(value);
    if (text !== undefined) addSlot(collector, slot, text);
  }
  const consumed = new Set<string>();
  const fields = event.fields;
  if (typeof fields !== 'object' || fields === null) return consumed;
  for (const [key, value] of Object.entries(fields)) {
    const slot = slotOf(key);
    const text = str(value);
    if (slot === undefined || text === undefined) continue;
    // A user field is never read as text, even when its value is a placeholder: usernames are not domains.
    if (addSlot(collector, slot, text) || slot[0] === 'user') consumed.add(key);
  }
  return consumed;
}

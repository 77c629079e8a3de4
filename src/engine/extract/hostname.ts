/**
 * Host names from host-like fields (`host`, `shost`, `dhost`, `rhost=`): an address becomes an IP
 * IOC, a name under a public suffix a DOMAIN, anything else that is a valid host name (`LabSZ`,
 * `WIN-DC01`, `web01.corp.local`) a HOSTNAME. Host names are lower-cased: DNS and NetBIOS names are
 * case-insensitive (RFC 4343), so `WIN-DC01` and `win-dc01` are one machine.
 */
import { IocType, type ExtractedIoc, type IocRole } from '../types.js';
import { normalizeDomain } from './domain.js';
import { parseIp } from './ip.js';

/** Names that identify no machine in particular. */
const ANONYMOUS_HOSTS = new Set(['localhost', 'localhost.localdomain', 'localhost6', 'ip6-localhost', 'unknown', 'none', 'null', '-']);

/** Labels of letters, digits, `-` and `_` (NetBIOS allows it), not starting or ending with `-`. */
const HOST_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

export function normalizeHostname(value: string): string | undefined {
  let text = value.trim().toLowerCase();
  if (text.endsWith('.')) text = text.slice(0, -1);
  if (text.length === 0 || text.length > 253 || ANONYMOUS_HOSTS.has(text)) return undefined;
  const labels = text.split('.');
  if (!labels.every((l) => l.length <= 63 && HOST_LABEL.test(l))) return undefined;
  // A bare number is a port, a pid or an id, not a machine.
  return /[a-z]/.test(text) ? text : undefined;
}

export interface HostOptions {
  /** False where only addresses and public domains make sense (a DNS query field, a URL host). */
  allowHostname?: boolean;
}

/** Classifies one host value into the IOC it denotes, if any. */
export function hostIoc(value: string, role: IocRole, options: HostOptions = {}): ExtractedIoc | undefined {
  const text = value.trim();
  if (text.length === 0 || text.length > 253 + 2) return undefined;
  const ip = parseIp(text);
  if (ip) return { type: ip.type, value: ip.value, role, ip: ip.ip };
  if (text.includes(':') || text.includes('[')) return undefined;
  const domain = normalizeDomain(text);
  if (domain !== undefined) return { type: IocType.DOMAIN, value: domain, role };
  if (options.allowHostname === false) return undefined;
  const hostname = normalizeHostname(text);
  return hostname === undefined ? undefined : { type: IocType.HOSTNAME, value: hostname, role };
}

/** `mail.example.com[203.0.113.5]` (Postfix, sshd): a name and the address it resolved to. */
const NAME_WITH_ADDRESS = /^([^\s[\]]{0,253})\[([0-9A-Fa-f:.]{2,45})\]$/;

/** A host value that may carry its address in brackets yields up to two IOCs. */
export function hostIocs(value: string, role: IocRole, options: HostOptions = {}): ExtractedIoc[] {
  const pair = NAME_WITH_ADDRESS.exec(value.trim());
  if (!pair) {
    const one = hostIoc(value, role, options);
    return one ? [one] : [];
  }
  const out: ExtractedIoc[] = [];
  const name = pair[1] ? hostIoc(pair[1], role, options) : undefined;
  const address = hostIoc(pair[2] ?? '', role, options);
  if (name) out.push(name);
  if (address) out.push(address);
  return out;
}

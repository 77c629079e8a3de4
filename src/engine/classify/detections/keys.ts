/**
 * The entities detections group by, read once per event. Names are lower-cased: Windows accounts and
 * host names are case-insensitive, and `Root` next to `root` on one Linux host is rare enough.
 */
import type { NormalizedEvent } from '../../types.js';
import type { Destination, EventKeys } from './types.js';

/** Windows logon events whose subject is the requesting service or machine, and whose target is the account. */
const TARGET_IS_ACCOUNT = new Set(['4624', '4625', '4648', '4768', '4771', '4776']);

const clean = (v: string | undefined): string | undefined => {
  const t = v?.trim().toLowerCase();
  return t && t !== '-' ? t : undefined;
};

/**
 * The account an authentication is about. Windows logon records put the requester (often `-` or a machine
 * account) in the subject and the account in the target; `su` authenticates the account switched to;
 * everything else (sshd, sudo, 4672) names it in `user`.
 */
export function accountOf(event: NormalizedEvent): string | undefined {
  const user = clean(event.user);
  const target = clean(event.targetUser);
  const targetFirst = (event.eventId !== undefined && TARGET_IS_ACCOUNT.has(event.eventId)) || event.action === 'su';
  return targetFirst ? (target ?? user) : (user ?? target);
}

function urlHost(url: string): string | undefined {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

/** A named destination (domain, URL host) groups better than an address: CDNs and fronting rotate IPs. */
export function destinationOf(event: NormalizedEvent): Destination | undefined {
  const named = clean(event.domain)?.replace(/\.$/, '') ?? (event.url ? urlHost(event.url) : undefined);
  const ip = clean(event.dstIp);
  const port = event.dstPort;
  if (named) return { key: port !== undefined ? `${named}:${port}` : named, host: named, ...(port !== undefined ? { port } : {}) };
  if (ip) return { key: port !== undefined ? `${ip}:${port}` : ip, host: ip, ...(port !== undefined ? { port } : {}) };
  return undefined;
}

export function keysOf(event: NormalizedEvent): EventKeys {
  const source = clean(event.srcIp);
  const host = clean(event.host);
  const account = accountOf(event);
  const client = source ?? host;
  const destination = destinationOf(event);
  return {
    ...(source ? { source } : {}),
    ...(host ? { host } : {}),
    ...(account ? { account, accountKey: `${host ?? ''}|${account}` } : {}),
    ...(client ? { client } : {}),
    ...(destination ? { destination } : {}),
  };
}

/**
 * What may leave the building. An external provider never sees internal addresses (they reveal the
 * network's layout and mean nothing to a reputation service) nor TLP:RED data, and sees TLP:AMBER only
 * where the operator allowed it.
 */
import { classifyIp } from '../../extract/ip.js';
import type { IpFlags } from '../../types.js';
import type { EnrichmentTarget } from '../types.js';

function internalIp(flags: IpFlags | undefined): string | undefined {
  if (!flags) return undefined;
  if (flags.loopback) return 'loopback address';
  if (flags.private) return 'private address';
  if (flags.reserved) return `reserved address (${flags.range})`;
  return undefined;
}

function urlHost(value: string): string | undefined {
  try {
    return new URL(value).hostname;
  } catch {
    return undefined;
  }
}

const INTERNAL_NAME = /(^|\.)(localhost|local|internal|lan|home\.arpa)$/i;

/** Why `target` must not be sent to an external provider, or undefined when it may. */
export function externalRefusal(target: EnrichmentTarget, allowAmber: boolean): string | undefined {
  if (target.tlp === 'RED') return 'TLP:RED is never sent to an external provider';
  if (target.tlp === 'AMBER' && !allowAmber) return 'TLP:AMBER is not shared with this provider (allowAmber is off)';
  if (target.type === 'IPV4' || target.type === 'IPV6') {
    // Flags from the caller are trusted only to refuse; the value is checked too, in case they are missing.
    const why = internalIp(target.ip) ?? internalIp(classifyIp(target.value));
    if (why) return `${why} is never sent to an external provider`;
  }
  if (target.type === 'URL' || target.type === 'DOMAIN' || target.type === 'HOSTNAME') {
    const host = target.type === 'URL' ? urlHost(target.value) : target.value;
    if (host !== undefined) {
      const why = internalIp(classifyIp(host));
      if (why) return `${why} is never sent to an external provider`;
      if (INTERNAL_NAME.test(host)) return 'internal host name is never sent to an external provider';
    }
  }
  return undefined;
}

/**
 * The safety rails every containment passes before it is stored as anything but REFUSED:
 *
 * - the allowlist, never touched: BLOCK_IP refuses loopback, private and reserved ranges, the
 *   organisation's networks (VIGIL_ORG_NETWORKS) and protected addresses (VIGIL_PROTECTED_HOSTS);
 *   an IPv6 address is also judged by the IPv4 address it carries (NAT64, 6to4, Teredo);
 *   ISOLATE_HOST refuses protected hosts and loopback/reserved addresses, but not private ranges or
 *   organisation domains, because the endpoints one isolates live there; DISABLE_USER and
 *   RESET_PASSWORD refuse VIP accounts (VIGIL_VIP_USERS) and the built-in root and Administrator, whose
 *   loss locks everyone out of recovery;
 * - the blast radius: at most `maxPerRun` containments per playbook run and `maxPerHour` in any hour
 *   (counted from the actions table, so restarts and several runs share it). The hour counts what was
 *   requested, approved or executed in it, and is checked again when an action is approved and before it
 *   executes: an approval given hours later must not push the last hour over the limit.
 *
 * Each check answers the reason for refusing, naming the rule and the setting, or undefined.
 */
import ipaddr from 'ipaddr.js';
import type { Clock } from '../../../clock.js';
import type { ActionStore, CountQuery } from '../../../store/action-store.js';
import type { ActionRecord } from '../../../store/records.js';
import { parseIp } from '../../extract/index.js';
import { ActionKind, ActionStatus } from '../types.js';
import { embeddedIpv4 } from './embedded-ipv4.js';
import { CONTAINMENT_KINDS } from './params.js';
import type { ActionSettings } from './settings.js';

/** Accounts refused for DISABLE_USER and RESET_PASSWORD even when VIGIL_VIP_USERS does not list them. */
export const BUILT_IN_VIP_USERS = ['root', 'administrator'] as const;

/** Statuses of actions that did, or may still do, something: what the blast radius counts. */
const COUNTED = [ActionStatus.PLANNED, ActionStatus.PENDING_APPROVAL, ActionStatus.EXECUTED, ActionStatus.FAILED, ActionStatus.REVERTED];
const HOUR_MS = 3_600_000;

interface Range {
  text: string;
  cidr: [ipaddr.IPv4 | ipaddr.IPv6, number];
}

function parseRanges(entries: readonly string[]): { ranges: Range[]; names: string[] } {
  const ranges: Range[] = [];
  const names: string[] = [];
  for (const entry of entries) {
    const text = entry.trim();
    if (!text) continue;
    try {
      if (text.includes('/')) {
        ranges.push({ text, cidr: ipaddr.parseCIDR(text) });
        continue;
      }
      const ip = parseIp(text);
      if (ip) {
        const addr = ipaddr.parse(ip.value);
        ranges.push({ text, cidr: [addr, addr.kind() === 'ipv4' ? 32 : 128] });
        continue;
      }
    } catch {
      // not a CIDR: treated as a name below
    }
    names.push(hostName(text).replace(/^\*?\./, ''));
  }
  return { ranges, names };
}

function inRange(address: string, ranges: readonly Range[]): Range | undefined {
  const addr = ipaddr.parse(address);
  return ranges.find((r) => r.cidr[0].kind() === addr.kind() && addr.match(r.cidr));
}

/** One spelling of a host name: lower case, without the DNS root's trailing dot (string ops: no regex scan). */
function hostName(s: string): string {
  let name = s.trim().toLowerCase();
  while (name.endsWith('.')) name = name.slice(0, -1);
  return name;
}

/**
 * A host matches a protected name exactly, as a subdomain of it, or by its first label. Failing closed:
 * `dc01`, `dc01.corp` and `dc01.corp.example` are one machine as far as a person configuring the list
 * knows, so any qualification of the same first label is refused (a rare false refusal beats isolating
 * a domain controller).
 */
function nameMatches(hostText: string, nameText: string): boolean {
  const host = hostName(hostText);
  const name = hostName(nameText);
  if (host === name || host.endsWith(`.${name}`)) return true;
  return host.split('.')[0] === name.split('.')[0];
}

/** `CORP\Alice` and `alice@corp.example` are `alice`. */
export function accountName(user: string): string {
  const afterDomain = user.slice(user.lastIndexOf('\\') + 1);
  const at = afterDomain.indexOf('@');
  return (at > 0 ? afterDomain.slice(0, at) : afterDomain).toLowerCase();
}

export function createAllowlist(settings: Pick<ActionSettings, 'orgNetworks' | 'protectedHosts' | 'vipUsers'>) {
  const org = parseRanges(settings.orgNetworks);
  const protectedHosts = parseRanges(settings.protectedHosts);
  const vips = new Map<string, string>(BUILT_IN_VIP_USERS.map((u) => [u, 'a built-in administrator account (always protected)']));
  for (const user of settings.vipUsers) if (user.trim()) vips.set(accountName(user.trim()), `a VIP account in VIGIL_VIP_USERS (${user.trim()})`);

  function addressReason(address: string, forBlocking: boolean): string | undefined {
    const own = ownAddressReason(address, forBlocking);
    if (own) return own;
    for (const inner of embeddedIpv4(address)) {
      const reason = ownAddressReason(inner.ipv4, forBlocking);
      if (reason) return `${address} carries ${inner.ipv4} (${inner.via}): ${reason}`;
    }
    return undefined;
  }

  function ownAddressReason(address: string, forBlocking: boolean): string | undefined {
    const flags = parseIp(address)?.ip;
    if (!flags) return undefined;
    if (flags.loopback) return `${address} is a loopback address`;
    if (forBlocking && flags.private) return `${address} is in a private range (${flags.range})`;
    if (flags.reserved && (forBlocking || flags.range !== 'uniqueLocal')) return `${address} is in a reserved range (${flags.range})`;
    const own = forBlocking ? inRange(address, org.ranges) : undefined;
    if (own) return `${address} is one of your organisation's networks: ${own.text} in VIGIL_ORG_NETWORKS`;
    const kept = inRange(address, protectedHosts.ranges);
    if (kept) return `${address} is protected: ${kept.text} in VIGIL_PROTECTED_HOSTS`;
    return undefined;
  }

  return {
    /** Why this action must not touch its target, or undefined when it may. */
    check(kind: ActionKind, params: Record<string, unknown>): string | undefined {
      const why = (reason: string | undefined) => (reason ? `${reason}; never ${VERB[kind] ?? 'touched'}` : undefined);
      switch (kind) {
        case ActionKind.BLOCK_IP:
          return why(addressReason(String(params.ip), true));
        case ActionKind.ISOLATE_HOST: {
          const host = String(params.host);
          if (parseIp(host)) return why(addressReason(host, false));
          const name = protectedHosts.names.find((n) => nameMatches(host, n));
          return why(name ? `${host} is protected: ${name} in VIGIL_PROTECTED_HOSTS` : undefined);
        }
        case ActionKind.DISABLE_USER:
        case ActionKind.RESET_PASSWORD: {
          const user = String(params.user);
          const vip = vips.get(accountName(user));
          return why(vip ? `${user} is ${vip}` : undefined);
        }
        default:
          return undefined;
      }
    },
  };
}

const VERB: Partial<Record<ActionKind, string>> = {
  BLOCK_IP: 'blocked',
  ISOLATE_HOST: 'isolated',
  DISABLE_USER: 'disabled',
  RESET_PASSWORD: 'reset',
};

export function createBlastRadius(deps: { store: ActionStore; clock: Clock; settings: Pick<ActionSettings, 'maxPerRun' | 'maxPerHour'> }) {
  const { store, clock, settings } = deps;
  return {
    /**
     * Why one more containment would exceed the blast radius, or undefined. A dry run is counted with the
     * other dry-run actions of its run, and against the real actions of the last hour (the plan shows
     * what a real run would be refused now).
     */
    check(kind: ActionKind, runId: string | null | undefined, dryRun: boolean): string | undefined {
      if (!CONTAINMENT_KINDS.includes(kind)) return undefined;
      if (runId) {
        const inRun = store.countInRun(runId, query(dryRun));
        if (inRun >= settings.maxPerRun) {
          return `blast radius: run ${runId} already has ${inRun} containment actions, the most one run may take (VIGIL_MAX_ACTIONS_PER_RUN=${settings.maxPerRun})`;
        }
      }
      const inHour = store.countSince(clock() - HOUR_MS, query(false));
      if (inHour >= settings.maxPerHour) {
        return `blast radius: ${inHour} containment actions were taken in the last hour, the most allowed (VIGIL_MAX_ACTIONS_PER_HOUR=${settings.maxPerHour})`;
      }
      return undefined;
    },

    /**
     * The hourly limit again, for an action about to become ready (approved) or to execute, counting the
     * others (not itself) requested, approved or executed in the last hour. The run limit needs no second
     * look: a run's count never moves out of a window. Undefined when it may go on.
     */
    recheck(action: ActionRecord): string | undefined {
      if (action.dryRun || !CONTAINMENT_KINDS.includes(action.kind as ActionKind)) return undefined;
      const inHour = store.countSince(clock() - HOUR_MS, query(false), action.id);
      if (inHour < settings.maxPerHour) return undefined;
      return `blast radius: ${inHour} other containment actions were requested, approved or executed in the last hour, the most allowed (VIGIL_MAX_ACTIONS_PER_HOUR=${settings.maxPerHour}); refused when it was about to run`;
    },
  };
}

const query = (dryRun: boolean): CountQuery => ({ kinds: CONTAINMENT_KINDS, statuses: COUNTED, dryRun });

export type Allowlist = ReturnType<typeof createAllowlist>;
export type BlastRadius = ReturnType<typeof createBlastRadius>;

/**
 * What a containment would do, as the commands and API calls a real executor would make. The simulated
 * executor records exactly this (and changes nothing); a dry run shows it as the plan. Values were
 * validated to plain character sets (params.ts) and are single-quoted in shell and PowerShell commands
 * all the same, so a copied command never runs anything but what it says.
 */
import { ActionKind } from '../types.js';
import { formatTtl } from './ttl.js';

export interface Plan {
  /** One sentence for people. */
  summary: string;
  /** Shell/PowerShell commands by tool. */
  commands?: Record<string, string>;
  /** The EDR API call an isolation would make. */
  api?: { method: string; path: string; body?: Record<string, unknown> };
}

/** nftables keeps IPv4 and IPv6 elements in sets of their own family. */
const setOf = (ip: string) => (ip.includes(':') ? 'vigil_blocklist6' : 'vigil_blocklist');
const iptablesOf = (ip: string) => (ip.includes(':') ? 'ip6tables' : 'iptables');
const quote = (s: string) => `'${s}'`;

export function planOf(kind: ActionKind, params: Record<string, unknown>, ttlMs: number | null): Plan | undefined {
  switch (kind) {
    case ActionKind.BLOCK_IP: {
      const ip = String(params.ip);
      const ttl = formatTtl(ttlMs ?? 0);
      return {
        summary: `block ${ip} at the firewall for ${ttl}`,
        commands: {
          nft: `nft add element inet filter ${setOf(ip)} { ${ip} timeout ${ttl} }`,
          iptables: `${iptablesOf(ip)} -I INPUT -s ${ip} -j DROP`,
        },
      };
    }
    case ActionKind.UNBLOCK_IP: {
      const ip = String(params.ip);
      return {
        summary: `remove the firewall block of ${ip}`,
        commands: { nft: `nft delete element inet filter ${setOf(ip)} { ${ip} }`, iptables: `${iptablesOf(ip)} -D INPUT -s ${ip} -j DROP` },
      };
    }
    case ActionKind.ISOLATE_HOST: {
      const host = String(params.host);
      return {
        summary: `isolate ${host} from the network through the EDR for ${formatTtl(ttlMs ?? 0)} (its EDR agent keeps talking to the console)`,
        api: { method: 'POST', path: `/hosts/${encodeURIComponent(host)}/isolate`, body: { host, ttlSeconds: Math.round((ttlMs ?? 0) / 1000) } },
      };
    }
    case ActionKind.RELEASE_HOST: {
      const host = String(params.host);
      return { summary: `release ${host} from network isolation through the EDR`, api: { method: 'POST', path: `/hosts/${encodeURIComponent(host)}/release`, body: { host } } };
    }
    case ActionKind.DISABLE_USER: {
      const user = String(params.user);
      return {
        summary: `disable the account ${user} so it can no longer log in`,
        commands: { linux: `usermod -L -e 1 ${quote(user)}`, activeDirectory: `Disable-ADAccount -Identity ${quote(user)}` },
      };
    }
    case ActionKind.RESET_PASSWORD: {
      const user = String(params.user);
      return {
        summary: `expire the password of ${user} and force a new one at the next logon`,
        commands: { linux: `passwd --expire ${quote(user)}`, activeDirectory: `Set-ADUser -Identity ${quote(user)} -ChangePasswordAtLogon $true` },
      };
    }
    default:
      return undefined;
  }
}

/**
 * Roles from the words around a match: `from 1.2.3.4` is a source, `to 1.2.3.4` a destination,
 * `from=<a@b.c>` a sender, `sha256=…` a file. Only a short window before the match is read, with
 * patterns anchored at its end, so the cost per match is a small constant.
 */
import { IocRole, IocType } from '../types.js';
import type { Candidate } from './candidate.js';
import { hostIocs } from './hostname.js';

const WINDOW = 40;

const SOURCE_BEFORE =
  /(?:^|[^\p{L}\p{N}_])(?:from|src|srcip|src_ip|src_addr|source|source_ip|sourceip|source_address|rhost|shost|client|clientip|client_ip|client_addr|remote|remote_ip|remote_addr|remoteip|saddr|peer|attacker|(?:closed|reset) by)[ \t]{0,3}[=:]?[ \t]{0,3}[[(<"']?$/iu;
const DESTINATION_BEFORE =
  /(?:^|[^\p{L}\p{N}_])(?:to|on|dst|dstip|dst_ip|dst_addr|dest|destination|destination_ip|destinationip|destination_address|dhost|daddr|connect(?:ing|ed)? to)[ \t]{0,3}[=:]?[ \t]{0,3}[[(<"']?$/iu;
const SENDER_BEFORE = /(?:^|[^\p{L}\p{N}_])(?:from|sender|mail_from|mailfrom|envelope-from|return-path|reply-to)[ \t]{0,3}[=:]?[ \t]{0,3}[<"']?$/iu;
const FILE_HASH_BEFORE = /(?:^|[^\p{L}\p{N}_])(?:md5|sha-?1|sha-?256|sha-?512|hash(?:es)?|checksum|digest|filehash|file_hash)[ \t]{0,3}[=:]?[ \t]{0,3}["']?$/iu;

const HASH_TYPES: ReadonlySet<string> = new Set([IocType.MD5, IocType.SHA1, IocType.SHA256, IocType.SHA512]);

/** The role the text right before `start` gives a candidate of `type`, RELATED when it says nothing. */
export function roleBefore(text: string, start: number, type: IocType): IocRole {
  const window = text.slice(Math.max(0, start - WINDOW), start);
  switch (type) {
    case IocType.IPV4:
    case IocType.IPV6:
    case IocType.DOMAIN:
      if (SOURCE_BEFORE.test(window)) return IocRole.SOURCE;
      if (DESTINATION_BEFORE.test(window)) return IocRole.DESTINATION;
      return IocRole.RELATED;
    case IocType.EMAIL:
      return SENDER_BEFORE.test(window) ? IocRole.SENDER : IocRole.RELATED;
    default:
      return HASH_TYPES.has(type) && FILE_HASH_BEFORE.test(window) ? IocRole.FILE : IocRole.RELATED;
  }
}

const HOST_VALUE = String.raw`("?)([^\s"';,]{1,260})`;

interface HostPattern {
  re: RegExp;
  /** Capture groups holding host values, with the role each one gets. */
  groups: ReadonlyArray<readonly [number, IocRole | ((key: string) => IocRole)]>;
}

const KEY_ROLES: Readonly<Record<string, IocRole>> = {
  rhost: IocRole.SOURCE,
  shost: IocRole.SOURCE,
  src: IocRole.SOURCE,
  srcip: IocRole.SOURCE,
  srchost: IocRole.SOURCE,
  client: IocRole.SOURCE,
  dhost: IocRole.DESTINATION,
  dst: IocRole.DESTINATION,
  dstip: IocRole.DESTINATION,
  dsthost: IocRole.DESTINATION,
  relay: IocRole.DESTINATION,
};

/** Text patterns that name hosts outright; these may also be single-label host names. */
const HOST_PATTERNS: readonly HostPattern[] = [
  {
    // sshd: the client's address and the name its reverse lookup gave.
    re: /\bgetaddrinfo for ([^\s[\]]{1,253}) \[([0-9A-Fa-f:.]{2,45})\]/g,
    groups: [
      [1, IocRole.SOURCE],
      [2, IocRole.SOURCE],
    ],
  },
  {
    // Postfix: `connect from mail.example.com[203.0.113.25]`, `lost connection after AUTH from unknown[198.51.100.3]`.
    re: /\bfrom ([^\s[\]]{1,253})\[([0-9A-Fa-f:.]{2,45})\]/g,
    groups: [
      [1, IocRole.SOURCE],
      [2, IocRole.SOURCE],
    ],
  },
  {
    // ftpd/xinetd: `connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net)`.
    re: /\bfrom ([0-9A-Fa-f:.]{2,45}) \(([^\s()]{1,253})\)/gi,
    groups: [
      [1, IocRole.SOURCE],
      [2, IocRole.SOURCE],
    ],
  },
  {
    re: /\bAddress ([0-9A-Fa-f:.]{2,45}) maps to ([^\s,]{1,253}),/g,
    groups: [
      [1, IocRole.SOURCE],
      [2, IocRole.SOURCE],
    ],
  },
  {
    // PAM `rhost=`, CEF `shost=`/`dhost=`, Postfix `client=name[addr]` and `relay=name[addr]:25`.
    re: new RegExp(String.raw`(?<![\p{L}\p{N}_.-])(rhost|shost|dhost|src|srcip|srchost|dst|dstip|dsthost|client|relay)=${HOST_VALUE}`, 'giu'),
    groups: [[3, (key) => KEY_ROLES[key.toLowerCase()] ?? IocRole.RELATED]],
  },
];

/** Hosts named by the context patterns, as candidates with their role (spans cover the whole match). */
export function findContextHosts(text: string, limit: number): Candidate[] {
  const out: Candidate[] = [];
  for (const { re, groups } of HOST_PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null && out.length < limit; m = re.exec(text)) {
      for (const [group, roleOf] of groups) {
        const raw = m[group];
        if (!raw) continue;
        const role = typeof roleOf === 'function' ? roleOf(m[1] ?? '') : roleOf;
        // Postfix appends the port after the bracket: `relay=mx.example.com[203.0.113.5]:25`.
        const value = raw.replace(/\]:\d{1,5}$/, ']');
        for (const ioc of hostIocs(value, role)) out.push({ ...ioc, start: m.index, end: m.index + m[0].length });
      }
    }
  }
  return out;
}

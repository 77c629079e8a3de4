/**
 * The IPv4 addresses an IPv6 address carries. Translation and tunnelling prefixes (NAT64 `64:ff9b::/96`,
 * IPv4-translated `::ffff:0:0/96`, IPv4-compatible `::/96`, 6to4 `2002::/16`, Teredo `2001::/32`) are
 * globally routed, so the address itself looks public, yet traffic to it reaches the IPv4 address inside:
 * `64:ff9b::a00:1` is 10.0.0.1. The safety rails check those IPv4 addresses too, or a private or
 * organisation address could be blocked in its IPv6 spelling.
 */
import ipaddr from 'ipaddr.js';

export interface EmbeddedIpv4 {
  /** Dotted decimal. */
  ipv4: string;
  /** How it is carried, for the refusal's reason. */
  via: string;
}

const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]).toString();

/** The IPv4 addresses inside `address` (an IPv6 address in any valid spelling); none for anything else. */
export function embeddedIpv4(address: string): EmbeddedIpv4[] {
  if (!ipaddr.IPv6.isValid(address)) return [];
  const ip = ipaddr.IPv6.parse(address);
  const p = ip.parts;
  switch (ip.range()) {
    // NAT64 (RFC 6052; the RFC 8215 local-use /48 is read the same way, its usual /96 deployment) and
    // SIIT (RFC 6145): the last 32 bits.
    case 'rfc6052':
    case 'rfc6145':
    case 'ipv4Mapped':
      return [{ ipv4: v4(p[6]!, p[7]!), via: ip.range() }];
    // 6to4 (RFC 3056): bits 16 to 48 are the site's IPv4 address.
    case '6to4':
      return [{ ipv4: v4(p[1]!, p[2]!), via: '6to4' }];
    // Teredo (RFC 4380): bits 32 to 64 are the server; the last 32 bits, inverted, the client's address.
    case 'teredo':
      return [
        { ipv4: v4(~p[6]! & 0xffff, ~p[7]! & 0xffff), via: 'teredo client' },
        { ipv4: v4(p[2]!, p[3]!), via: 'teredo server' },
      ];
    default:
      // IPv4-compatible (deprecated, RFC 4291 2.5.5.1): 96 zero bits, then the IPv4 address (not :: or ::1).
      if (p.slice(0, 6).every((x) => x === 0) && (p[6] !== 0 || p[7]! > 1)) return [{ ipv4: v4(p[6]!, p[7]!), via: 'IPv4-compatible' }];
      return [];
  }
}

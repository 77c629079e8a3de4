/**
 * What the addresses a name resolves to say about it. Only a name whose every address is local
 * counts: one public address among them is ordinary dual-homed or split-horizon setup.
 */
import ipaddr from 'ipaddr.js';

/** Where no public host can be: a blocklist sinkhole (0.0.0.0, 127.0.0.1) or a DNS rebinding target. */
const SINKHOLE_RANGES = new Set(['loopback', 'unspecified']);
/** Addresses for one site's own network. Documentation and other reserved ranges are left out: they say nothing about intent. */
const LOCAL_RANGES = new Set([...SINKHOLE_RANGES, 'private', 'uniqueLocal', 'linkLocal', 'carrierGradeNat']);

export interface AnswerAssessment {
  /** Every address is loopback or unspecified. */
  sinkhole: boolean;
  /** Every address is local to a site (RFC 1918, unique-local, link-local, CGNAT, loopback). */
  local: boolean;
}

function rangeOf(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return undefined;
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is the IPv4 address for every practical purpose.
  return ipaddr.process(address).range();
}

export function assessAnswers(addresses: readonly string[]): AnswerAssessment | undefined {
  if (addresses.length === 0) return undefined;
  const ranges = addresses.map(rangeOf);
  if (ranges.some((r) => r === undefined)) return undefined;
  return {
    sinkhole: ranges.every((r) => SINKHOLE_RANGES.has(r ?? '')),
    local: ranges.every((r) => LOCAL_RANGES.has(r ?? '')),
  };
}

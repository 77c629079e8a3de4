/**
 * IP ranges as sortable text keys. A key is a family tag (`4` or `6`) and the address as fixed-width
 * hex (8 or 32 digits), so keys of one family compare as numbers and the two families never interleave.
 *
 * Every stored range is a CIDR block. CIDR blocks are either disjoint or nested, so the blocks that
 * contain an address are exactly among its own prefixes (33 for IPv4, 129 for IPv6): a lookup seeks
 * those network addresses in the index instead of scanning, and overlapping or nested ranges from
 * several feeds are all found. Start-end ranges are split into CIDR blocks to keep that property.
 */
import ipaddr from 'ipaddr.js';
import { parseIp } from '../../extract/index.js';

export type IpFamily = 4 | 6;

export interface IpBlock {
  family: IpFamily;
  /** Canonical `network/length`, e.g. `1.4.0.0/17`, `2a06:e480::/29`. */
  cidr: string;
  prefix: number;
  start: string;
  end: string;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

function keyOf(family: IpFamily, n: bigint): string {
  return `${family}${n.toString(16).padStart(family === 4 ? 8 : 32, '0')}`;
}

function toBigInt(bytes: number[]): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function fromBigInt(family: IpFamily, n: bigint): string {
  const count = family === 4 ? 4 : 16;
  const bytes: number[] = new Array<number>(count);
  let v = n;
  for (let i = count - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (family === 4) return new ipaddr.IPv4(bytes).toString();
  const parts: number[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  return new ipaddr.IPv6(parts).toRFC5952String();
}

/** The numeric form of a canonical address (as normalizeIocValue returns it). */
export function addressNumber(value: string): { family: IpFamily; n: bigint } | undefined {
  const ip = parseIp(value);
  if (!ip) return undefined;
  const addr = ipaddr.parse(ip.value);
  return { family: addr.kind() === 'ipv4' ? 4 : 6, n: toBigInt(addr.toByteArray()) };
}

function blockOf(family: IpFamily, n: bigint, prefix: number): IpBlock {
  const host = BITS[family] - prefix;
  const size = 1n << BigInt(host);
  const network = (n >> BigInt(host)) << BigInt(host);
  return { family, prefix, cidr: `${fromBigInt(family, network)}/${prefix}`, start: keyOf(family, network), end: keyOf(family, network + size - 1n) };
}

/**
 * `a.b.c.d/len` or `x::/len`, host bits cleared (`1.2.3.4/24` -> `1.2.3.0/24`); undefined when invalid.
 * An IPv4-mapped IPv6 block stays IPv6: lookups of IPv4 addresses never see it, which only loses
 * matches of a notation no public feed uses.
 */
export function parseCidr(text: string): IpBlock | undefined {
  const slash = text.indexOf('/');
  if (slash <= 0 || text.length > 64) return undefined;
  const lenText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lenText)) return undefined;
  const addr = addressNumber(text.slice(0, slash));
  if (!addr) return undefined;
  const prefix = Number(lenText);
  if (prefix > BITS[addr.family]) return undefined;
  return blockOf(addr.family, addr.n, prefix);
}

/** The keys of every block that could contain the address, longest prefix first. */
export function containingStarts(family: IpFamily, n: bigint): string[] {
  const bits = BITS[family];
  const out: string[] = [];
  for (let prefix = bits; prefix >= 0; prefix--) {
    const host = BigInt(bits - prefix);
    out.push(keyOf(family, (n >> host) << host));
  }
  return out;
}

export function addressKey(family: IpFamily, n: bigint): string {
  return keyOf(family, n);
}

/** Splits an inclusive start-end range into the fewest CIDR blocks (at most 2 x bits), or undefined. */
export function rangeToBlocks(first: string, last: string): IpBlock[] | undefined {
  const a = addressNumber(first);
  const b = addressNumber(last);
  if (!a || !b || a.family !== b.family || a.n > b.n) return undefined;
  const bits = BITS[a.family];
  const out: IpBlock[] = [];
  let cur = a.n;
  while (cur <= b.n) {
    // The largest block aligned at `cur` that does not run past `last`.
    let host = 0;
    while (host < bits && ((cur >> BigInt(host)) & 1n) === 0n && cur + (1n << BigInt(host + 1)) - 1n <= b.n) host++;
    out.push(blockOf(a.family, cur, bits - host));
    cur += 1n << BigInt(host);
  }
  return out;
}

/** Whether a block lies in private, loopback, multicast or other reserved space (bogons, not threats). */
export function isReservedBlock(block: IpBlock): boolean {
  const network = block.cidr.slice(0, block.cidr.indexOf('/'));
  const range = ipaddr.parse(network).range();
  return range !== 'unicast' && range !== '6to4' && range !== 'teredo';
}

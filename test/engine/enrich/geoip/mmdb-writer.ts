/**
 * A minimal MaxMind DB writer for tests (MaxMind DB File Format Specification 2.0): a binary search
 * tree with 24-bit records (IPv6 with IPv4 at ::/96, or IPv4 only), the 16-byte data section
 * separator, a data section (map, utf8 string, uint16, uint32, uint64, double, boolean, array) and the
 * metadata after `\xAB\xCD\xEFMaxMind.com`. Each record is written once and shared by its networks.
 */
import ipaddr from 'ipaddr.js';

/** Values with an explicit MaxMind type; a plain integer is written as uint32, other numbers as double. */
export class Typed {
  constructor(
    readonly type: 'uint16' | 'uint32' | 'uint64' | 'double',
    readonly value: number | bigint,
  ) {}
}
export const u16 = (value: number): Typed => new Typed('uint16', value);
export const u32 = (value: number): Typed => new Typed('uint32', value);
export const u64 = (value: number | bigint): Typed => new Typed('uint64', value);

export type MmdbValue = string | number | boolean | Typed | MmdbValue[] | { [key: string]: MmdbValue };
export type MmdbRecord = { [key: string]: MmdbValue };

export interface MmdbNetwork {
  /** CIDR: `81.2.69.0/24`, `2a02:d0::/32`. */
  network: string;
  record: MmdbRecord;
}

export interface MmdbOptions {
  databaseType: string;
  /** 6 (default): an IPv6 tree with IPv4 at ::/96; 4: an IPv4-only tree. */
  ipVersion?: 4 | 6;
  languages?: string[];
  description?: Record<string, string>;
  buildEpoch?: number;
}

const RECORD_SIZE = 24;
const MAX_RECORD = 2 ** RECORD_SIZE - 1;
const METADATA_MARKER = Buffer.from('ABCDEF4D61784D696E642E636F6D', 'hex');

// ---- data section -----------------------------------------------------------------------------

const TYPE = { utf8: 2, double: 3, uint16: 5, uint32: 6, map: 7, uint64: 9, array: 11, boolean: 14 } as const;

/** Control byte(s): type in the top 3 bits (0 + a next byte for types above 7), size in the low 5. */
function control(type: number, size: number): Buffer {
  let sizeBits: number;
  let extra: Buffer;
  if (size < 29) {
    sizeBits = size;
    extra = Buffer.alloc(0);
  } else if (size < 29 + 256) {
    sizeBits = 29;
    extra = Buffer.from([size - 29]);
  } else if (size < 285 + 65536) {
    sizeBits = 30;
    extra = Buffer.alloc(2);
    extra.writeUInt16BE(size - 285);
  } else {
    sizeBits = 31;
    extra = Buffer.alloc(3);
    extra.writeUIntBE(size - 65821, 0, 3);
  }
  const head = type <= 7 ? Buffer.from([(type << 5) | sizeBits]) : Buffer.from([sizeBits, type - 7]);
  return Buffer.concat([head, extra]);
}

/** Big-endian bytes of an unsigned integer without leading zeros (0 has none). */
function unsigned(value: bigint, maxBytes: number): Buffer {
  if (value < 0n || value >= 1n << BigInt(maxBytes * 8)) throw new Error(`${value} does not fit in ${maxBytes} bytes`);
  const bytes: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  return Buffer.from(bytes);
}

export function encodeValue(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(TYPE.utf8, bytes.length), bytes]);
  }
  if (typeof value === 'boolean') return control(TYPE.boolean, value ? 1 : 0);
  if (typeof value === 'number') {
    return encodeValue(Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? u32(value) : new Typed('double', value));
  }
  if (value instanceof Typed) {
    if (value.type === 'double') {
      const bytes = Buffer.alloc(8);
      bytes.writeDoubleBE(Number(value.value));
      return Buffer.concat([control(TYPE.double, 8), bytes]);
    }
    const maxBytes = value.type === 'uint16' ? 2 : value.type === 'uint32' ? 4 : 8;
    const bytes = unsigned(BigInt(value.value), maxBytes);
    return Buffer.concat([control(TYPE[value.type], bytes.length), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(TYPE.array, value.length), ...value.map(encodeValue)]);
  const entries = Object.entries(value);
  return Buffer.concat([control(TYPE.map, entries.length), ...entries.flatMap(([k, v]) => [encodeValue(k), encodeValue(v)])]);
}

// ---- search tree ------------------------------------------------------------------------------

interface TreeNode {
  children: [Child, Child];
}
type Child = TreeNode | { record: MmdbRecord } | undefined;

function isNode(child: Child): child is TreeNode {
  return child !== undefined && 'children' in child;
}

/** The bits of `network` as the tree sees it, and how many of them count. */
function bitsOf(network: string, ipVersion: 4 | 6): { bytes: number[]; prefix: number } {
  const [addr, prefix] = ipaddr.parseCIDR(network);
  if (addr.kind() === 'ipv4') {
    const bytes = addr.toByteArray();
    return ipVersion === 4 ? { bytes, prefix } : { bytes: [...new Array<number>(12).fill(0), ...bytes], prefix: 96 + prefix };
  }
  if (ipVersion === 4) throw new Error(`${network}: IPv6 network in an IPv4-only database`);
  return { bytes: addr.toByteArray(), prefix };
}

/** Networks are inserted in order; a more specific network inside an earlier one splits it. */
function insert(root: TreeNode, bytes: number[], prefix: number, record: MmdbRecord): void {
  if (prefix === 0) throw new Error('a /0 network is not supported');
  let node = root;
  for (let depth = 0; depth < prefix; depth++) {
    const bit = (((bytes[depth >> 3] ?? 0) >> (7 - (depth & 7))) & 1) as 0 | 1;
    if (depth === prefix - 1) {
      node.children[bit] = { record };
      return;
    }
    let next = node.children[bit];
    if (!isNode(next)) {
      // Empty, or a less specific network's record that now covers both halves below.
      next = { children: [next, next] };
      node.children[bit] = next;
    }
    node = next;
  }
}

/** Builds a .mmdb file holding `networks`. */
export function buildMmdb(networks: MmdbNetwork[], options: MmdbOptions): Buffer {
  const ipVersion = options.ipVersion ?? 6;
  const root: TreeNode = { children: [undefined, undefined] };
  for (const { network, record } of networks) {
    const { bytes, prefix } = bitsOf(network, ipVersion);
    insert(root, bytes, prefix, record);
  }

  // Number the nodes breadth-first; the root is node 0.
  const nodes: TreeNode[] = [root];
  const ids = new Map<TreeNode, number>([[root, 0]]);
  for (let i = 0; i < nodes.length; i++) {
    for (const child of nodes[i]?.children ?? []) {
      if (isNode(child) && !ids.has(child)) {
        ids.set(child, nodes.length);
        nodes.push(child);
      }
    }
  }
  const nodeCount = nodes.length;

  // Data section: each distinct record once, at the offset its pointers name.
  const offsets = new Map<MmdbRecord, number>();
  const chunks: Buffer[] = [];
  let dataSize = 0;
  const recordValue = (child: Child): number => {
    if (child === undefined) return nodeCount; // "no data"
    if (isNode(child)) return ids.get(child) ?? 0;
    let offset = offsets.get(child.record);
    if (offset === undefined) {
      offset = dataSize;
      const encoded = encodeValue(child.record);
      chunks.push(encoded);
      dataSize += encoded.length;
      offsets.set(child.record, offset);
    }
    // Pointers into the data section count from the start of the separator.
    return nodeCount + 16 + offset;
  };

  const tree = Buffer.alloc(nodeCount * 6);
  nodes.forEach((node, i) => {
    const [left, right] = node.children.map(recordValue) as [number, number];
    if (left > MAX_RECORD || right > MAX_RECORD) throw new Error('database too large for 24-bit records');
    tree.writeUIntBE(left, i * 6, 3);
    tree.writeUIntBE(right, i * 6 + 3, 3);
  });

  const metadata = encodeValue({
    node_count: u32(nodeCount),
    record_size: u16(RECORD_SIZE),
    ip_version: u16(ipVersion),
    database_type: options.databaseType,
    languages: options.languages ?? ['en'],
    binary_format_major_version: u16(2),
    binary_format_minor_version: u16(0),
    build_epoch: u64(options.buildEpoch ?? Math.floor(Date.now() / 1000)),
    description: options.description ?? { en: `${options.databaseType} test database` },
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...chunks, METADATA_MARKER, metadata]);
}

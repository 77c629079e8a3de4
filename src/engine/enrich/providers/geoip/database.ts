/**
 * Opening a MaxMind DB (.mmdb) file once, at start-up, with errors that name the file: a wrong path
 * in the configuration should stop the engine with a message people can act on, not fail every lookup.
 */
import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { Reader, type Response } from 'maxmind';

/** The metadata marker of the MaxMind DB format: `\xAB\xCD\xEF` + `MaxMind.com`. */
const METADATA_MARKER = Buffer.from('ABCDEF4D61784D696E642E636F6D', 'hex');
/** The format allows the metadata in the last 128 KiB of the file only. */
const METADATA_MAX_SIZE = 128 * 1024;
/** Between the search tree and the data section. */
const DATA_SECTION_SEPARATOR_SIZE = 16;

export interface GeoIpDatabase {
  path: string;
  /** `GeoLite2-City`, `GeoLite2-ASN`, ... as the file says. */
  databaseType: string;
  ipVersion: 4 | 6;
  /** The record for `address` and the network it belongs to (`81.2.69.0/24`); undefined when not in the file. */
  find(address: string): { record: Record<string, unknown>; network: string } | undefined;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `address` with all bits after `prefix` cleared, as CIDR. */
function networkOf(address: string, prefix: number): string {
  const bytes = ipaddr.parse(address).toByteArray();
  for (let bit = prefix; bit < bytes.length * 8; bit++) {
    const i = Math.floor(bit / 8);
    bytes[i] = (bytes[i] ?? 0) & ~(0x80 >> bit % 8);
  }
  return `${ipaddr.fromByteArray(bytes).toString()}/${prefix}`;
}

/** Reads and checks `path`; throws an Error naming it when it cannot be read or is no MaxMind DB. */
export function openGeoIpDatabase(path: string): GeoIpDatabase {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    throw new Error(`GeoIP database ${path} cannot be read: ${message(error)}`);
  }
  const marker = buffer.lastIndexOf(METADATA_MARKER);
  if (marker < 0 || buffer.length - marker > METADATA_MAX_SIZE) {
    throw new Error(`GeoIP database ${path} is not a MaxMind DB (.mmdb) file: no metadata marker`);
  }
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(buffer);
  } catch (error) {
    throw new Error(`GeoIP database ${path} is not a valid MaxMind DB: ${message(error)}`);
  }
  const meta = reader.metadata;
  const problem =
    meta.binaryFormatMajorVersion !== 2
      ? `unsupported binary format version ${String(meta.binaryFormatMajorVersion)}`
      : meta.ipVersion !== 4 && meta.ipVersion !== 6
        ? `unsupported ip_version ${String(meta.ipVersion)}`
        : !Number.isInteger(meta.nodeCount) || meta.nodeCount <= 0
          ? 'no search tree (node_count)'
          : meta.searchTreeSize + DATA_SECTION_SEPARATOR_SIZE > marker
            ? 'the search tree runs past the end of the file (truncated?)'
            : undefined;
  if (problem) throw new Error(`GeoIP database ${path} is not a valid MaxMind DB: ${problem}`);
  const ipVersion = meta.ipVersion === 4 ? 4 : 6;
  return {
    path,
    databaseType: typeof meta.databaseType === 'string' ? meta.databaseType : 'unknown',
    ipVersion,
    find(address) {
      // An IPv4-only tree has no place for IPv6 addresses: walking it with 128 bits would read nonsense.
      if (ipVersion === 4 && address.includes(':')) return undefined;
      const [record, prefix] = reader.getWithPrefixLength(address);
      if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
      return { record: record as Record<string, unknown>, network: networkOf(address, prefix) };
    },
  };
}

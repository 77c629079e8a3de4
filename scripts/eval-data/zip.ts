/**
 * Just enough of the ZIP format to read the OTRF captures with node:zlib: the central directory gives
 * each entry's name, method and local header offset; stored (0) and deflated (8) entries are supported.
 */
import { inflateRawSync } from 'node:zlib';

export function readZip(data: Buffer): Map<string, Buffer> {
  const eocd = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const entries = data.readUInt16LE(eocd + 10);
  let p = data.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let n = 0; n < entries; n++) {
    if (data.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = data.readUInt16LE(p + 10);
    const compressedSize = data.readUInt32LE(p + 20);
    const nameLength = data.readUInt16LE(p + 28);
    const extraLength = data.readUInt16LE(p + 30);
    const commentLength = data.readUInt16LE(p + 32);
    const local = data.readUInt32LE(p + 42);
    const name = data.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const body = data.subarray(start, start + compressedSize);
    if (method === 0) out.set(name, Buffer.from(body));
    else if (method === 8) out.set(name, inflateRawSync(body));
    else throw new Error(`${name}: unsupported compression method ${method}`);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

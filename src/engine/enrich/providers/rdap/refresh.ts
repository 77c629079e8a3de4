/**
 * Fetches the current IANA bootstrap files. An operator task (the shipped files age as registries move),
 * never run on the lookup path: all files are fetched and checked before any is replaced.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseBootstrap } from './bootstrap.js';

export const IANA_RDAP_BOOTSTRAP_URL = 'https://data.iana.org/rdap/';
export const REFRESH_FILES = ['dns.json', 'ipv4.json', 'ipv6.json', 'asn.json'] as const;

export interface RefreshOptions {
  files?: readonly string[];
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A bootstrap file is a few hundred KiB; refuse anything far bigger. Default 8 MiB. */
  maxBytes?: number;
}

/** Downloads `{url}{file}` for each file into `dir`; returns the paths written. Throws on any failure. */
export async function refreshBootstrap(url: string = IANA_RDAP_BOOTSTRAP_URL, dir: string, options: RefreshOptions = {}): Promise<string[]> {
  const files = options.files ?? REFRESH_FILES;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const signals = [AbortSignal.timeout(options.timeoutMs ?? 30_000), ...(options.signal ? [options.signal] : [])];
  const signal = AbortSignal.any(signals);
  const base = url.endsWith('/') ? url : `${url}/`;
  const fetched: Array<[string, string]> = [];
  for (const file of files) {
    const response = await fetch(new URL(file, base), { signal });
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    const text = await response.text();
    if (Buffer.byteLength(text) > maxBytes) throw new Error(`${file}: larger than ${maxBytes} bytes`);
    parseBootstrap(JSON.parse(text));
    fetched.push([file, text]);
  }
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, text] of fetched) {
    const target = path.join(dir, file);
    // Write then rename, so a reader never sees half a file.
    await writeFile(`${target}.tmp`, text);
    await rename(`${target}.tmp`, target);
    written.push(target);
  }
  return written;
}

/**
 * RFC 9224 bootstrap: which RDAP server answers for a TLD or an address block. Files are the IANA ones
 * (dns.json, ipv4.json, ipv6.json) or an explicit override map, never both, so a test that passes
 * servers cannot reach a registry named in the shipped files.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ipaddr from 'ipaddr.js';

export const BOOTSTRAP_FILES = { dns: 'dns.json', ipv4: 'ipv4.json', ipv6: 'ipv6.json' } as const;
export type BootstrapKind = keyof typeof BOOTSTRAP_FILES;

/** Entry (TLD or CIDR) to RDAP base URL; used in place of the bootstrap files. */
export type RdapServerOverrides = Partial<Record<BootstrapKind, Record<string, string>>>;

interface IpService {
  range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  base: string;
}

export interface RdapBootstrap {
  /** Lower-case DNS label sequence (`cz`, `co.uk`) to base URL. Absent: no file for that registry. */
  dns?: Map<string, string>;
  ipv4?: IpService[];
  ipv6?: IpService[];
}

export class BootstrapError extends Error {}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The services of one bootstrap document, each entry with its preferred (HTTPS first) base URL. */
export function parseBootstrap(json: unknown): Array<[string[], string]> {
  const services = (json as { services?: unknown } | null)?.services;
  if (!Array.isArray(services)) throw new BootstrapError('bootstrap document has no services array');
  return services.map((service: unknown) => {
    const [entries, urls] = Array.isArray(service) ? service : [];
    if (!Array.isArray(entries) || !Array.isArray(urls) || !entries.every((e) => typeof e === 'string') || !urls.every((u) => typeof u === 'string')) {
      throw new BootstrapError('bootstrap service is not [entries[], urls[]]');
    }
    // RFC 9224 section 4: prefer HTTPS where a service lists both.
    const url = (urls as string[]).find((u) => u.startsWith('https://')) ?? (urls as string[])[0];
    if (url === undefined) throw new BootstrapError('bootstrap service has no URL');
    return [entries as string[], withSlash(url)];
  });
}

function ipServices(services: Array<[string[], string]>): IpService[] {
  return services.flatMap(([entries, base]) =>
    entries.flatMap((cidr) => {
      try {
        return [{ range: ipaddr.parseCIDR(cidr), base }];
      } catch {
        return [];
      }
    }),
  );
}

function fromServices(kind: BootstrapKind, services: Array<[string[], string]>, into: RdapBootstrap): void {
  if (kind === 'dns') into.dns = new Map(services.flatMap(([entries, base]) => entries.map((e) => [e.toLowerCase().replace(/\.$/, ''), base] as const)));
  else into[kind] = ipServices(services);
}

export function bootstrapFromOverrides(servers: RdapServerOverrides): RdapBootstrap {
  const result: RdapBootstrap = {};
  for (const kind of Object.keys(BOOTSTRAP_FILES) as BootstrapKind[]) {
    const map = servers[kind];
    if (map) fromServices(kind, Object.entries(map).map(([entry, url]) => [[entry], withSlash(url)]), result);
  }
  return result;
}

/** Reads whichever of the files exist; a missing file leaves its registry unsupported, a broken one throws. */
export async function loadBootstrap(dir: string): Promise<RdapBootstrap> {
  const result: RdapBootstrap = {};
  for (const [kind, file] of Object.entries(BOOTSTRAP_FILES) as Array<[BootstrapKind, string]>) {
    let text: string;
    try {
      text = await readFile(path.join(dir, file), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    fromServices(kind, parseBootstrap(JSON.parse(text)), result);
  }
  return result;
}

/** Longest matching label suffix (RFC 9224 section 4), so `co.uk` wins over `uk` where both are listed. */
export function domainBase(bootstrap: RdapBootstrap, name: string): string | undefined {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  for (let i = 0; i < labels.length; i++) {
    const base = bootstrap.dns?.get(labels.slice(i).join('.'));
    if (base !== undefined) return base;
  }
  return undefined;
}

/** Longest matching prefix among the blocks of the address's family. */
export function ipBase(bootstrap: RdapBootstrap, address: string): string | undefined {
  if (!ipaddr.isValid(address)) return undefined;
  const addr = ipaddr.process(address);
  const services = addr.kind() === 'ipv4' ? bootstrap.ipv4 : bootstrap.ipv6;
  let best: IpService | undefined;
  for (const service of services ?? []) {
    if (service.range[0].kind() !== addr.kind() || !addr.match(service.range)) continue;
    if (!best || service.range[1] > best.range[1]) best = service;
  }
  return best?.base;
}

/**
 * RDAP lookups for domains (registration dates, registrar, nameservers, age) and IP addresses (the
 * network block and its holder), through the registry the bootstrap names for the TLD or block.
 */
import { fileURLToPath } from 'node:url';
import { getDomain } from 'tldts';
import { IocType } from '../../../types.js';
import { EnrichmentStatus, Verdict, type Enricher, type EnrichmentResult, type EnrichmentTarget } from '../../types.js';
import { bootstrapFromOverrides, domainBase, ipBase, loadBootstrap, type RdapBootstrap, type RdapServerOverrides } from './bootstrap.js';
import { assessAge } from './domain-registration.js';
import { fetchRdap, type RdapFetchResult } from './http.js';
import { MalformedRdap, parseDomain, parseIpNetwork } from './parse.js';

/** The shipped IANA files, found from this module so it works whatever the working directory. */
export const DEFAULT_BOOTSTRAP_DIR = fileURLToPath(new URL('../../../../../data/rdap/', import.meta.url));

export interface RdapEnricherOptions {
  /** Directory with IANA dns.json / ipv4.json / ipv6.json. Default: `data/rdap/` of this project. */
  bootstrapDir?: string;
  /** Entry (TLD or CIDR) to base URL per registry kind; when set, the bootstrap files are not read. */
  servers?: RdapServerOverrides;
  /** Deadline per lookup, ms. Default 5000. */
  timeoutMs?: number;
  /** Response bodies above this are an ERROR. Default 1 MiB. */
  maxBytes?: number;
  /** A domain registered fewer days ago than this is SUSPICIOUS. Default 30. */
  youngDomainDays?: number;
  now?: () => number;
}

/** The name a registry knows: `www.evil.example.co.uk` is registered as `example.co.uk`. */
export function registeredDomain(target: EnrichmentTarget): string | undefined {
  if (target.type !== IocType.DOMAIN && target.type !== IocType.HOSTNAME) return undefined;
  return getDomain(target.value) ?? undefined;
}

function isIp(target: EnrichmentTarget): boolean {
  return target.type === IocType.IPV4 || target.type === IocType.IPV6;
}

export function createRdapEnricher(options: RdapEnricherOptions = {}): Enricher {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const youngDomainDays = options.youngDomainDays ?? 30;
  const now = options.now ?? Date.now;
  const servers = options.servers;
  let bootstrap: Promise<RdapBootstrap> | undefined;

  // Read once, on first use: nothing touches the disk at construction.
  function getBootstrap(): Promise<RdapBootstrap> {
    bootstrap ??= servers ? Promise.resolve(bootstrapFromOverrides(servers)) : loadBootstrap(options.bootstrapDir ?? DEFAULT_BOOTSTRAP_DIR);
    return bootstrap;
  }

  const base = { provider: 'rdap', verdict: Verdict.UNKNOWN, reasons: [] as string[], data: {} as Record<string, unknown> };

  function failure(fetched: Exclude<RdapFetchResult, { kind: 'ok' }>, isDomain: boolean): EnrichmentResult {
    const data = { url: fetched.url };
    switch (fetched.kind) {
      case 'not-found':
        return { ...base, status: EnrichmentStatus.NO_DATA, reasons: [isDomain ? 'not registered (RDAP 404)' : 'no RDAP record (404)'], data };
      case 'rate-limited':
        return fetched.retryAt === undefined
          ? { ...base, status: EnrichmentStatus.RATE_LIMITED, data }
          : { ...base, status: EnrichmentStatus.RATE_LIMITED, data, retryAt: fetched.retryAt };
      case 'timeout':
        return { ...base, status: EnrichmentStatus.TIMEOUT, data, error: 'RDAP server did not answer in time' };
      case 'error':
        return { ...base, status: EnrichmentStatus.ERROR, data, error: fetched.error };
    }
  }

  async function lookup(target: EnrichmentTarget, signal: AbortSignal): Promise<EnrichmentResult> {
    if (signal.aborted) return { ...base, status: EnrichmentStatus.TIMEOUT, error: 'aborted before the lookup' };
    let registry: RdapBootstrap;
    try {
      registry = await getBootstrap();
    } catch (error) {
      bootstrap = undefined;
      return { ...base, status: EnrichmentStatus.ERROR, error: `RDAP bootstrap unreadable: ${error instanceof Error ? error.message : String(error)}` };
    }
    const domain = registeredDomain(target);
    const serverBase = domain !== undefined ? domainBase(registry, domain) : isIp(target) ? ipBase(registry, target.value) : undefined;
    if (serverBase === undefined) {
      return { ...base, status: EnrichmentStatus.SKIPPED, error: `no RDAP server for ${domain ?? target.value}` };
    }
    const url = domain !== undefined ? `${serverBase}domain/${encodeURIComponent(domain)}` : `${serverBase}ip/${encodeURIComponent(target.value)}`;
    const fetched = await fetchRdap(url, signal, { timeoutMs, maxBytes, now });
    if (fetched.kind !== 'ok') return failure(fetched, domain !== undefined);
    try {
      if (domain !== undefined) {
        const registration = parseDomain(fetched.body, domain);
        const age = assessAge(registration, now(), youngDomainDays);
        const data = age.ageDays === undefined ? { ...registration, url } : { ...registration, ageDays: age.ageDays, url };
        return { ...base, status: EnrichmentStatus.OK, verdict: age.verdict, reasons: age.reasons, data };
      }
      return { ...base, status: EnrichmentStatus.OK, data: { ...parseIpNetwork(fetched.body), url } };
    } catch (error) {
      if (error instanceof MalformedRdap) return { ...base, status: EnrichmentStatus.ERROR, data: { url }, error: error.message };
      throw error;
    }
  }

  return {
    name: 'rdap',
    external: true,
    supports: (target) => isIp(target) || registeredDomain(target) !== undefined,
    lookup,
  };
}

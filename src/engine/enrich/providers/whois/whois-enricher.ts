/**
 * Domain registration over WHOIS (port 43), for TLDs whose registry has no RDAP server in the bootstrap
 * or when RDAP fails. Asks only the configured registry server; registrar referrals are not followed.
 */
import { EnrichmentStatus, Verdict, type Enricher, type EnrichmentResult, type EnrichmentTarget } from '../../types.js';
import { assessAge } from '../rdap/domain-registration.js';
import { registeredDomain } from '../rdap/rdap-enricher.js';
import { queryWhois } from './client.js';
import { parseWhois } from './parse.js';
import { DEFAULT_WHOIS_SERVERS, parseServer, serverFor } from './servers.js';

export interface WhoisEnricherOptions {
  /** TLD (or label suffix) to `host[:port]`; replaces the default map entirely. Default DEFAULT_WHOIS_SERVERS. */
  servers?: Readonly<Record<string, string>>;
  /** Deadline for connect, query and reply, ms. Default 5000. */
  timeoutMs?: number;
  /** Bytes read before the connection is dropped and the head parsed. Default 64 KiB. */
  maxBytes?: number;
  /** A domain registered fewer days ago than this is SUSPICIOUS. Default 30. */
  youngDomainDays?: number;
  now?: () => number;
}

export function createWhoisEnricher(options: WhoisEnricherOptions = {}): Enricher {
  const servers = options.servers ?? DEFAULT_WHOIS_SERVERS;
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const youngDomainDays = options.youngDomainDays ?? 30;
  const now = options.now ?? Date.now;
  const base = { provider: 'whois', verdict: Verdict.UNKNOWN, reasons: [] as string[], data: {} as Record<string, unknown> };

  async function lookup(target: EnrichmentTarget, signal: AbortSignal): Promise<EnrichmentResult> {
    const domain = registeredDomain(target);
    if (domain === undefined) return { ...base, status: EnrichmentStatus.SKIPPED, error: 'not a registrable domain' };
    const spec = serverFor(servers, domain);
    const server = spec === undefined ? undefined : parseServer(spec);
    if (spec === undefined || server === undefined) return { ...base, status: EnrichmentStatus.SKIPPED, error: `no WHOIS server for ${domain}` };
    const reply = await queryWhois(server, domain, { timeoutMs, maxBytes, signal });
    const data = { domain, server: spec };
    if (reply.kind === 'timeout') return { ...base, data, status: EnrichmentStatus.TIMEOUT, error: 'WHOIS server did not answer in time' };
    if (reply.kind === 'error') return { ...base, data, status: EnrichmentStatus.ERROR, error: reply.error };
    if (reply.text.trim() === '') return { ...base, data, status: EnrichmentStatus.ERROR, error: 'empty WHOIS reply' };
    const parsed = parseWhois(reply.text, domain);
    switch (parsed.kind) {
      case 'not-found':
        return { ...base, data, status: EnrichmentStatus.NO_DATA, reasons: ['not registered (WHOIS: no match)'] };
      case 'rate-limited':
        return { ...base, data, status: EnrichmentStatus.RATE_LIMITED, error: 'WHOIS server refused: query limit' };
      case 'unrecognised':
        return { ...base, data, status: EnrichmentStatus.ERROR, error: 'unrecognised WHOIS reply' };
      case 'record': {
        const age = assessAge(parsed.registration, now(), youngDomainDays);
        const record: Record<string, unknown> = { ...parsed.registration, server: spec };
        if (age.ageDays !== undefined) record.ageDays = age.ageDays;
        if (reply.truncated) record.truncated = true;
        return { ...base, status: EnrichmentStatus.OK, verdict: age.verdict, reasons: age.reasons, data: record };
      }
    }
  }

  return {
    name: 'whois',
    external: true,
    supports: (target) => registeredDomain(target) !== undefined,
    lookup,
  };
}

/**
 * Forward (A, AAAA, NS, MX, TXT) and reverse (PTR) lookups through the configured resolvers only. One
 * `Resolver` per lookup so that cancelling it on timeout or abort stops exactly that lookup's queries.
 */
import { Resolver } from 'node:dns/promises';
import { IocType } from '../../../types.js';
import { EnrichmentStatus, Verdict, type Enricher, type EnrichmentResult, type EnrichmentTarget } from '../../types.js';
import { assessAnswers } from './answer-ranges.js';
import { failureOf, summarize, type QueryFailure } from './outcome.js';

export interface DnsEnricherOptions {
  /** Resolvers as `host` or `host:port` (`[v6]:port`); unset or empty: the system's resolvers. */
  servers?: string[];
  /** Deadline for the whole lookup (all record types), ms. Default 3000. */
  timeoutMs?: number;
  /** Records kept per type, so a name with thousands of TXT records stays a small result. Default 50. */
  maxRecordsPerType?: number;
}

export type DnsRecordType = 'A' | 'AAAA' | 'NS' | 'MX' | 'TXT' | 'PTR';

export interface MxRecord {
  exchange: string;
  priority: number;
}

export interface DnsRecords {
  A?: string[];
  AAAA?: string[];
  NS?: string[];
  MX?: MxRecord[];
  TXT?: string[];
  PTR?: string[];
}

const MAX_TXT_CHARS = 1024;

type Query = (resolver: Resolver, name: string) => Promise<unknown[]>;
type Outcome = { type: DnsRecordType; records: unknown[] } | { type: DnsRecordType; failure: QueryFailure };

const FORWARD: ReadonlyArray<readonly [DnsRecordType, Query]> = [
  ['A', (r, n) => r.resolve4(n)],
  ['AAAA', (r, n) => r.resolve6(n)],
  ['NS', (r, n) => r.resolveNs(n)],
  ['MX', async (r, n) => (await r.resolveMx(n)).map(({ exchange, priority }) => ({ exchange, priority }))],
  // TXT strings arrive in 255-byte chunks; a record is their concatenation (RFC 7208 3.3).
  ['TXT', async (r, n) => (await r.resolveTxt(n)).map((chunks) => chunks.join('').slice(0, MAX_TXT_CHARS))],
];
const REVERSE: ReadonlyArray<readonly [DnsRecordType, Query]> = [['PTR', (r, ip) => r.reverse(ip)]];

function isIp(target: EnrichmentTarget): boolean {
  return target.type === IocType.IPV4 || target.type === IocType.IPV6;
}

function verdictOf(records: DnsRecords): { verdict: Verdict; reasons: string[] } {
  const addresses = [...(records.A ?? []), ...(records.AAAA ?? [])];
  const assessment = assessAnswers(addresses);
  const shown = addresses.slice(0, 5).join(', ');
  // Loopback/unspecified answers from public DNS are what sinkholes and rebinding attacks look like.
  if (assessment?.sinkhole) return { verdict: Verdict.SUSPICIOUS, reasons: [`resolves only to ${shown} (loopback: sinkhole or DNS rebinding)`] };
  // Private answers are routine for split-horizon corporate names: worth saying, not worth a verdict.
  if (assessment?.local) return { verdict: Verdict.UNKNOWN, reasons: [`resolves only to private addresses (${shown})`] };
  return { verdict: Verdict.UNKNOWN, reasons: [] };
}

export function createDnsEnricher(options: DnsEnricherOptions = {}): Enricher {
  const timeoutMs = options.timeoutMs ?? 3000;
  const maxRecords = options.maxRecordsPerType ?? 50;
  const servers = options.servers ?? [];

  function newResolver(): Resolver {
    // Two tries inside the deadline: one lost UDP datagram should not cost the whole answer.
    const resolver = new Resolver({ timeout: Math.max(1, Math.ceil(timeoutMs / 2)), tries: 2 });
    if (servers.length > 0) resolver.setServers(servers);
    return resolver;
  }

  async function lookup(target: EnrichmentTarget, signal: AbortSignal): Promise<EnrichmentResult> {
    const base = { provider: 'dns', verdict: Verdict.UNKNOWN, reasons: [] as string[] };
    if (signal.aborted) return { ...base, status: EnrichmentStatus.TIMEOUT, data: {}, error: 'aborted before the lookup' };
    const resolver = newResolver();
    const cancel = (): void => resolver.cancel();
    const timer = setTimeout(cancel, timeoutMs);
    signal.addEventListener('abort', cancel, { once: true });
    const name = target.value;
    const queries = isIp(target) ? REVERSE : FORWARD;
    try {
      const outcomes = await Promise.all(
        queries.map(async ([type, query]): Promise<Outcome> => {
          try {
            return { type, records: (await query(resolver, name)).slice(0, maxRecords) };
          } catch (error) {
            return { type, failure: failureOf(error) };
          }
        }),
      );
      const records: Record<string, unknown[]> = {};
      const failed: Partial<Record<DnsRecordType, QueryFailure>> = {};
      let count = 0;
      for (const o of outcomes) {
        if ('records' in o) {
          records[o.type] = o.records;
          count += o.records.length;
        } else if (o.failure !== 'NODATA') {
          failed[o.type] = o.failure;
        }
      }
      const summary = summarize(count, outcomes.flatMap((o) => ('failure' in o ? [o.failure] : [])));
      const data: Record<string, unknown> = { name, records };
      if (Object.keys(failed).length > 0) data.failed = failed;
      // NO_DATA is an answer, not a failure: its detail (NXDOMAIN) is a reason people read.
      if (summary.status === EnrichmentStatus.NO_DATA) return { ...base, status: summary.status, reasons: [summary.detail ?? 'no records'], data };
      if (summary.status !== EnrichmentStatus.OK) return { ...base, status: summary.status, data, error: summary.detail };
      return { ...base, ...verdictOf(records as DnsRecords), status: EnrichmentStatus.OK, data };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', cancel);
    }
  }

  return {
    name: 'dns',
    external: true,
    supports: (target) => isIp(target) || ((target.type === IocType.DOMAIN || target.type === IocType.HOSTNAME) && target.value.includes('.')),
    lookup,
  };
}

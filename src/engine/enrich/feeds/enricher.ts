/**
 * The `feeds` enricher: answers from the local indicator store only (no network), so it is cheap,
 * never rate-limited, and safe for private addresses and TLP:RED values.
 */
import { normalizeDomain, parseIp } from '../../extract/index.js';
import { IocType } from '../../types.js';
import { EnrichmentStatus, Verdict, type Enricher, type EnrichmentResult, type EnrichmentTarget } from '../types.js';
import type { FeedStore, IndicatorHit } from './store.js';
import { FEEDS_PROVIDER, verdictFor, type HitSet } from './verdict.js';

const SUPPORTED: ReadonlySet<IocType> = new Set([
  IocType.IPV4, IocType.IPV6, IocType.DOMAIN, IocType.HOSTNAME, IocType.URL, IocType.EMAIL,
  IocType.MD5, IocType.SHA1, IocType.SHA256, IocType.SHA512,
]);

function hostHits(store: FeedStore, url: string): HitSet['host'] {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return undefined;
  }
  const ip = parseIp(hostname);
  if (ip) return { name: ip.value, hits: store.matchIp(ip.type, ip.value) };
  const domain = normalizeDomain(hostname);
  return domain === undefined ? undefined : { name: domain, hits: store.matchName(IocType.DOMAIN, domain) };
}

function ownHits(store: FeedStore, target: EnrichmentTarget): IndicatorHit[] {
  switch (target.type) {
    case IocType.IPV4:
    case IocType.IPV6:
      return store.matchIp(target.type, target.value);
    case IocType.DOMAIN:
    case IocType.HOSTNAME:
      return store.matchName(target.type, target.value);
    default:
      return store.matchValue(target.type, target.value);
  }
}

export function createFeedEnricher(store: FeedStore): Enricher {
  return {
    name: FEEDS_PROVIDER,
    external: false,
    supports: (target) => SUPPORTED.has(target.type),
    lookup(target, signal): Promise<EnrichmentResult> {
      const base = { provider: FEEDS_PROVIDER, verdict: Verdict.UNKNOWN, reasons: [], data: {} };
      if (signal.aborted) return Promise.resolve({ ...base, status: EnrichmentStatus.TIMEOUT, error: 'aborted before the lookup' });
      if (!SUPPORTED.has(target.type)) return Promise.resolve({ ...base, status: EnrichmentStatus.SKIPPED, error: `type ${target.type} is not in feeds` });
      try {
        const hits: HitSet = { own: ownHits(store, target) };
        if (target.type === IocType.URL) hits.host = hostHits(store, target.value);
        return Promise.resolve(verdictFor(hits));
      } catch (err) {
        return Promise.resolve({ ...base, status: EnrichmentStatus.ERROR, error: err instanceof Error ? err.message : String(err) });
      }
    },
  };
}

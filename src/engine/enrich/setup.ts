/**
 * Builds the enrichment layer from configuration: local providers (feeds and warning lists) always,
 * networked ones (DNS, RDAP/WHOIS, reputation services with keys) unless the network is off, the runner
 * with its limits, and the background service. Feed loading is started explicitly (never on import).
 */
import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { AlertStore } from '../../store/alert-store.js';
import type { EmitStageEvent } from '../pipeline/stages.js';
import {
  createFeedEnricher,
  createFeedStore,
  createFetchText,
  FeedFormat,
  FeedKind,
  loadFeed,
  loadOrganisationWarningList,
  nodeSetTimer,
  scheduleFeeds,
  shippedWarningListConfigs,
  type FeedConfig,
  type FeedLoadOutcome,
} from './feeds/index.js';
import { createDnsEnricher } from './providers/dns/index.js';
import { createGeoIpEnricher } from './providers/geoip/index.js';
import { createRdapEnricher } from './providers/rdap/index.js';
import { createReputationProviders, REPUTATION_RUNNER_SETTINGS } from './providers/reputation/index.js';
import { createRegistrationEnricher, createWhoisEnricher } from './providers/whois/index.js';
import { createEnrichmentRunner, type ProviderSettingsInput } from './runner/index.js';
import { createEnrichmentService } from './service.js';
import type { Enricher } from './types.js';

const feedFileSchema = z.array(
  z
    .object({
      name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i),
      kind: z.enum([FeedKind.FEED, FeedKind.WARNING_LIST]).default(FeedKind.FEED),
      format: z.enum(Object.values(FeedFormat) as [FeedFormat, ...FeedFormat[]]),
      location: z.string().min(1),
      refreshMs: z.number().int().min(60_000).optional(),
    })
    .strict(),
);

/** The feeds a VIGIL_FEEDS_FILE lists; throws with the file and the problem when it is unreadable or wrong. */
export function readFeedsFile(path: string): FeedConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`VIGIL_FEEDS_FILE ${path}: ${(error as Error).message}`);
  }
  const result = feedFileSchema.safeParse(parsed);
  if (!result.success) throw new Error(`VIGIL_FEEDS_FILE ${path}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return result.data;
}

export interface EnrichmentDeps {
  config: Config;
  sqlite: Database.Database;
  alerts: AlertStore;
  emit: EmitStageEvent;
  clock: Clock;
  logger: Logger;
  /** Replaces the networked providers (tests point them at loopback servers). */
  networkProviders?: Enricher[];
}

export function createEnrichment(deps: EnrichmentDeps) {
  const { config, logger } = deps;
  const settings = config.enrichment;
  const feedStore = createFeedStore(deps.sqlite);
  const feedConfigs: FeedConfig[] = [...shippedWarningListConfigs(), ...(settings.feedsFile ? readFeedsFile(settings.feedsFile) : [])];

  const network: Enricher[] = deps.networkProviders ?? (settings.network ? defaultNetworkProviders(config) : []);
  // GeoIP reads a local file: it works with the network off.
  const geoip = settings.geoipDb ? [createGeoIpEnricher({ paths: settings.geoipDb.split(',').map((p) => p.trim()).filter(Boolean) })] : [];
  const providers: Enricher[] = [createFeedEnricher(feedStore), ...geoip, ...network];
  // DNS and registration data are needed to enrich at all; other services get AMBER only when allowed.
  const providerSettings: Record<string, ProviderSettingsInput> = { ...REPUTATION_RUNNER_SETTINGS, dns: { allowAmber: true }, registration: { allowAmber: true } };
  const runner = createEnrichmentRunner({ sqlite: deps.sqlite, providers, settings: { defaults: { allowAmber: settings.shareAmber }, providers: providerSettings }, clock: deps.clock });
  const service = createEnrichmentService({ runner, providers, alerts: deps.alerts, emit: deps.emit, clock: deps.clock, logger, retryEveryMs: 60_000 });
  const fetchText = createFetchText();
  let schedule: { stop(): void } | undefined;

  async function reloadFeeds(): Promise<FeedLoadOutcome[]> {
    const outcomes = [];
    for (const feed of feedConfigs) outcomes.push(await loadFeed(feed, feedStore, { fetchText, now: deps.clock }));
    outcomes.push(loadOrganisationWarningList(feedStore, organisation(settings.orgNetworks), deps.clock()));
    for (const o of outcomes) if (!o.ok) logger.warn({ feed: o.feed, error: o.error }, 'feed load failed; its previous indicators are kept');
    return outcomes;
  }

  return {
    providers,
    runner,
    service,
    feedStore,
    feedConfigs,
    reloadFeeds,
    /** Loads every feed now and on its interval. */
    startFeeds(): void {
      schedule ??= scheduleFeeds(feedConfigs, (feed) => loadFeed(feed, feedStore, { fetchText, now: deps.clock }), nodeSetTimer);
      loadOrganisationWarningList(feedStore, organisation(settings.orgNetworks), deps.clock());
    },
    stop(): void {
      schedule?.stop();
    },
  };
}

export type Enrichment = ReturnType<typeof createEnrichment>;

function organisation(entries: readonly string[]) {
  // A CIDR or address has a digit-or-colon shape; anything else is a domain.
  const isAddress = (s: string) => /^[0-9a-f:.]+(?:\/\d{1,3})?$/i.test(s) && /[.:]/.test(s) && /\d/.test(s);
  return { ranges: entries.filter(isAddress), domains: entries.filter((e) => !isAddress(e)) };
}

function defaultNetworkProviders(config: Config): Enricher[] {
  const e = config.enrichment;
  return [
    createDnsEnricher({ ...(e.dnsServers ? { servers: e.dnsServers } : {}) }),
    createRegistrationEnricher({ rdap: createRdapEnricher(), whois: createWhoisEnricher() }),
    ...createReputationProviders({
      abuseipdb: { apiKey: e.apiKeys.abuseipdb },
      virustotal: { apiKey: e.apiKeys.virustotal },
      greynoise: { apiKey: e.apiKeys.greynoise },
      otx: { apiKey: e.apiKeys.otx },
    }),
  ];
}

/**
 * Warning lists: the shipped lists of known-good infrastructure (data/warninglists/) and the
 * organisation's own ranges and domains from configuration. Both are stored as WARNING_LIST feeds, so
 * one lookup answers feeds and warning lists together.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { collectConfiguredValues, type FeedLoadOutcome } from './loader.js';
import type { FeedStore } from './store.js';
import { FEED_LIMITS, FeedFormat, FeedKind, type FeedConfig } from './types.js';

/** Where the shipped lists live (computed, not read, on import). */
export const SHIPPED_WARNINGLIST_DIR = fileURLToPath(new URL('../../../../data/warninglists/', import.meta.url));

export const SHIPPED_WARNINGLISTS = ['public-dns-resolvers', 'cdn-edge-ranges', 'well-known-domains'] as const;

/** Feed configs for the shipped lists; load them with loadFeed like any other feed. */
export function shippedWarningListConfigs(dir: string = SHIPPED_WARNINGLIST_DIR): FeedConfig[] {
  return SHIPPED_WARNINGLISTS.map((name) => ({ name: `warninglist-${name}`, kind: FeedKind.WARNING_LIST, format: FeedFormat.WARNINGLIST, location: join(dir, `${name}.json`) }));
}

export interface OrganisationNetwork {
  /** Addresses and CIDR blocks the organisation owns (private space allowed). */
  ranges?: readonly string[];
  /** Domains and internal host names; subdomains are covered too. */
  domains?: readonly string[];
  /** Shown in reasons; default "organisation's own network". */
  reason?: string;
}

export const ORGANISATION_LIST = 'warninglist-organisation';

/** Replaces the organisation's warning list with what configuration says. */
export function loadOrganisationWarningList(store: FeedStore, org: OrganisationNetwork, at: number): FeedLoadOutcome {
  const reason = org.reason ?? "organisation's own network";
  const result = collectConfiguredValues([...(org.ranges ?? []), ...(org.domains ?? [])], { reason });
  const config: FeedConfig = { name: ORGANISATION_LIST, kind: FeedKind.WARNING_LIST, format: FeedFormat.PLAIN, location: 'configuration' };
  const stored = store.replaceIndicators(config, result, at);
  return { feed: ORGANISATION_LIST, ok: true, ...stored, problems: result.skipped.slice(0, FEED_LIMITS.problemsStored) };
}

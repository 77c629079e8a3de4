/** Threat-intel feeds and warning lists: parsers, store, loader, scheduler and the `feeds` enricher. */
export { createFeedEnricher } from './enricher.js';
export { checkLocation, createFetchText, type FetchText, type FetchTextOptions } from './fetch.js';
export { addressNumber, parseCidr, rangeToBlocks, type IpBlock } from './ip-range.js';
export { collectConfiguredValues, loadFeed, type FeedLoadOutcome, type LoadFeedDeps } from './loader.js';
export * from './parsers/index.js';
export { MIN_REFRESH_MS, nodeSetTimer, scheduleFeeds, type FeedSchedule, type SetTimer } from './scheduler.js';
export { createFeedStore, type FeedStatus, type FeedStore, type IndicatorHit, type MatchKind } from './store.js';
export * from './types.js';
export { feedReason, FEEDS_PROVIDER, verdictFor, warningReason, type HitSet } from './verdict.js';
export {
  loadOrganisationWarningList,
  ORGANISATION_LIST,
  SHIPPED_WARNINGLIST_DIR,
  SHIPPED_WARNINGLISTS,
  shippedWarningListConfigs,
  type OrganisationNetwork,
} from './warninglists.js';

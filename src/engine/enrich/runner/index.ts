export { createEnrichmentRunner, type EnrichmentRunner, type EnrichmentRunnerOptions, type EnrichOptions, type ProviderStatus } from './runner.js';
export type { RetryEntry } from './cache.js';
export { DEFAULT_PROVIDER_SETTINGS, resolveProviderSettings, type ProviderSettings, type ProviderSettingsInput, type RunnerSettings, type TtlSettings } from './settings.js';
export { externalRefusal } from './safety.js';

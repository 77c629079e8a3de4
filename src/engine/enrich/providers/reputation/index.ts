/**
 * The optional online reputation providers. Each is listed only when its API key is configured, and
 * comes with runner settings that fit its free tier's documented quota.
 */
import type { Enricher } from '../../types.js';
import type { ProviderSettingsInput } from '../../runner/settings.js';
import { createAbuseIpdbProvider, type AbuseIpdbConfig } from './abuseipdb.js';
import { createGreyNoiseProvider } from './greynoise.js';
import { createOtxProvider, type OtxConfig } from './otx.js';
import type { ReputationProviderConfig } from './config.js';
import { createVirusTotalProvider, type VirusTotalConfig } from './virustotal.js';

export { createAbuseIpdbProvider, type AbuseIpdbConfig } from './abuseipdb.js';
export { createGreyNoiseProvider } from './greynoise.js';
export { createOtxProvider, type OtxConfig } from './otx.js';
export { createVirusTotalProvider, virusTotalUrlId, type VirusTotalConfig } from './virustotal.js';
export { DEFAULT_MAX_RESPONSE_BYTES, type ReputationProviderConfig } from './config.js';
export { parseRetryAfter } from '../../http/retry-after.js';

export interface ReputationConfig {
  abuseipdb?: AbuseIpdbConfig;
  virustotal?: VirusTotalConfig;
  greynoise?: ReputationProviderConfig;
  otx?: OtxConfig;
}

/** The providers whose API key is set, in a stable order. */
export function createReputationProviders(config: ReputationConfig): Enricher[] {
  const providers: Enricher[] = [];
  if (config.abuseipdb?.apiKey) providers.push(createAbuseIpdbProvider(config.abuseipdb));
  if (config.virustotal?.apiKey) providers.push(createVirusTotalProvider(config.virustotal));
  if (config.greynoise?.apiKey) providers.push(createGreyNoiseProvider(config.greynoise));
  if (config.otx?.apiKey) providers.push(createOtxProvider(config.otx));
  return providers;
}

/**
 * Runner settings matching the free tiers (AbuseIPDB 1,000 checks/day, VirusTotal public API 4/min and
 * 500/day, GreyNoise community a small daily allowance, OTX generous). Merge them under the operator's own.
 */
export const REPUTATION_RUNNER_SETTINGS: Record<string, ProviderSettingsInput> = {
  abuseipdb: { ratePerMinute: 30, burst: 5, concurrency: 2 },
  virustotal: { ratePerMinute: 4, burst: 4, concurrency: 1, maxRateWaitMs: 0 },
  greynoise: { ratePerMinute: 10, burst: 5, concurrency: 2 },
  otx: { ratePerMinute: 60, burst: 10, concurrency: 4 },
};

/**
 * Per-provider runner settings with documented defaults. `defaults` applies to every provider and
 * `providers[name]` overrides it field by field, so a slow or stingy API can be tuned alone.
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** How long a stored result counts as fresh, by status. RATE_LIMITED lives until its `retryAt`. */
export interface TtlSettings {
  /** Default 24 h. */
  okMs: number;
  /** Default 6 h: "unknown" answers change sooner than positive ones. */
  noDataMs: number;
  /** Default 5 min: short enough to recover quickly, long enough not to hammer a failing API. */
  errorMs: number;
  /** Default 5 min. */
  timeoutMs: number;
  /** When a 429 carries no usable Retry-After. Default 1 min. */
  rateLimitedMs: number;
}

export interface ProviderSettings {
  /** Deadline of one lookup. Default 5 s. */
  timeoutMs: number;
  /** Lookups in flight at once. Default 4. */
  concurrency: number;
  /** Token-bucket refill rate. Default 60 per minute. */
  ratePerMinute: number;
  /** Token-bucket capacity (the burst allowed after a quiet spell). Default 10. */
  burst: number;
  /** Longest wait for a token before answering RATE_LIMITED. Default 2 s. */
  maxRateWaitMs: number;
  /** Consecutive ERROR/TIMEOUT results that open the circuit. Default 5. */
  breakerThreshold: number;
  /** How long an open circuit refuses calls before one half-open trial. Default 60 s. */
  breakerCoolDownMs: number;
  /**
   * Whether TLP:AMBER targets may be sent to this provider when it is external. Default false:
   * AMBER is also what an IOC of unknown origin gets, so sharing it is an explicit operator choice.
   */
  allowAmber: boolean;
  ttl: TtlSettings;
}

export type ProviderSettingsInput = Partial<Omit<ProviderSettings, 'ttl'>> & { ttl?: Partial<TtlSettings> };

export interface RunnerSettings {
  defaults?: ProviderSettingsInput;
  providers?: Record<string, ProviderSettingsInput>;
}

export const DEFAULT_PROVIDER_SETTINGS: ProviderSettings = {
  timeoutMs: 5 * SECOND,
  concurrency: 4,
  ratePerMinute: 60,
  burst: 10,
  maxRateWaitMs: 2 * SECOND,
  breakerThreshold: 5,
  breakerCoolDownMs: MINUTE,
  allowAmber: false,
  ttl: { okMs: 24 * HOUR, noDataMs: 6 * HOUR, errorMs: 5 * MINUTE, timeoutMs: 5 * MINUTE, rateLimitedMs: MINUTE },
};

function merge(base: ProviderSettings, over: ProviderSettingsInput | undefined): ProviderSettings {
  if (!over) return base;
  const { ttl, ...rest } = over;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<ProviderSettings>;
  const definedTtl = Object.fromEntries(Object.entries(ttl ?? {}).filter(([, v]) => v !== undefined)) as Partial<TtlSettings>;
  return { ...base, ...defined, ttl: { ...base.ttl, ...definedTtl } };
}

export function resolveProviderSettings(settings: RunnerSettings | undefined, provider: string): ProviderSettings {
  const resolved = merge(merge(DEFAULT_PROVIDER_SETTINGS, settings?.defaults), settings?.providers?.[provider]);
  for (const key of ['timeoutMs', 'concurrency', 'ratePerMinute', 'burst'] as const) {
    if (!(resolved[key] > 0)) throw new Error(`enrichment settings for ${provider}: ${key} must be positive`);
  }
  return resolved;
}

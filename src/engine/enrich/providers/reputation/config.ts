/** What every reputation provider is configured with. Keys come from `config.ts`, never from here. */
export interface ReputationProviderConfig {
  /** Without a key the provider supports nothing, so the runner never lists or calls it. */
  apiKey?: string;
  /** The API's origin; tests point it at 127.0.0.1. */
  baseUrl?: string;
  /** Larger answers are refused (a reputation answer is a few kB). Default 1 MiB. */
  maxResponseBytes?: number;
  /** For `Retry-After` delays. Default Date.now. */
  clock?: () => number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface ResolvedConfig {
  apiKey: string | undefined;
  baseUrl: string;
  maxResponseBytes: number;
  clock: () => number;
}

export function resolveConfig(config: ReputationProviderConfig, defaultBaseUrl: string): ResolvedConfig {
  const apiKey = config.apiKey?.trim();
  return {
    apiKey: apiKey ? apiKey : undefined,
    baseUrl: config.baseUrl ?? defaultBaseUrl,
    maxResponseBytes: config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    clock: config.clock ?? Date.now,
  };
}

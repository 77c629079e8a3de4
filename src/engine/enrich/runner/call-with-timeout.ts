/**
 * Runs one lookup under a deadline. The signal asks the provider to stop; the race makes the deadline
 * hold even for a provider that ignores it. Unexpected throws become ERROR so one bad provider cannot
 * fail the whole enrichment.
 */
import type { Enricher, EnrichmentResult, EnrichmentTarget } from '../types.js';

export async function callWithTimeout(provider: Enricher, target: EnrichmentTarget, timeoutMs: number): Promise<EnrichmentResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<EnrichmentResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('timeout'));
      resolve({ provider: provider.name, status: 'TIMEOUT', verdict: 'UNKNOWN', reasons: [], data: {}, error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
  });
  const call = Promise.resolve()
    .then(() => provider.lookup(target, controller.signal))
    .catch(
      (err: unknown): EnrichmentResult => ({
        provider: provider.name,
        status: 'ERROR',
        verdict: 'UNKNOWN',
        reasons: [],
        data: {},
        error: err instanceof Error ? err.message : String(err),
      }),
    );
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

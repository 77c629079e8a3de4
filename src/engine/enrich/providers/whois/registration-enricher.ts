/**
 * Domain registration from RDAP, falling back to WHOIS where RDAP has no server for the TLD or failed.
 * An RDAP 404 is the registry's answer and is not second-guessed over port 43.
 */
import { EnrichmentStatus, Verdict, type Enricher, type EnrichmentResult } from '../../types.js';

const FALL_BACK_ON = new Set<EnrichmentResult['status']>([EnrichmentStatus.SKIPPED, EnrichmentStatus.ERROR, EnrichmentStatus.TIMEOUT, EnrichmentStatus.RATE_LIMITED]);

export interface RegistrationEnricherOptions {
  rdap: Enricher;
  whois: Enricher;
}

export function createRegistrationEnricher({ rdap, whois }: RegistrationEnricherOptions): Enricher {
  return {
    name: 'registration',
    external: true,
    supports: (target) => rdap.supports(target) || whois.supports(target),
    async lookup(target, signal) {
      const first = rdap.supports(target) ? await rdap.lookup(target, signal) : undefined;
      if (first && !FALL_BACK_ON.has(first.status)) return { ...first, provider: 'registration' };
      if (!whois.supports(target) || signal.aborted) {
        return first ? { ...first, provider: 'registration' } : { provider: 'registration', status: EnrichmentStatus.SKIPPED, verdict: Verdict.UNKNOWN, reasons: [], data: {}, error: 'not a domain' };
      }
      const second = await whois.lookup(target, signal);
      // Where both failed, the RDAP failure is the one worth reporting unless RDAP was never asked.
      const rdapNote = first ? { rdap: { status: first.status, error: first.error } } : {};
      if (second.status === EnrichmentStatus.SKIPPED && first) return { ...first, provider: 'registration' };
      return { ...second, provider: 'registration', data: { ...second.data, ...rdapNote } };
    },
  };
}

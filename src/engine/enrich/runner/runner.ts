/**
 * Runs enrichment providers for one IOC: a fresh stored answer first, then, per provider, the safety
 * rules, the provider's quota back-off, its circuit breaker, its token bucket, its concurrency limit and
 * a deadline, and stores what came back with a TTL by status.
 */
import type Database from 'better-sqlite3';
import type { Enricher, EnrichmentResult, EnrichmentTarget } from '../types.js';
import { createEnrichmentCache, type RetryEntry } from './cache.js';
import { callWithTimeout } from './call-with-timeout.js';
import { createCircuitBreaker, type BreakerState, type CircuitBreaker } from './circuit-breaker.js';
import { externalRefusal } from './safety.js';
import { createSemaphore, type Semaphore } from './semaphore.js';
import { resolveProviderSettings, type ProviderSettings, type RunnerSettings } from './settings.js';
import { createTokenBucket, type TokenBucket } from './token-bucket.js';

export interface EnrichmentRunnerOptions {
  sqlite: Database.Database;
  providers: Enricher[];
  settings?: RunnerSettings;
  clock: () => number;
  /** Waits for a rate token; injectable so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

export interface EnrichOptions {
  /** Ignore fresh stored answers and ask again (limits, breaker and safety rules still apply). */
  force?: boolean;
  /** Only these providers (by name), e.g. to retry the entries `dueForRetry` listed. */
  providers?: string[];
}

export interface ProviderStatus {
  name: string;
  circuit: BreakerState;
  inFlight: number;
  /** Set while a provider's quota answer (429) says not to call it. */
  blockedUntil?: number;
}

export interface EnrichmentRunner {
  /** Everything `enrichments` holds for the IOC, whatever its age; never calls a provider. */
  cached(target: Pick<EnrichmentTarget, 'type' | 'value'>): EnrichmentResult[];
  enrich(target: EnrichmentTarget, options?: EnrichOptions): Promise<EnrichmentResult[]>;
  /** Stored RATE_LIMITED, ERROR, TIMEOUT and circuit-open entries whose retry time has come, oldest first. */
  dueForRetry(now: number, limit?: number): RetryEntry[];
  status(): ProviderStatus[];
}

interface Lane {
  provider: Enricher;
  settings: ProviderSettings;
  bucket: TokenBucket;
  semaphore: Semaphore;
  breaker: CircuitBreaker;
  blockedUntil: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function expiresAt(result: EnrichmentResult, settings: ProviderSettings, now: number): number {
  switch (result.status) {
    case 'OK':
      return now + settings.ttl.okMs;
    case 'NO_DATA':
      return now + settings.ttl.noDataMs;
    case 'TIMEOUT':
      return now + settings.ttl.timeoutMs;
    case 'RATE_LIMITED':
      return result.retryAt ?? now + settings.ttl.rateLimitedMs;
    default:
      return now + settings.ttl.errorMs;
  }
}

function notAsked(provider: string, status: 'SKIPPED' | 'RATE_LIMITED', error: string, retryAt?: number): EnrichmentResult {
  const result: EnrichmentResult = { provider, status, verdict: 'UNKNOWN', reasons: [], data: {}, error };
  if (retryAt !== undefined) result.retryAt = retryAt;
  return result;
}

export function createEnrichmentRunner(options: EnrichmentRunnerOptions): EnrichmentRunner {
  const { clock } = options;
  const sleep = options.sleep ?? defaultSleep;
  const cache = createEnrichmentCache(options.sqlite);
  const inFlight = new Map<string, Promise<EnrichmentResult>>();

  const lanes = new Map<string, Lane>();
  for (const provider of options.providers) {
    if (lanes.has(provider.name)) throw new Error(`two enrichment providers are named ${provider.name}`);
    const settings = resolveProviderSettings(options.settings, provider.name);
    lanes.set(provider.name, {
      provider,
      settings,
      bucket: createTokenBucket({ ratePerMinute: settings.ratePerMinute, burst: settings.burst, clock }),
      semaphore: createSemaphore(settings.concurrency),
      breaker: createCircuitBreaker({ threshold: settings.breakerThreshold, coolDownMs: settings.breakerCoolDownMs, clock }),
      blockedUntil: 0,
    });
  }

  /** Stores a result produced without calling the provider, so `dueForRetry` still finds the IOC. */
  function remember(target: EnrichmentTarget, result: EnrichmentResult, until: number): EnrichmentResult {
    cache.put(target.type, target.value, result, clock(), until);
    return result;
  }

  async function call(lane: Lane, target: EnrichmentTarget): Promise<EnrichmentResult> {
    const { provider, settings } = lane;
    const now = clock();
    if (lane.blockedUntil > now) {
      const result = notAsked(provider.name, 'RATE_LIMITED', 'provider quota exhausted; waiting for its retry time', lane.blockedUntil);
      return remember(target, result, lane.blockedUntil);
    }
    const permit = lane.breaker.tryAcquire();
    if (!permit.ok) return remember(target, notAsked(provider.name, 'SKIPPED', permit.reason), permit.retryAt);
    const token = lane.bucket.take(settings.maxRateWaitMs);
    if (!token.ok) {
      lane.breaker.abandon(permit);
      const result = notAsked(provider.name, 'RATE_LIMITED', `local rate limit (${settings.ratePerMinute}/min) reached`, token.retryAt);
      return remember(target, result, token.retryAt);
    }
    if (token.waitMs > 0) await sleep(token.waitMs);

    const release = await lane.semaphore.acquire();
    let result: EnrichmentResult;
    try {
      result = await callWithTimeout(provider, target, settings.timeoutMs);
    } finally {
      // Released at the deadline even if the provider ignores its signal: a hung call must not
      // block the lane forever. Honest providers have stopped by then (the signal aborted their request).
      release();
    }

    const done = clock();
    result = { ...result, provider: provider.name };
    if (result.status === 'RATE_LIMITED') {
      result.retryAt ??= done + settings.ttl.rateLimitedMs;
      lane.blockedUntil = Math.max(lane.blockedUntil, result.retryAt);
    }
    lane.breaker.record(permit, result.status === 'ERROR' || result.status === 'TIMEOUT' ? 'failure' : 'success');
    // A provider's own SKIPPED (not applicable after all) is cheap to recompute and says nothing to keep.
    if (result.status !== 'SKIPPED') cache.put(target.type, target.value, result, done, expiresAt(result, settings, done));
    return result;
  }

  async function enrichOne(lane: Lane, target: EnrichmentTarget, force: boolean): Promise<EnrichmentResult> {
    const { provider } = lane;
    if (!force) {
      const hit = cache.get(provider.name, target.type, target.value);
      if (hit && hit.expiresAt > clock()) return hit.result;
    }
    if (provider.external) {
      const refusal = externalRefusal(target, lane.settings.allowAmber);
      if (refusal) return notAsked(provider.name, 'SKIPPED', refusal);
    }
    // Concurrent lookups of one IOC (a burst of alerts from one attacker) share a single call.
    const key = `${provider.name}\u0000${target.type}\u0000${target.value}`;
    const pending = inFlight.get(key);
    if (pending) return pending;
    const promise = call(lane, target).finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return promise;
  }

  function supports(provider: Enricher, target: EnrichmentTarget): boolean {
    try {
      return provider.supports(target);
    } catch {
      return false;
    }
  }

  return {
    cached(target) {
      return cache.forIoc(target.type, target.value).map((c) => c.result);
    },
    async enrich(target, enrichOptions = {}) {
      const only = enrichOptions.providers ? new Set(enrichOptions.providers) : undefined;
      const chosen = [...lanes.values()].filter((lane) => (!only || only.has(lane.provider.name)) && supports(lane.provider, target));
      return Promise.all(chosen.map((lane) => enrichOne(lane, target, enrichOptions.force === true)));
    },
    dueForRetry(now, limit = 100) {
      return cache.due(now, limit);
    },
    status() {
      const now = clock();
      return [...lanes.values()].map((lane) => {
        const s: ProviderStatus = { name: lane.provider.name, circuit: lane.breaker.state(), inFlight: lane.semaphore.inFlight };
        if (lane.blockedUntil > now) s.blockedUntil = lane.blockedUntil;
        return s;
      });
    },
  };
}

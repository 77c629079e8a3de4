/**
 * A token bucket that reserves: a caller that must wait takes its token now (the balance goes
 * negative) and sleeps until it is due. Waiters are therefore served in order, and the answer does not
 * depend on the clock moving while they sleep (tests run on a fixed clock).
 */
export type TakeResult = { ok: true; waitMs: number } | { ok: false; retryAt: number };

export interface TokenBucket {
  take(maxWaitMs: number): TakeResult;
}

export function createTokenBucket(options: { ratePerMinute: number; burst: number; clock: () => number }): TokenBucket {
  const perMs = options.ratePerMinute / 60_000;
  let tokens = options.burst;
  let updatedAt = options.clock();

  return {
    take(maxWaitMs) {
      const now = options.clock();
      tokens = Math.min(options.burst, tokens + Math.max(0, now - updatedAt) * perMs);
      updatedAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return { ok: true, waitMs: 0 };
      }
      const waitMs = Math.ceil((1 - tokens) / perMs);
      if (waitMs > maxWaitMs) return { ok: false, retryAt: now + waitMs };
      tokens -= 1;
      return { ok: true, waitMs };
    },
  };
}

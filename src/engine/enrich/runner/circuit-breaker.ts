/**
 * Closed -> open after `threshold` consecutive failures -> half-open after `coolDownMs`, where one trial
 * call decides: success closes, failure opens again for another cool-down.
 */
export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export type BreakerPermit = { ok: true; trial: boolean } | { ok: false; reason: string; retryAt: number };

export interface CircuitBreaker {
  /** Asks to make a call; in half-open state only one trial is let through. */
  tryAcquire(): BreakerPermit;
  /** The permitted call was not made after all (e.g. no rate token): frees the trial slot. */
  abandon(permit: BreakerPermit): void;
  record(permit: BreakerPermit, outcome: 'success' | 'failure'): void;
  state(): BreakerState;
}

export function createCircuitBreaker(options: { threshold: number; coolDownMs: number; clock: () => number }): CircuitBreaker {
  let failures = 0;
  let openUntil = 0;
  let trialInFlight = false;
  let opened = false;

  const state = (): BreakerState => {
    if (!opened) return 'CLOSED';
    return options.clock() < openUntil ? 'OPEN' : 'HALF_OPEN';
  };

  return {
    state,
    tryAcquire() {
      const s = state();
      if (s === 'CLOSED') return { ok: true, trial: false };
      if (s === 'OPEN') return { ok: false, reason: 'circuit open', retryAt: openUntil };
      if (trialInFlight) return { ok: false, reason: 'circuit open (half-open trial in progress)', retryAt: options.clock() + 1000 };
      trialInFlight = true;
      return { ok: true, trial: true };
    },
    abandon(permit) {
      if (permit.ok && permit.trial) trialInFlight = false;
    },
    record(permit, outcome) {
      const wasTrial = permit.ok && permit.trial;
      if (wasTrial) trialInFlight = false;
      if (outcome === 'success') {
        failures = 0;
        opened = false;
        return;
      }
      failures += 1;
      // A failure that lands while open (a call let through before it opened) must not extend the cool-down.
      if (wasTrial || (!opened && failures >= options.threshold)) {
        opened = true;
        openUntil = options.clock() + options.coolDownMs;
      }
    },
  };
}

import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../../db/client.js';
import { createEnrichmentRunner } from '../../../../src/engine/enrich/runner/index.js';
import type { EnrichmentResult } from '../../../../src/engine/enrich/types.js';
import { deferred, fakeProvider, HOUR, ipTarget, MIN, ok, openDb, SEC, T0, testClock } from './helpers.js';

let handle: DatabaseHandle;
afterEach(() => handle?.close());

const error = (provider: string): EnrichmentResult => ({ provider, status: 'ERROR', verdict: 'UNKNOWN', reasons: [], data: {}, error: 'HTTP 500' });

describe('timeout', () => {
  it('yields TIMEOUT at the deadline even when the provider ignores its signal', async () => {
    handle = openDb();
    const provider = fakeProvider('slow', () => new Promise<EnrichmentResult>(() => undefined));
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [provider], clock: () => T0, settings: { defaults: { timeoutMs: 50 } } });
    const started = Date.now();
    const [result] = await runner.enrich(ipTarget('185.22.13.9'));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ provider: 'slow', status: 'TIMEOUT' });
    expect(provider.signals[0]?.aborted).toBe(true);
    expect(runner.status()[0]?.inFlight).toBe(0);
  });

  it('turns an unexpected throw into ERROR', async () => {
    handle = openDb();
    const provider = fakeProvider('bad', () => {
      throw new Error('bug');
    });
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [provider], clock: () => T0 });
    expect((await runner.enrich(ipTarget('185.22.13.9')))[0]).toMatchObject({ status: 'ERROR', error: 'bug' });
  });
});

describe('circuit breaker', () => {
  it('opens after N consecutive failures, refuses without calling, then half-opens for one trial', async () => {
    handle = openDb();
    const time = testClock();
    let failing = true;
    const provider = fakeProvider('rep', () => (failing ? error('rep') : ok('rep')));
    const runner = createEnrichmentRunner({
      sqlite: handle.sqlite,
      providers: [provider],
      clock: time.clock,
      settings: { defaults: { breakerThreshold: 3, breakerCoolDownMs: MIN } },
    });
    for (let i = 1; i <= 3; i += 1) expect((await runner.enrich(ipTarget(`185.22.13.${i}`)))[0]?.status).toBe('ERROR');
    expect(runner.status()[0]?.circuit).toBe('OPEN');

    const [refused] = await runner.enrich(ipTarget('185.22.13.4'));
    expect(refused).toMatchObject({ status: 'SKIPPED', error: 'circuit open' });
    expect(provider.calls).toHaveLength(3);
    // Stored, so the IOC is retried once the circuit may close: nothing is lost.
    expect(runner.dueForRetry(T0 + MIN).map((e) => e.value)).toContain('185.22.13.4');

    time.advance(MIN);
    expect(runner.status()[0]?.circuit).toBe('HALF_OPEN');
    expect((await runner.enrich(ipTarget('185.22.13.5')))[0]?.status).toBe('ERROR');
    expect(provider.calls).toHaveLength(4);
    expect(runner.status()[0]?.circuit).toBe('OPEN');
    expect((await runner.enrich(ipTarget('185.22.13.6')))[0]?.status).toBe('SKIPPED');
    expect(provider.calls).toHaveLength(4);

    time.advance(MIN);
    failing = false;
    expect((await runner.enrich(ipTarget('185.22.13.7')))[0]?.status).toBe('OK');
    expect(runner.status()[0]?.circuit).toBe('CLOSED');
    expect((await runner.enrich(ipTarget('185.22.13.4')))[0]?.status).toBe('OK');
  });

  it('lets a single trial through while half-open', async () => {
    handle = openDb();
    const time = testClock();
    const gate = deferred<void>();
    const provider = fakeProvider('rep', async (_t, _s, n) => {
      if (n <= 2) return error('rep');
      await gate.promise;
      return ok('rep');
    });
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [provider], clock: time.clock, settings: { defaults: { breakerThreshold: 2 } } });
    await runner.enrich(ipTarget('185.22.13.1'));
    await runner.enrich(ipTarget('185.22.13.2'));
    time.advance(MIN);
    const trial = runner.enrich(ipTarget('185.22.13.3'));
    const [other] = await runner.enrich(ipTarget('185.22.13.4'));
    expect(other?.status).toBe('SKIPPED');
    expect(other?.error).toMatch(/half-open/);
    gate.resolve();
    expect((await trial)[0]?.status).toBe('OK');
    expect(provider.calls).toHaveLength(3);
  });

  it('counts timeouts as failures', async () => {
    handle = openDb();
    const provider = fakeProvider('slow', () => new Promise<EnrichmentResult>(() => undefined));
    const runner = createEnrichmentRunner({
      sqlite: handle.sqlite,
      providers: [provider],
      clock: () => T0,
      settings: { defaults: { timeoutMs: 20, breakerThreshold: 2 } },
    });
    await runner.enrich(ipTarget('185.22.13.1'));
    await runner.enrich(ipTarget('185.22.13.2'));
    expect((await runner.enrich(ipTarget('185.22.13.3')))[0]?.error).toBe('circuit open');
    expect(provider.calls).toHaveLength(2);
  });
});

describe('concurrency limit', () => {
  it('never has more lookups in flight than the limit', async () => {
    handle = openDb();
    let inFlight = 0;
    let max = 0;
    const provider = fakeProvider('rep', async () => {
      inFlight += 1;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight -= 1;
      return ok('rep');
    });
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [provider], clock: () => T0, settings: { defaults: { concurrency: 2, burst: 100 } } });
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => runner.enrich(ipTarget(`185.22.13.${i + 1}`))));
    expect(results.flat().every((r) => r.status === 'OK')).toBe(true);
    expect(provider.calls).toHaveLength(7);
    expect(max).toBe(2);
  });
});

describe('token bucket', () => {
  it('answers RATE_LIMITED with retryAt when no token comes within the bound, and the entry is retried later', async () => {
    handle = openDb();
    const time = testClock();
    const provider = fakeProvider('rep');
    const runner = createEnrichmentRunner({
      sqlite: handle.sqlite,
      providers: [provider],
      clock: time.clock,
      settings: { defaults: { ratePerMinute: 60, burst: 2, maxRateWaitMs: 0 } },
    });
    await runner.enrich(ipTarget('185.22.13.1'));
    await runner.enrich(ipTarget('185.22.13.2'));
    const [limited] = await runner.enrich(ipTarget('185.22.13.3'));
    expect(limited).toMatchObject({ status: 'RATE_LIMITED', retryAt: T0 + SEC });
    expect(provider.calls).toHaveLength(2);
    expect(runner.dueForRetry(T0 + SEC - 1)).toEqual([]);
    expect(runner.dueForRetry(T0 + SEC)).toEqual([{ provider: 'rep', type: 'IPV4', value: '185.22.13.3' }]);

    time.advance(SEC);
    expect((await runner.enrich(ipTarget('185.22.13.3'), { providers: ['rep'] }))[0]?.status).toBe('OK');
    expect(runner.dueForRetry(T0 + HOUR)).toEqual([]);
  });

  it('waits for a token when it comes within the bound', async () => {
    handle = openDb();
    const slept: number[] = [];
    const provider = fakeProvider('rep');
    const runner = createEnrichmentRunner({
      sqlite: handle.sqlite,
      providers: [provider],
      clock: () => T0,
      sleep: (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
      settings: { defaults: { ratePerMinute: 60, burst: 1, maxRateWaitMs: 2 * SEC } },
    });
    const results = await Promise.all([1, 2, 3, 4].map((i) => runner.enrich(ipTarget(`185.22.13.${i}`))));
    expect(results.flat().map((r) => r.status)).toEqual(['OK', 'OK', 'OK', 'RATE_LIMITED']);
    expect(slept).toEqual([SEC, 2 * SEC]);
  });
});

describe('a provider quota answer', () => {
  it('holds every call to that provider until retryAt, without touching it', async () => {
    handle = openDb();
    const time = testClock();
    const provider = fakeProvider('rep', (_t, _s, n) =>
      n === 1 ? { provider: 'rep', status: 'RATE_LIMITED', verdict: 'UNKNOWN', reasons: [], data: {}, retryAt: T0 + 30 * SEC } : ok('rep'),
    );
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [provider], clock: time.clock });
    expect((await runner.enrich(ipTarget('185.22.13.1')))[0]?.retryAt).toBe(T0 + 30 * SEC);
    const [held] = await runner.enrich(ipTarget('185.22.13.2'));
    expect(held).toMatchObject({ status: 'RATE_LIMITED', retryAt: T0 + 30 * SEC });
    expect(provider.calls).toHaveLength(1);
    time.advance(30 * SEC);
    const due = runner.dueForRetry(time.clock());
    expect(due.map((d) => d.value).sort()).toEqual(['185.22.13.1', '185.22.13.2']);
    for (const d of due) expect((await runner.enrich(ipTarget(d.value), { providers: [d.provider] }))[0]?.status).toBe('OK');
    expect(runner.dueForRetry(time.clock())).toEqual([]);
  });

  it('lists ERROR and TIMEOUT entries once their short TTL has passed', async () => {
    handle = openDb();
    const provider = fakeProvider('rep', () => error('rep'));
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [provider], clock: () => T0 });
    await runner.enrich(ipTarget('185.22.13.1'));
    expect(runner.dueForRetry(T0 + 5 * MIN - 1)).toEqual([]);
    expect(runner.dueForRetry(T0 + 5 * MIN)).toHaveLength(1);
  });
});

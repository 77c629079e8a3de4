import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../../db/client.js';
import { createEnrichmentRunner } from '../../../../src/engine/enrich/runner/index.js';
import { deferred, fakeProvider, HOUR, ipTarget, ok, openDb, SEC, T0, testClock } from './helpers.js';

let handle: DatabaseHandle;
afterEach(() => handle?.close());

describe('enrichment cache', () => {
  it('answers a fresh cached lookup without calling the provider', async () => {
    handle = openDb();
    const time = testClock();
    const provider = fakeProvider('rep');
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [provider], clock: time.clock });
    const target = ipTarget('185.22.13.9');

    const first = await runner.enrich(target);
    expect(provider.calls).toHaveLength(1);
    time.advance(23 * HOUR);
    const second = await runner.enrich(target);
    expect(provider.calls).toHaveLength(1);
    expect(second).toEqual(first);
    expect(runner.cached(target)).toEqual(first);
    expect(provider.calls).toHaveLength(1);
  });

  it('calls once more after the TTL of the status expires', async () => {
    handle = openDb();
    const time = testClock();
    const provider = fakeProvider('rep', (t, _s, n) => (n === 1 ? { ...ok('rep'), status: 'NO_DATA', verdict: 'UNKNOWN' } : ok('rep')));
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [provider], clock: time.clock });
    const target = ipTarget('185.22.13.9');

    await runner.enrich(target);
    time.advance(6 * HOUR - 1);
    await runner.enrich(target);
    expect(provider.calls).toHaveLength(1);
    time.advance(1);
    const [result] = await runner.enrich(target);
    expect(provider.calls).toHaveLength(2);
    expect(result?.status).toBe('OK');
  });

  it('honours per-provider TTL settings and force', async () => {
    handle = openDb();
    const time = testClock();
    const provider = fakeProvider('rep');
    const runner = createEnrichmentRunner({
      sqlite: handle.sqlite,
      providers: [provider],
      clock: time.clock,
      settings: { providers: { rep: { ttl: { okMs: 10 * SEC } } } },
    });
    const target = ipTarget('185.22.13.9');
    await runner.enrich(target);
    await runner.enrich(target, { force: true });
    expect(provider.calls).toHaveLength(2);
    time.advance(10 * SEC);
    await runner.enrich(target);
    expect(provider.calls).toHaveLength(3);
  });

  it('returns every stored row for the IOC, whatever its age, without calling anything', async () => {
    handle = openDb();
    const time = testClock();
    const a = fakeProvider('a');
    const b = fakeProvider('b', () => ({ provider: 'b', status: 'ERROR', verdict: 'UNKNOWN', reasons: [], data: {}, error: 'boom' }));
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [a, b], clock: time.clock });
    const target = ipTarget('185.22.13.9');
    expect(runner.cached(target)).toEqual([]);
    await runner.enrich(target);
    time.advance(1000 * HOUR);
    const cached = runner.cached(target);
    expect(cached.map((r) => [r.provider, r.status, r.error])).toEqual([
      ['a', 'OK', undefined],
      ['b', 'ERROR', 'boom'],
    ]);
    expect(a.calls.length + b.calls.length).toBe(2);
  });

  it('keeps a stale real answer when a retry only times out or fails', async () => {
    handle = openDb();
    const time = testClock();
    const provider = fakeProvider('rep', (_t, _s, n) => (n === 1 ? ok('rep') : { provider: 'rep', status: 'ERROR', verdict: 'UNKNOWN', reasons: [], data: {}, error: 'down' }));
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [provider], clock: time.clock });
    const target = ipTarget('185.22.13.9');
    await runner.enrich(target);
    time.advance(25 * HOUR);
    const [now] = await runner.enrich(target);
    expect(now?.status).toBe('ERROR');
    expect(runner.cached(target)[0]).toMatchObject({ status: 'OK', verdict: 'MALICIOUS' });
  });

  it('shares one call between concurrent lookups of the same IOC', async () => {
    handle = openDb();
    const gate = deferred<void>();
    const provider = fakeProvider('rep', async () => {
      await gate.promise;
      return ok('rep');
    });
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [provider], clock: () => T0 });
    const target = ipTarget('185.22.13.9');
    const both = Promise.all([runner.enrich(target), runner.enrich(target)]);
    await new Promise((r) => setTimeout(r, 10));
    gate.resolve();
    const [x, y] = await both;
    expect(provider.calls).toHaveLength(1);
    expect(x).toEqual(y);
  });

  it('lists only providers that support the target, and only the ones asked for', async () => {
    handle = openDb();
    const a = fakeProvider('a');
    const b = fakeProvider('b');
    const runner = createEnrichmentRunner({ sqlite: handle.sqlite, providers: [a, b], clock: () => T0 });
    expect(await runner.enrich({ type: 'SHA256', value: 'ab'.repeat(32), tlp: 'CLEAR' })).toEqual([]);
    const results = await runner.enrich(ipTarget('185.22.13.9'), { providers: ['b'] });
    expect(results.map((r) => r.provider)).toEqual(['b']);
    expect(a.calls).toHaveLength(0);
  });
});

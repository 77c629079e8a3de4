/** A migrated `:memory:` database, a settable clock and fake providers that count their calls. */
import { openDatabase, type DatabaseHandle } from '../../../../db/client.js';
import { runMigrations } from '../../../../db/migrate.js';
import type { Enricher, EnrichmentResult, EnrichmentTarget } from '../../../../src/engine/enrich/types.js';

export const T0 = Date.parse('2026-11-23T04:00:00.000Z');
export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;

export function openDb(): DatabaseHandle {
  const handle = openDatabase({ path: ':memory:' });
  runMigrations(handle.db);
  return handle;
}

export function testClock(start = T0) {
  let now = start;
  return {
    clock: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

export function ipTarget(value: string, tlp: EnrichmentTarget['tlp'] = 'CLEAR'): EnrichmentTarget {
  return { type: 'IPV4', value, tlp, ip: { private: false, loopback: false, reserved: false, range: 'unicast' } };
}

export type Behaviour = (target: EnrichmentTarget, signal: AbortSignal, call: number) => Promise<EnrichmentResult> | EnrichmentResult;

export interface FakeProvider extends Enricher {
  calls: EnrichmentTarget[];
  signals: AbortSignal[];
  behaviour: Behaviour;
}

export function ok(provider: string, verdict: EnrichmentResult['verdict'] = 'MALICIOUS'): EnrichmentResult {
  return { provider, status: 'OK', verdict, reasons: [`${provider} says ${verdict}`], data: { n: 1 } };
}

export function fakeProvider(name: string, behaviour?: Behaviour, options: { external?: boolean } = {}): FakeProvider {
  const p: FakeProvider = {
    name,
    external: options.external ?? true,
    calls: [],
    signals: [],
    behaviour: behaviour ?? (() => ok(name)),
    supports: (t) => t.type === 'IPV4' || t.type === 'URL' || t.type === 'DOMAIN',
    lookup(target, signal) {
      p.calls.push(target);
      p.signals.push(signal);
      return Promise.resolve(p.behaviour(target, signal, p.calls.length));
    },
  };
  return p;
}

/** A promise with its resolver exposed, to hold a fake call open. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

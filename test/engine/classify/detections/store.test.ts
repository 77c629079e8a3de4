import { describe, expect, it } from 'vitest';
import { BRUTE_FORCE } from '../../../../src/engine/classify/detections/index.js';
import { Signal } from '../../../../src/engine/classify/types.js';
import { createRig, HOUR, MIN, only, SEC, T0 } from './helpers.js';

const failure = { srcIp: '185.22.13.9', user: 'root', host: 'web1' };

describe('detection windows in SQLite', () => {
  it('prunes observations older than the longest window, a slice at a time', () => {
    // Longest window: beaconing's 2 h here.
    const rig = createRig({ beaconWindowMs: 2 * HOUR, pruneEvery: 10 });
    for (let i = 0; i < 30; i++) rig.feed({ at: T0 + i * SEC, event: failure, signals: [Signal.AUTH_FAILURE] });
    expect(rig.rows('auth-failure/source')).toBe(30);
    for (let i = 0; i < 30; i++) rig.feed({ at: T0 + 3 * HOUR + i * SEC, event: { ...failure, srcIp: '192.0.2.1' }, signals: [Signal.AUTH_FAILURE] });
    const old = rig.sqlite.prepare('SELECT COUNT(*) FROM detection_observations WHERE at < ?').pluck().get(T0 + HOUR);
    expect(old).toBe(0);
    expect(rig.rows('auth-failure/source')).toBe(30);
    // The brute-force markers of the first burst went with it.
    expect(rig.rows('fired/brute-force')).toBe(2);
  });

  it('keeps windows whole when one event carries a far-future time', () => {
    const rig = createRig({ pruneEvery: 10 });
    rig.feed({ at: T0 + 365 * 24 * HOUR, event: { ...failure, srcIp: '203.0.113.1' }, signals: [Signal.AUTH_FAILURE] });
    const hits = Array.from({ length: 20 }, (_, i) => only(rig.feed({ at: T0 + i * SEC, event: failure, signals: [Signal.AUTH_FAILURE] }), BRUTE_FORCE));
    expect(hits[9]).toHaveLength(1);
    expect(hits[19]![0]!.relatedAlertIds).toHaveLength(20);
  });

  it('records nothing for an event without signals', () => {
    const rig = createRig();
    expect(rig.feed({ at: T0, event: failure, signals: [] })).toHaveLength(0);
    expect(rig.rows()).toBe(0);
  });

  it('refuses an input without a valid time', () => {
    const rig = createRig();
    expect(() => rig.feed({ at: Number.NaN, event: failure, signals: [Signal.AUTH_FAILURE] })).toThrow(/valid time/);
  });

  it('rejects settings that cannot work', () => {
    expect(() => createRig({ bruteForceThreshold: 0 })).toThrow(/bruteForceThreshold/);
    expect(() => createRig({ refireFactor: 1 })).toThrow(/refireFactor/);
    expect(() => createRig({ sprayWindowMs: -MIN })).toThrow(/sprayWindowMs/);
  });

  it('forgets a deleted alert with its observations (the foreign key cascades)', () => {
    const rig = createRig();
    const { alertId } = rig.feed({ at: T0, event: failure, signals: [Signal.AUTH_FAILURE] });
    expect(rig.rows()).toBe(2);
    rig.sqlite.prepare('DELETE FROM alerts WHERE id = ?').run(alertId);
    expect(rig.rows()).toBe(0);
  });
});

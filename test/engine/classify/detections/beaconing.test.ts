import { describe, expect, it } from 'vitest';
import { scoreBeacon } from '../../../../src/engine/classify/detections/beacon-score.js';
import { BEACONING } from '../../../../src/engine/classify/detections/index.js';
import { Signal } from '../../../../src/engine/classify/types.js';
import type { NormalizedEvent } from '../../../../src/engine/types.js';
import { createRig, HOUR, lcg, only, SEC, T0, type Rig } from './helpers.js';

const C2 = { srcIp: '10.0.0.5', dstIp: '203.0.113.9', dstPort: 443 };
const connect = (rig: Rig, at: number, event: Partial<NormalizedEvent> = C2) => rig.feed({ at, event, signals: [Signal.NETWORK_CONNECTION] });

/** Feeds connections at the given gaps and returns the 1-based indexes of the connections that fired. */
function run(rig: Rig, gaps: number[], event?: Partial<NormalizedEvent>): number[] {
  const fired: number[] = [];
  let at = T0;
  [0, ...gaps].forEach((gap, i) => {
    at += gap;
    if (only(connect(rig, at, event), BEACONING).length) fired.push(i + 1);
  });
  return fired;
}

const jittered = (n: number, period: number, jitter: number, seed = 7) => {
  const r = lcg(seed);
  return Array.from({ length: n }, () => period + (r() * 2 - 1) * jitter);
};

describe('beacon score', () => {
  const options = { fullConnections: 24, maxJitter: 0.3 };

  it('scores a perfectly regular series on count alone', () => {
    const times = Array.from({ length: 12 }, (_, i) => i * 60 * SEC);
    expect(scoreBeacon(times, options)).toMatchObject({ connections: 12, medianIntervalMs: 60_000, skew: 0, madMs: 0, skewScore: 1, dispersionScore: 1, countScore: 0.5, score: 0.833 });
  });

  it('computes Bowley skew and MAD relative to the median interval', () => {
    // Intervals 10, 10, 20, 30, 50 s: quartiles 10, 20, 30 (no skew), MAD 10 (relative 0.5, beyond 0.3).
    const result = scoreBeacon([0, 10, 20, 40, 70, 120].map((s) => s * SEC), options)!;
    expect(result).toMatchObject({ medianIntervalMs: 20_000, skew: 0, madMs: 10_000, dispersionScore: 0, countScore: 0.25 });
    // Intervals 10, 11, 12, 40 s: quartiles 10.75, 11.5, 19 -> skew (10.75 + 19 - 23) / 8.25.
    expect(scoreBeacon([0, 10, 21, 33, 73].map((s) => s * SEC), options)!.skew).toBeCloseTo(0.818, 3);
  });

  it('merges connections within a second (a burst is one check-in) and needs two intervals', () => {
    expect(scoreBeacon([0, 200, 400], options)).toBeUndefined();
    expect(scoreBeacon([0, 500, 60_000, 60_300, 120_000], options)?.connections).toBe(3);
  });
});

describe('beaconing detection', () => {
  it('fires once for connections every 60 s with ±2 s jitter, naming the connections', () => {
    const rig = createRig();
    const fired = run(rig, jittered(39, 60 * SEC, 2 * SEC));
    expect(fired).toHaveLength(1);
    const at = fired[0]!;
    expect(at).toBeGreaterThanOrEqual(10);
    expect(at).toBeLessThanOrEqual(16);

    const again = createRig();
    const ids: string[] = [];
    let hit;
    let t = T0;
    for (const gap of [0, ...jittered(at - 1, 60 * SEC, 2 * SEC)]) {
      t += gap;
      const hits = connect(again, t);
      ids.push(hits.alertId);
      hit = only(hits, BEACONING)[0] ?? hit;
    }
    expect(hit).toMatchObject({
      category: 'BEACONING',
      techniques: ['T1071'],
      relatedAlertIds: ids,
      facts: { client: '10.0.0.5', destination: '203.0.113.9:443', connections: at, connectionsInWindow: at },
    });
    expect(hit!.facts.score).toBeGreaterThanOrEqual(0.8);
    expect(Math.abs((hit!.facts.medianIntervalSeconds as number) - 60)).toBeLessThan(2);
    expect(hit!.description).toMatch(/^10\.0\.0\.5 connected to 203\.0\.113\.9:443 \d+ times every ~\d+(\.\d)? s \(jitter [\d.]+%, beacon score 0\.\d+\)$/);
  });

  it('groups a named destination by its name, from the URL when there is no domain', () => {
    const rig = createRig();
    const fired = run(rig, jittered(29, 300 * SEC, 5 * SEC, 3), { host: 'laptop-7', url: 'https://cdn.example.net/api/checkin?id=1' });
    expect(fired).toHaveLength(1);
  });

  it('does not fire for exponential or uniformly random intervals', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = lcg(seed);
      expect(run(createRig(), Array.from({ length: 99 }, () => -Math.log(1 - r()) * 60 * SEC))).toEqual([]);
      expect(run(createRig(), Array.from({ length: 99 }, () => 1 * SEC + r() * 120 * SEC))).toEqual([]);
    }
  });

  it('does not fire for an NTP poll every 64 s, nor for allowlisted time and update services', () => {
    const rig = createRig();
    expect(run(rig, Array(59).fill(64 * SEC), { srcIp: '10.0.0.5', dstIp: '162.159.200.1', dstPort: 123 })).toEqual([]);
    expect(run(rig, Array(59).fill(64 * SEC), { srcIp: '10.0.0.5', domain: 'time.windows.com', dstIp: '20.101.57.9', dstPort: 443 })).toEqual([]);
    expect(run(rig, Array(59).fill(60 * SEC), { srcIp: '10.0.0.5', domain: 'EU.Pool.NTP.org.', dstIp: '192.0.2.1', dstPort: 4460 })).toEqual([]);
    expect(rig.rows('connection')).toBe(0);
    // An allowlist is configuration: emptied, the same poll is a beacon like any other.
    expect(run(createRig({ beaconAllowlist: [] }), Array(59).fill(64 * SEC), { srcIp: '10.0.0.5', domain: 'time.windows.com', dstPort: 443 })).toHaveLength(1);
  });

  it('does not fire with too few connections, or across destinations and clients', () => {
    expect(run(createRig(), Array(8).fill(60 * SEC))).toEqual([]);
    const rig = createRig();
    let at = T0;
    // 40 regular connections, but eight per pair: three destinations of one client, two more clients.
    const pairs = [C2, { ...C2, dstPort: 8443 }, { ...C2, dstIp: '198.51.100.1' }, { ...C2, srcIp: '10.0.0.6' }, { ...C2, srcIp: '10.0.0.7' }];
    for (let i = 0; i < 40; i++) {
      at += 60 * SEC;
      expect(only(connect(rig, at, pairs[i % pairs.length]), BEACONING)).toEqual([]);
    }
  });

  it('reports a pair once per window, then again once the window has passed', () => {
    const rig = createRig({ beaconWindowMs: 2 * HOUR });
    // Every 5 minutes for 5 hours.
    expect(run(rig, Array(59).fill(5 * 60 * SEC))).toEqual([10, 34, 58]);
  });

  it('continues the series after a restart', () => {
    const rig = createRig();
    let at = T0;
    for (let i = 0; i < 8; i++) connect(rig, (at += 60 * SEC));
    rig.restart();
    expect(only(connect(rig, (at += 60 * SEC)), BEACONING)).toEqual([]);
    expect(only(connect(rig, (at += 60 * SEC)), BEACONING)[0]?.relatedAlertIds).toHaveLength(10);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BRUTE_FORCE } from '../../../../src/engine/classify/detections/index.js';
import { Signal } from '../../../../src/engine/classify/types.js';
import { createRig, openDb, only, SEC, T0, type Rig } from './helpers.js';

/** `srcIp: null` for an event without a source address. */
const fail = (rig: Rig, at: number, user: string, srcIp: string | null = '185.22.13.9', host = 'web1') =>
  rig.feed({ at, event: { ...(srcIp ? { srcIp } : {}), user, host }, signals: [Signal.AUTH_FAILURE] });

describe('brute-force detection', () => {
  it('fires on the tenth failed login from one IP within a minute, naming the ten alerts', () => {
    const rig = createRig();
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) {
      const hits = fail(rig, T0 + i * 6 * SEC, `user${i}`);
      ids.push(hits.alertId);
      expect(only(hits, BRUTE_FORCE)).toEqual([]);
    }
    const tenth = fail(rig, T0 + 54 * SEC, 'user9');
    ids.push(tenth.alertId);
    const [hit, ...rest] = only(tenth, BRUTE_FORCE);
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({
      detector: 'brute-force',
      category: 'BRUTE_FORCE',
      severity: 'MEDIUM',
      techniques: ['T1110'],
      relatedAlertIds: ids,
      facts: { count: 10, threshold: 10, windowSeconds: 120, spanSeconds: 54, source: '185.22.13.9', distinctAccounts: 10 },
    });
    expect(hit!.description).toBe('10 failed logins from 185.22.13.9 within 54 s against 10 accounts');
  });

  it('does not fire for nine failures, for ten spread over more than the window, or across sources', () => {
    const nine = createRig();
    for (let i = 0; i < 9; i++) expect(only(fail(nine, T0 + i * SEC, 'root'), BRUTE_FORCE)).toEqual([]);

    const slow = createRig();
    // Every 14 s: any ten span 126 s, more than 120.
    for (let i = 0; i < 30; i++) expect(only(fail(slow, T0 + i * 14 * SEC, 'root'), BRUTE_FORCE)).toEqual([]);

    const spread = createRig();
    for (let i = 0; i < 18; i++) expect(only(fail(spread, T0 + i * SEC, 'root', `203.0.113.${i % 2}`), BRUTE_FORCE)).toEqual([]);
  });

  it('counts by host and account when the event has no source IP', () => {
    const rig = createRig();
    for (let i = 0; i < 9; i++) fail(rig, T0 + i * SEC, 'admin', null, 'db1');
    fail(rig, T0 + 9 * SEC, 'admin', null, 'db2');
    fail(rig, T0 + 10 * SEC, 'other', null, 'db1');
    const hit = only(fail(rig, T0 + 11 * SEC, 'Admin', null, 'DB1'), BRUTE_FORCE)[0];
    expect(hit?.relatedAlertIds).toHaveLength(10);
    expect(hit?.facts).toMatchObject({ count: 10, account: 'admin', host: 'db1' });
    expect(hit?.description).toBe('10 failed logins for admin on db1 within 11 s');
  });

  it('does not re-fire in a storm until the count doubles or the window has passed', () => {
    const rig = createRig();
    const fired: number[] = [];
    // One failure every 2 s for 100 s: 50 failures, all within one window.
    for (let i = 1; i <= 50; i++) if (only(fail(rig, T0 + i * 2 * SEC, `u${i}`), BRUTE_FORCE).length) fired.push(i);
    expect(fired).toEqual([10, 20, 40]);
    // A window (120 s) after the last hit (the 40th, at 80 s) the same pace fires again, once: doubling
    // its 61 failures is out of reach at this pace.
    const later: number[] = [];
    for (let i = 51; i <= 150; i++) if (only(fail(rig, T0 + i * 2 * SEC, `u${i}`), BRUTE_FORCE).length) later.push(i);
    expect(later).toEqual([100]);
  });

  it('names every alert up to the threshold, and the newest maxRelatedAlerts beyond it', () => {
    const rig = createRig({ bruteForceThreshold: 3, maxRelatedAlerts: 4 });
    const hits = Array.from({ length: 6 }, (_, i) => only(fail(rig, T0 + i * SEC, 'root'), BRUTE_FORCE));
    expect(hits.map((h) => h.length)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(hits[2]![0]!.relatedAlertIds).toEqual(['alt_0001', 'alt_0002', 'alt_0003']);
    expect(hits[5]![0]!.relatedAlertIds).toEqual(['alt_0003', 'alt_0004', 'alt_0005', 'alt_0006']);
    expect(hits[5]![0]!.facts).toMatchObject({ count: 6, previousCount: 3 });
    // Six failures, four named: the named ones do not show the span, so the window is given.
    expect(hits[5]![0]!.description).toBe('6 failed logins from 185.22.13.9 within 120 s');
  });

  it('sees the earlier alerts of its batch inside one transaction', () => {
    const rig = createRig();
    const hits = rig.sqlite.transaction(() => Array.from({ length: 10 }, (_, i) => only(fail(rig, T0 + i * SEC, 'root'), BRUTE_FORCE)))();
    expect(hits.map((h) => h.length)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(hits[9]![0]!.relatedAlertIds).toHaveLength(10);
  });

  it('continues its window and its storm guard after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-detections-'));
    try {
      const path = join(dir, 'vigil.db');
      let handle = openDb(path);
      let rig = createRig({}, handle.sqlite);
      for (let i = 0; i < 6; i++) fail(rig, T0 + i * SEC, 'root');
      handle.close();

      handle = openDb(path);
      rig = createRig({}, handle.sqlite, 6);
      for (let i = 6; i < 9; i++) expect(only(fail(rig, T0 + i * SEC, 'root'), BRUTE_FORCE)).toEqual([]);
      const hit = only(fail(rig, T0 + 9 * SEC, 'root'), BRUTE_FORCE)[0];
      expect(hit?.relatedAlertIds).toEqual(Array.from({ length: 10 }, (_, i) => `alt_${String(i + 1).padStart(4, '0')}`));
      handle.close();

      handle = openDb(path);
      rig = createRig({}, handle.sqlite, 10);
      expect(only(fail(rig, T0 + 10 * SEC, 'root'), BRUTE_FORCE)).toEqual([]);
      handle.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts a reprocessed alert once, and fires again for it when it completed the detection', () => {
    const rig = createRig();
    for (let i = 0; i < 9; i++) fail(rig, T0 + i * SEC, 'root');
    const tenth = fail(rig, T0 + 9 * SEC, 'root');
    expect(only(tenth, BRUTE_FORCE)).toHaveLength(1);
    // The same alert through the classify stage again (reprocessAlert): same window, same hit.
    const again = rig.detections.observe({ alertId: tenth.alertId, at: T0 + 9 * SEC, event: { format: 'UNKNOWN', message: 'x', fields: {}, srcIp: '185.22.13.9', user: 'root' }, signals: new Set([Signal.AUTH_FAILURE]) });
    expect(only(again, BRUTE_FORCE)[0]?.relatedAlertIds).toEqual(only(tenth, BRUTE_FORCE)[0]?.relatedAlertIds);
    expect(rig.rows('auth-failure/source')).toBe(10);
  });
});

import { describe, expect, it } from 'vitest';
import { BRUTE_FORCE, PASSWORD_SPRAYING } from '../../../../src/engine/classify/detections/index.js';
import { Signal } from '../../../../src/engine/classify/types.js';
import { createRig, MIN, only, SEC, T0, type Rig } from './helpers.js';

const fail = (rig: Rig, at: number, user: string, srcIp = '198.51.100.7') => rig.feed({ at, event: { srcIp, user, host: 'dc1' }, signals: [Signal.AUTH_FAILURE] });

describe('password-spraying detection', () => {
  it('fires when one source fails against five accounts within ten minutes, naming those alerts', () => {
    const rig = createRig();
    const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
    const hits = users.map((u, i) => fail(rig, T0 + i * 2 * MIN, u));
    expect(hits.slice(0, 4).map((h) => only(h, PASSWORD_SPRAYING))).toEqual([[], [], [], []]);
    const hit = only(hits[4]!, PASSWORD_SPRAYING)[0];
    expect(hit).toMatchObject({
      category: 'BRUTE_FORCE',
      severity: 'MEDIUM',
      techniques: ['T1110.003'],
      relatedAlertIds: hits.map((h) => h.alertId),
      facts: { source: '198.51.100.7', distinctAccounts: 5, failures: 5, attemptsPerAccount: 1, spanSeconds: 480 },
    });
    expect(hit!.description).toBe('Failed logins from 198.51.100.7 against 5 accounts within 480 s (5 attempts)');
    // Five slow failures are no brute force.
    expect(hits.flatMap((h) => only(h, BRUTE_FORCE))).toEqual([]);
  });

  it('does not fire for four accounts, for accounts spread over more than the window, or across sources', () => {
    const four = createRig();
    for (let i = 0; i < 12; i++) expect(only(fail(four, T0 + i * SEC, ['a', 'b', 'c', 'd'][i % 4]!), PASSWORD_SPRAYING)).toEqual([]);

    const slow = createRig();
    for (let i = 0; i < 10; i++) expect(only(fail(slow, T0 + i * 3 * MIN, `user${i}`), PASSWORD_SPRAYING)).toEqual([]);

    const spread = createRig();
    for (let i = 0; i < 8; i++) expect(only(fail(spread, T0 + i * SEC, `user${i}`, `192.0.2.${i}`), PASSWORD_SPRAYING)).toEqual([]);
  });

  it('leaves many attempts on a few accounts to brute force', () => {
    const rig = createRig();
    const hits = [];
    // Four attempts on each of four accounts, then a fifth account: 17 attempts on 5 accounts is 3.4 each.
    for (let i = 0; i < 16; i++) hits.push(fail(rig, T0 + i * SEC, ['a', 'b', 'c', 'd'][i % 4]!));
    hits.push(fail(rig, T0 + 16 * SEC, 'e'));
    expect(hits.flatMap((h) => only(h, PASSWORD_SPRAYING))).toEqual([]);
    expect(hits.flatMap((h) => only(h, BRUTE_FORCE))).toHaveLength(1);
  });

  it('reports a source once per window, however wide the spray grows', () => {
    const rig = createRig();
    const fired: number[] = [];
    // A new account every 10 s for 800 s: the first hit at the fifth, the next a window (600 s) later.
    for (let i = 1; i <= 80; i++) if (only(fail(rig, T0 + i * 10 * SEC, `user${i}`), PASSWORD_SPRAYING).length) fired.push(i);
    expect(fired).toEqual([5, 65]);
  });

  it('stays cheap and quiet in a brute-force storm on one account', () => {
    const rig = createRig();
    const hits = Array.from({ length: 300 }, (_, i) => fail(rig, T0 + i * 100, i % 50 === 0 ? `other${i}` : 'root'));
    expect(hits.flatMap((h) => only(h, PASSWORD_SPRAYING))).toEqual([]);
  });

  it('continues across a restart', () => {
    const rig = createRig();
    for (let i = 0; i < 3; i++) fail(rig, T0 + i * MIN, `user${i}`);
    rig.restart();
    expect(only(fail(rig, T0 + 3 * MIN, 'user3'), PASSWORD_SPRAYING)).toEqual([]);
    expect(only(fail(rig, T0 + 4 * MIN, 'user4'), PASSWORD_SPRAYING)[0]?.relatedAlertIds).toHaveLength(5);
  });
});

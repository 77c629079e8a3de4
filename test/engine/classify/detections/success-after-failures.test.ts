import { describe, expect, it } from 'vitest';
import { SUCCESS_AFTER_FAILURES } from '../../../../src/engine/classify/detections/index.js';
import { Signal } from '../../../../src/engine/classify/types.js';
import { createRig, MIN, only, SEC, T0, type Rig } from './helpers.js';

const fail = (rig: Rig, at: number, user: string, srcIp = '185.22.13.9') => rig.feed({ at, event: { srcIp, user, host: 'web1' }, signals: [Signal.AUTH_FAILURE] });
const succeed = (rig: Rig, at: number, user: string, srcIp = '185.22.13.9', extra: Signal[] = []) =>
  rig.feed({ at, event: { srcIp, user, host: 'web1' }, signals: [Signal.AUTH_SUCCESS, ...extra] });

describe('success-after-failures detection', () => {
  it('fires on a login after five failures for the account from its source, naming them', () => {
    const rig = createRig();
    const failures = Array.from({ length: 5 }, (_, i) => fail(rig, T0 + i * 10 * SEC, 'alice').alertId);
    const success = succeed(rig, T0 + 60 * SEC, 'alice');
    const hit = only(success, SUCCESS_AFTER_FAILURES)[0];
    expect(hit).toMatchObject({
      category: 'SUSPICIOUS_ACCESS',
      severity: 'HIGH',
      confidence: 0.8,
      techniques: ['T1110', 'T1078'],
      relatedAlertIds: [...failures, success.alertId],
      facts: { failures: 5, failuresFromSource: 5, failuresForAccount: 5, secondsSinceFirstFailure: 60, account: 'alice', source: '185.22.13.9' },
    });
    expect(hit!.description).toBe('Successful login for alice on web1 from 185.22.13.9 after 5 failed logins within 60 s');
  });

  it('is CRITICAL when the login is privileged', () => {
    const rig = createRig();
    for (let i = 0; i < 5; i++) fail(rig, T0 + i * SEC, 'root');
    expect(only(succeed(rig, T0 + 10 * SEC, 'root', undefined, [Signal.PRIVILEGED_LOGON]), SUCCESS_AFTER_FAILURES)[0]?.severity).toBe('CRITICAL');
  });

  it('fires for a spray that found a password: failures on other accounts from the same source', () => {
    const rig = createRig();
    for (let i = 0; i < 6; i++) fail(rig, T0 + i * SEC, `user${i}`);
    const hit = only(succeed(rig, T0 + 10 * SEC, 'mallory'), SUCCESS_AFTER_FAILURES)[0];
    expect(hit?.facts).toMatchObject({ failures: 6, failuresFromSource: 6, failuresForAccount: 0 });
    expect(hit?.confidence).toBe(0.7);
  });

  it('fires for failures on the account from elsewhere', () => {
    const rig = createRig();
    for (let i = 0; i < 5; i++) fail(rig, T0 + i * SEC, 'bob', `203.0.113.${i}`);
    const hit = only(succeed(rig, T0 + 10 * SEC, 'bob', '192.0.2.50'), SUCCESS_AFTER_FAILURES)[0];
    expect(hit?.facts).toMatchObject({ failures: 5, failuresFromSource: 0, failuresForAccount: 5 });
  });

  it('does not fire after four failures, after failures older than the window, or for failures that came later', () => {
    const four = createRig();
    for (let i = 0; i < 4; i++) fail(four, T0 + i * SEC, 'alice');
    expect(only(succeed(four, T0 + 10 * SEC, 'alice'), SUCCESS_AFTER_FAILURES)).toEqual([]);

    const old = createRig();
    for (let i = 0; i < 5; i++) fail(old, T0 + i * SEC, 'alice');
    expect(only(succeed(old, T0 + 11 * MIN, 'alice'), SUCCESS_AFTER_FAILURES)).toEqual([]);

    // A success whose own time is before the failures (it arrived late) did not follow them.
    const late = createRig();
    for (let i = 0; i < 5; i++) fail(late, T0 + (i + 1) * MIN, 'alice');
    expect(only(succeed(late, T0, 'alice'), SUCCESS_AFTER_FAILURES)).toEqual([]);
  });

  it('reports the compromise once, not at every later login of the session', () => {
    const rig = createRig();
    for (let i = 0; i < 5; i++) fail(rig, T0 + i * SEC, 'alice');
    const fired = Array.from({ length: 5 }, (_, i) => only(succeed(rig, T0 + (10 + i) * SEC, 'alice'), SUCCESS_AFTER_FAILURES).length);
    expect(fired).toEqual([1, 0, 0, 0, 0]);
  });
});

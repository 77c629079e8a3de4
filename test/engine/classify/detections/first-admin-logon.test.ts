import { describe, expect, it } from 'vitest';
import { FIRST_ADMIN_LOGON } from '../../../../src/engine/classify/detections/index.js';
import { Signal } from '../../../../src/engine/classify/types.js';
import type { NormalizedEvent } from '../../../../src/engine/types.js';
import { createRig, HOUR, MIN, only, T0, type Rig } from './helpers.js';

const DAY = 24 * HOUR;
const admin = (rig: Rig, at: number, user: string, host: string, extra: Partial<NormalizedEvent> = {}) =>
  only(rig.feed({ at, event: { user, host, ...extra }, signals: [Signal.PRIVILEGED_LOGON] }), FIRST_ADMIN_LOGON);

describe('first-admin-logon detection', () => {
  it('fires on the first admin logon of an account on a host, and never again for that pair', () => {
    const rig = createRig({ firstAdminLearningMs: 0 });
    const [first] = admin(rig, T0, 'alice', 'web1');
    expect(first).toMatchObject({
      category: 'SUSPICIOUS_ACCESS',
      severity: 'MEDIUM',
      techniques: ['T1078.003'],
      relatedAlertIds: ['alt_0001'],
      facts: { account: 'alice', host: 'web1', accountType: 'local', firstOnAnyHost: 'yes' },
    });
    expect(first!.description).toBe('First administrative logon of alice anywhere, on web1');
    expect(admin(rig, T0 + MIN, 'alice', 'web1')).toEqual([]);
    expect(admin(rig, T0 + 2 * MIN, 'ALICE', 'WEB1')).toEqual([]);
    // Known as an admin elsewhere: a lower-key hint.
    expect(admin(rig, T0 + 3 * MIN, 'alice', 'web2')[0]).toMatchObject({ severity: 'LOW', description: 'First administrative logon of alice on web2' });
    expect(admin(rig, T0 + 4 * MIN, 'bob', 'web1')).toHaveLength(1);
  });

  it('learns for the configured period before it reports anything', () => {
    const rig = createRig();
    // A week of admin logons on a fresh install: all baseline.
    for (let d = 0; d < 7; d++) expect(admin(rig, T0 + d * DAY, `admin${d}`, `host${d}`)).toEqual([]);
    expect(admin(rig, T0 + 7 * DAY - 1, 'carol', 'db9')).toEqual([]);
    // Learned: accounts of the baseline stay quiet where they were seen, new pairs are reported.
    expect(admin(rig, T0 + 7 * DAY, 'admin3', 'host3')).toEqual([]);
    expect(admin(rig, T0 + 7 * DAY, 'admin3', 'host4')).toHaveLength(1);
    expect(admin(rig, T0 + 8 * DAY, 'mallory', 'host0')).toHaveLength(1);
  });

  it('keeps what it learned across a restart', () => {
    const rig = createRig({ firstAdminLearningMs: HOUR });
    admin(rig, T0, 'alice', 'web1');
    rig.restart();
    expect(admin(rig, T0 + 2 * HOUR, 'alice', 'web1')).toEqual([]);
    expect(admin(rig, T0 + 2 * HOUR, 'bob', 'web1')).toHaveLength(1);
  });

  it('skips service identities and machine accounts, and needs a host and an account', () => {
    const rig = createRig({ firstAdminLearningMs: 0 });
    for (const user of ['SYSTEM', 'NT AUTHORITY\\SYSTEM', 'LOCAL SERVICE', 'DWM-3', 'UMFD-0', 'WS042$']) expect(admin(rig, T0, user, 'ws042')).toEqual([]);
    expect(rig.feed({ at: T0, event: { user: 'alice' }, signals: [Signal.PRIVILEGED_LOGON] })).toHaveLength(0);
    expect(rig.feed({ at: T0, event: { host: 'web1' }, signals: [Signal.PRIVILEGED_LOGON] })).toHaveLength(0);
  });

  it('tells domain accounts (T1078.002) from local ones (T1078.003)', () => {
    const rig = createRig({ firstAdminLearningMs: 0 });
    expect(admin(rig, T0, 'CORP\\alice', 'ws042.corp.example')[0]?.techniques).toEqual(['T1078.002']);
    expect(admin(rig, T0, 'bob@corp.example', 'ws042')[0]?.techniques).toEqual(['T1078.002']);
    expect(admin(rig, T0, 'WS042\\Administrator', 'ws042.corp.example')[0]?.techniques).toEqual(['T1078.003']);
    // 4624/4672 name the account in the target when the subject is the machine.
    expect(admin(rig, T0, 'WS042$', 'ws042', { eventId: '4624', targetUser: 'CORP\\carol' })[0]?.facts.account).toBe('corp\\carol');
  });

  it('a late event older than the first sighting moves the baseline without firing', () => {
    const rig = createRig({ firstAdminLearningMs: 0 });
    expect(admin(rig, T0, 'alice', 'web1')).toHaveLength(1);
    expect(admin(rig, T0 - HOUR, 'alice', 'web1')).toEqual([]);
    const row = rig.sqlite.prepare("SELECT alert_id, first_seen_at FROM detection_firsts WHERE detector = 'first-admin-logon'").get();
    expect(row).toEqual({ alert_id: 'alt_0002', first_seen_at: T0 - HOUR });
  });
});

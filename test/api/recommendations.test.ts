import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, settle, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

describe('recommendations over GraphQL', () => {
  it("lists each alert's recommendations with reasons, and a case's without repeats", async () => {
    h = createHarness();
    const ids = h.services.pipeline.submit(
      [1, 2].map((i) => ({ log: `Nov 23 04:00:0${i} web-01 sshd[${100 + i}]: Failed password for root from 185.22.13.9 port ${40000 + i} ssh2` })),
    ).map((o) => (o.ok ? o.alert.id : ''));
    await settle(h);
    const { alert } = await h.ok(`query($id: ID!) { alert(id: $id) { recommendations { action target reason automatedBy } case { recommendations { action target } } } }`, { id: ids[0] });
    expect(alert.recommendations).toEqual([
      { action: 'BLOCK_IP', target: '185.22.13.9', reason: '185.22.13.9 is the source of the failed logins', automatedBy: ['brute-force'] },
      { action: 'ENABLE_RATE_LIMITING', target: 'sshd', reason: 'limit authentication attempts to sshd on web-01 (e.g. fail2ban, MaxAuthTries)', automatedBy: [] },
    ]);
    expect(alert.case.recommendations).toEqual([
      { action: 'BLOCK_IP', target: '185.22.13.9' },
      { action: 'ENABLE_RATE_LIMITING', target: 'sshd' },
    ]);
  });
});

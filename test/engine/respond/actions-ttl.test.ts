/** How long blocks last: a later, longer block of a held address extends it (finding 9); failing reverts back off (finding 8). */
import { afterEach, describe, expect, it } from 'vitest';
import { revertBackoff } from '../../../src/engine/respond/actions/revert.js';
import type { Harness } from '../../helpers/harness.js';
import { artifact, auditOf, request, withCase } from './actions-helpers.js';

let h: Harness;
afterEach(async () => h?.close());

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('a longer block of an address already blocked', () => {
  it('extends the block in force to the later end, audited, so the shorter TTL does not release it', async () => {
    ({ h } = await withCase());
    const first = await h.services.actions.execute(request(h, 'BLOCK_IP', { ip: '185.220.101.7', ttl: '1h' }).id);
    const firstEnd = h.clock() + HOUR;
    expect(first.revertAt).toBe(firstEnd);
    h.clock.advance(10 * 60_000);
    const longer = request(h, 'BLOCK_IP', { ip: '185.220.101.7', ttl: '24h' }, { actor: 'bob' });
    const end = h.clock() + 24 * HOUR;
    expect(longer).toMatchObject({ status: 'EXECUTED', revertAt: null });
    expect(artifact(longer)).toMatchObject({
      duplicateOf: first.id,
      extends: { from: firstEnd, to: end },
      note: `185.220.101.7 is already blocked by ${first.id} until ${iso(firstEnd)}; nothing was done again; ${first.id} was extended to hold until ${iso(end)} (it ended at ${iso(firstEnd)})`,
    });
    const held = h.services.actions.get(first.id)!;
    expect(held).toMatchObject({ status: 'EXECUTED', revertAt: end });
    expect(artifact(held)).toMatchObject({ revertAt: end, extended: { from: firstEnd, to: end, by: longer.id } });
    const extend = auditOf(h, first.id).find((a) => a.action === 'action.extend')!;
    expect(extend.actor).toBe('bob');
    expect([JSON.parse(extend.before!).revertAt, JSON.parse(extend.after!).revertAt]).toEqual([firstEnd, end]);

    // The first TTL passes: still blocked. The later end comes: reverted.
    h.clock.advance(HOUR);
    expect(await h.services.actions.sweepReverts()).toBe(0);
    expect(h.services.actions.get(first.id)!.status).toBe('EXECUTED');
    h.clock.advance(23 * HOUR);
    expect(await h.services.actions.sweepReverts()).toBe(1);
    expect(h.services.actions.get(first.id)!.status).toBe('REVERTED');
  });

  it('extends also when both were requested before either ran; a shorter or dry-run request changes nothing', async () => {
    ({ h } = await withCase());
    const a = request(h, 'ISOLATE_HOST', { host: 'web-01', ttl: '1h' });
    const b = request(h, 'ISOLATE_HOST', { host: 'web-01', ttl: '4h' });
    await h.services.actions.execute(a.id);
    const dup = await h.services.actions.execute(b.id);
    expect(artifact(dup)).toMatchObject({ duplicateOf: a.id, extends: { to: h.clock() + 4 * HOUR } });
    expect(h.services.actions.get(a.id)!.revertAt).toBe(h.clock() + 4 * HOUR);

    const shorter = request(h, 'ISOLATE_HOST', { host: 'web-01', ttl: '30m' });
    expect(artifact(shorter).extends).toBeUndefined();
    const plan = request(h, 'ISOLATE_HOST', { host: 'web-01', ttl: '8h' }, { dryRun: true });
    expect(artifact(plan).note).toContain(`${a.id} would be extended to hold until ${iso(h.clock() + 8 * HOUR)}`);
    expect(h.services.actions.get(a.id)!.revertAt).toBe(h.clock() + 4 * HOUR);
  });
});

describe('the backoff of a failing revert', () => {
  it('doubles from the retry interval up to an hour', () => {
    expect([1, 2, 3, 4, 6, 7, 50].map((n) => revertBackoff(60_000, n))).toEqual([60_000, 120_000, 240_000, 480_000, 1_920_000, HOUR, HOUR]);
    expect(revertBackoff(60_000, 0)).toBe(60_000);
    // An interval above the cap is kept as it is.
    expect(revertBackoff(2 * HOUR, 3)).toBe(2 * HOUR);
  });
});

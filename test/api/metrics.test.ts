import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, settle, T0, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
const sshFailure = (i: number, host: string, ip: string) => `Nov 23 04:00:${String(i).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`;

async function submit(...submissions: Array<{ log?: string; alert?: unknown }>): Promise<string> {
  const [first] = h.services.pipeline.submit(submissions);
  if (!first?.ok) throw new Error(JSON.stringify(first));
  await settle(h);
  return h.services.cases.linkOf(first.alert.id)!.caseId;
}

/** A status change exactly as the lifecycle records it: writer, then journal with audit action `case.status`. */
function setStatus(caseId: string, status: string, resolution: string | null = null) {
  h.services.cases.transaction(() => {
    const { before, after } = h.services.caseWriter.change(caseId, undefined, () => ({ status, resolution }));
    h.services.caseJournal.record({
      caseId,
      kind: 'STATUS_CHANGED',
      actor: 'alice',
      summary: `status ${before.status} -> ${after.status}`,
      audit: { action: 'case.status', before: { status: before.status, resolution: before.resolution }, after: { status: after.status, resolution: after.resolution } },
    });
  });
}

function reopen(caseId: string) {
  h.services.cases.transaction(() => {
    h.services.caseWriter.change(caseId, undefined, () => ({ status: 'IN_PROGRESS', resolution: null }));
    h.services.caseJournal.record({ caseId, kind: 'STATUS_CHANGED', actor: 'alice', summary: 'reopened', audit: { action: 'case.reopen', after: { status: 'IN_PROGRESS', reason: 'new evidence' } } });
  });
}

/** Opens cases at T0 (web-01), T0+1 min (db-02) and T0+2 min (malware on laptop-9), then works them. */
async function workedCases() {
  h = createHarness();
  const one = await submit({ log: sshFailure(1, 'web-01', '185.22.13.9') }, { log: sshFailure(2, 'web-01', '185.22.13.9') });
  h.clock.advance(MIN);
  const two = await submit({ log: sshFailure(3, 'db-02', '91.240.118.20') });
  h.clock.advance(MIN);
  const three = await submit({ alert: { message: 'Malware detected: Trojan.GenericKD quarantined failed, file C:\\Users\\bob\\invoice.exe', host: 'laptop-9', sha256: 'a'.repeat(64), program: 'defender' } });
  expect(new Set([one, two, three]).size).toBe(3);
  return { one, two, three };
}

const METRICS = `query($from: DateTime, $to: DateTime, $bucket: MetricsBucket) {
  metrics(from: $from, to: $to, bucket: $bucket) {
    from to bucket alertTotal casesCreated
    openCases { total bySeverity { severity count } byStatus { status count } }
    alertsByCategory { start end total counts { category count } }
    mtta { count meanMs medianMs }
    mttr { count meanMs medianMs }
  }
}`;

describe('metrics', () => {
  it('counts open cases by severity and status, skipping closed ones', async () => {
    const { one, three } = await workedCases();
    setStatus(one, 'IN_PROGRESS');
    setStatus(three, 'CLOSED', 'FALSE_POSITIVE');
    const { metrics } = await h.ok(METRICS, {}, h.tokens.VIEWER);
    const severities = [one, three].map((id) => h.services.cases.get(id)!.severity);
    const two = h.services.cases.get((await h.ok(`{ case(number: 2) { id } }`)).case.id)!;
    expect(metrics.openCases.total).toBe(2);
    expect(metrics.openCases.byStatus).toEqual([{ status: 'NEW', count: 1 }, { status: 'IN_PROGRESS', count: 1 }]);
    const expected = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].map((severity) => ({ severity, count: [severities[0], two.severity].filter((s) => s === severity).length }));
    expect(metrics.openCases.bySeverity).toEqual(expected);
  });

  it('computes MTTA and MTTR (mean, median, samples) from the audit log for cases opened in the range', async () => {
    const { one, two, three } = await workedCases();
    const at = (ms: number) => h.clock.set(T0 + ms);
    at(10 * MIN);
    setStatus(one, 'IN_PROGRESS'); // acknowledged after 10 min
    at(30 * MIN);
    setStatus(two, 'IN_PROGRESS'); // after 29 min (opened at +1 min)
    at(40 * MIN);
    setStatus(three, 'CLOSED', 'FALSE_POSITIVE'); // closed from NEW at triage after 38 min: acknowledged and resolved
    at(70 * MIN);
    setStatus(one, 'RESOLVED', 'TRUE_POSITIVE'); // after 70 min
    at(80 * MIN);
    reopen(one);
    at(90 * MIN);
    setStatus(one, 'RESOLVED', 'TRUE_POSITIVE'); // resolved again after 90 min: the latest resolution counts
    at(100 * MIN);
    setStatus(two, 'RESOLVED', 'TRUE_POSITIVE'); // after 99 min

    const all = (await h.ok(METRICS, { from: iso(T0), to: iso(T0 + 3 * HOUR) })).metrics;
    expect(all.casesCreated).toBe(3);
    expect(all.mtta).toEqual({ count: 3, meanMs: ((10 + 29 + 38) / 3) * MIN, medianMs: 29 * MIN });
    expect(all.mttr).toEqual({ count: 3, meanMs: ((90 + 99 + 38) / 3) * MIN, medianMs: 90 * MIN });
    expect(all.openCases.total).toBe(0);

    // Only the cases opened in the range count: here #1 and #2.
    const early = (await h.ok(METRICS, { from: iso(T0), to: iso(T0 + 90_000) })).metrics;
    expect(early.casesCreated).toBe(2);
    expect(early.mttr).toEqual({ count: 2, meanMs: 94.5 * MIN, medianMs: 94.5 * MIN });
    const none = (await h.ok(METRICS, { from: iso(T0 + 4 * HOUR), to: iso(T0 + 5 * HOUR) })).metrics;
    expect(none).toMatchObject({ casesCreated: 0, mtta: { count: 0, meanMs: null, medianMs: null } });
  });

  it('leaves out the statuses a merge and its undo implied', async () => {
    const { one, two } = await workedCases();
    const { operation } = h.services.caseLineage.merge(one, [two], 'alice');
    const merged = (await h.ok(METRICS, { from: iso(T0), to: iso(T0 + HOUR) })).metrics;
    expect(merged).toMatchObject({ mttr: { count: 0 }, mtta: { count: 0 }, openCases: { total: 2 } });
    h.services.caseLineage.undo(operation.id, 'alice');
    const undone = (await h.ok(METRICS, { from: iso(T0), to: iso(T0 + HOUR) })).metrics;
    expect(undone).toMatchObject({ mttr: { count: 0 }, mtta: { count: 0 }, openCases: { total: 3 } });
  });

  it('buckets alerts by category per hour or day, listing empty buckets, and refuses too many buckets', async () => {
    await workedCases(); // 3 brute-force alerts and 1 malware alert received between 04:00 and 04:02
    h.clock.advance(2 * HOUR);
    await submit({ log: sshFailure(9, 'web-07', '45.95.147.3') }); // 06:02
    const { metrics } = await h.ok(METRICS, { from: '2026-11-23T03:30:00Z', to: '2026-11-23T07:00:00Z', bucket: 'HOUR' });
    expect(metrics.alertsByCategory).toEqual([
      { start: '2026-11-23T03:00:00.000Z', end: '2026-11-23T04:00:00.000Z', total: 0, counts: [] },
      { start: '2026-11-23T04:00:00.000Z', end: '2026-11-23T05:00:00.000Z', total: 4, counts: [{ category: 'BRUTE_FORCE', count: 3 }, { category: 'MALWARE', count: 1 }] },
      { start: '2026-11-23T05:00:00.000Z', end: '2026-11-23T06:00:00.000Z', total: 0, counts: [] },
      { start: '2026-11-23T06:00:00.000Z', end: '2026-11-23T07:00:00.000Z', total: 1, counts: [{ category: 'BRUTE_FORCE', count: 1 }] },
    ]);
    expect(metrics.alertTotal).toBe(5);

    const byDay = (await h.ok(METRICS, { from: '2026-11-22T00:00:00Z', to: '2026-11-24T00:00:00Z', bucket: 'DAY' })).metrics;
    expect(byDay.alertsByCategory.map((b: any) => [b.start, b.total])).toEqual([
      ['2026-11-22T00:00:00.000Z', 0],
      ['2026-11-23T00:00:00.000Z', 5],
    ]);
    // The range is half-open: an alert exactly at `to` is left out.
    expect((await h.ok(METRICS, { from: '2026-11-23T03:00:00Z', to: iso(T0) })).metrics.alertTotal).toBe(0);

    const tooMany = await h.gql(METRICS, { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z', bucket: 'HOUR' });
    expect(tooMany.errors?.[0]).toMatchObject({ message: 'the range needs 1416 HOUR buckets, more than the 1000 allowed: narrow it or use a larger bucket', extensions: { code: 'BAD_USER_INPUT' } });
    const backwards = await h.gql(METRICS, { from: '2026-11-23T05:00:00Z', to: '2026-11-23T04:00:00Z' });
    expect(backwards.errors?.[0]?.message).toBe('`to` must be after `from`');
  });
});

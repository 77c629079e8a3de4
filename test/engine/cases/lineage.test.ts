import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors.js';
import type { OperationDetail } from '../../../src/engine/cases/lineage-detail.js';
import { createHarness, settle, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const sshFailure = (i: number, host: string, ip: string) => `Nov 23 04:00:${String(i).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`;
const malware = { message: 'Malware detected: Trojan.GenericKD quarantined failed, file C:\\Users\\bob\\invoice.exe', host: 'laptop-9', sha256: 'a'.repeat(64), program: 'defender' };

function submit(...submissions: Array<{ log?: string; alert?: unknown }>): string[] {
  return h.services.pipeline.submit(submissions).map((o) => {
    if (!o.ok) throw new Error(JSON.stringify(o));
    return o.alert.id;
  });
}
const caseOf = (alertId: string) => h.services.cases.linkOf(alertId)!.caseId;
const get = (caseId: string) => h.services.cases.get(caseId)!;
const lineage = () => h.services.caseLineage;

/** Four cases from real log lines: distinct hosts and addresses (and one malware alert) make distinct cases. */
async function fourCases(env: Record<string, string> = {}) {
  h = createHarness(env);
  const a = submit({ log: sshFailure(1, 'web-01', '185.22.13.9') }, { log: sshFailure(2, 'web-01', '185.22.13.9') }, { log: sshFailure(3, 'web-01', '185.22.13.9') });
  await settle(h);
  h.clock.advance(60_000);
  const b = submit({ log: sshFailure(4, 'db-02', '203.0.113.50') }, { log: sshFailure(5, 'db-02', '203.0.113.50') });
  await settle(h);
  h.clock.advance(60_000);
  const c = submit({ log: sshFailure(6, 'mail-03', '198.51.100.23') });
  await settle(h);
  h.clock.advance(60_000);
  const d = submit({ alert: malware });
  await settle(h);
  h.clock.advance(60_000);
  const ids = [a, b, c, d].map((alerts) => caseOf(alerts[0]!));
  expect(new Set(ids).size).toBe(4);
  for (const [i, alerts] of [a, b, c, d].entries()) for (const alert of alerts) expect(caseOf(alert)).toBe(ids[i]);
  return { alerts: { a, b, c, d }, cases: { a: ids[0]!, b: ids[1]!, c: ids[2]!, d: ids[3]! } };
}

/** Everything a case holds and derives, except its version and update time (which grow on every change). */
function state(caseId: string) {
  const { version: _v, updatedAt: _u, ...rest } = get(caseId);
  return {
    ...rest,
    links: h.services.cases.linksOf(caseId),
    observables: h.services.caseQueries.observablesOf(caseId).map((o) => ({ ioc: o.id, role: o.role, isIoc: o.isIoc })),
  };
}

const auditOf = (caseId: string) =>
  h.services.database.sqlite.prepare('SELECT action, before, after FROM audit_log WHERE entity_id = ? ORDER BY rowid').all(caseId) as Array<{ action: string; before: string | null; after: string | null }>;
const eventKinds = (caseId: string) => h.services.cases.eventsOf(caseId).map((e) => e.kind);

function expectError<E extends Error>(fn: () => unknown, type: new (...args: never[]) => E, message: RegExp): E {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    return error as E;
  }
  throw new Error(`expected ${type.name} matching ${message}`);
}

describe('merge', () => {
  it('merges three cases into one and undo restores every case exactly', async () => {
    const { alerts, cases } = await fourCases();
    const writer = h.services.caseWriter;
    writer.change(cases.b, undefined, () => ({ tags: JSON.stringify(['vip', 'ssh']), status: 'IN_PROGRESS' }));
    writer.change(cases.d, undefined, () => ({ tlp: 'RED' }));
    writer.change(cases.a, undefined, () => ({ tags: JSON.stringify(['ssh']) }));
    const before = Object.fromEntries(Object.values(cases).map((id) => [id, state(id)]));
    const techniquesOfD = JSON.parse(get(cases.d).techniques) as string[];
    const versionOfB = get(cases.b).version;

    const result = lineage().merge(cases.a, [cases.b, cases.c, cases.d], 'alice');
    const [nA, nB, nC, nD] = [cases.a, cases.b, cases.c, cases.d].map((id) => get(id).number);
    expect(result.target).toMatchObject({ id: cases.a, alertCount: 7, status: 'NEW', tlp: 'RED' });
    expect(JSON.parse(result.target.tags)).toEqual(['ssh', 'vip']);
    expect(JSON.parse(result.target.techniques)).toEqual(expect.arrayContaining(['T1110.001', ...techniquesOfD]));
    for (const id of [cases.b, cases.c, cases.d]) {
      expect(get(id)).toMatchObject({ status: 'CLOSED', resolution: 'DUPLICATE', mergedInto: cases.a, alertCount: 0, foldedCount: 0 });
    }
    for (const alert of [...alerts.b, ...alerts.c, ...alerts.d]) expect(caseOf(alert)).toBe(cases.a);
    expect(h.services.cases.linkOf(alerts.b[0]!)).toMatchObject({ linkedBy: 'MERGE', reason: `merged from case #${nB}`, addedBy: 'alice' });
    expect(h.services.cases.linkOf(alerts.d[0]!)!.reason).toBe(`merged from case #${nD}`);
    expect(h.services.caseQueries.observablesOf(cases.a).map((o) => o.value)).toEqual(expect.arrayContaining(['203.0.113.50', '198.51.100.23']));

    // The operation row (with its moved alerts and cases) holds what undo needs.
    expect(result.operation).toMatchObject({ kind: 'MERGE', actor: 'alice', targetCaseId: cases.a, undoneAt: null, movedAlertCount: 4 });
    expect(result.operation.id).toMatch(/^cop_/);
    const detail = JSON.parse(result.operation.detail) as OperationDetail;
    expect(lineage().casesOf(result.operation.id).filter((c) => c.role === 'SOURCE').map((c) => c.caseId)).toEqual([cases.b, cases.c, cases.d]);
    const movedAlerts = lineage().movedAlertsOf(result.operation.id, null, 100);
    expect(movedAlerts).toHaveLength(4);
    const priorLink = before[cases.b]!.links.find((l) => l.alertId === alerts.b[1])!;
    expect(movedAlerts.find((m) => m.alertId === alerts.b[1])).toEqual({
      alertId: alerts.b[1],
      fromCaseId: cases.b,
      linkedBy: priorLink.linkedBy,
      reason: priorLink.reason,
      addedBy: priorLink.addedBy,
      addedAt: priorLink.addedAt,
    });
    expect(detail.before[cases.b]).toMatchObject({ status: 'IN_PROGRESS', resolution: null, mergedInto: null, version: versionOfB });
    expect(detail.addedTags).toEqual(['vip']);

    // Journal: MERGED on every case, case.merge audits, and case.status for each source that closed.
    expect(eventKinds(cases.a).at(-1)).toBe('MERGED');
    expect(eventKinds(cases.b).slice(-2)).toEqual(['MERGED', 'STATUS_CHANGED']);
    const statusAudit = auditOf(cases.b).find((e) => e.action === 'case.status' && JSON.parse(e.after!).status === 'CLOSED')!;
    expect(JSON.parse(statusAudit.before!)).toEqual({ status: 'IN_PROGRESS', resolution: null });
    expect(JSON.parse(statusAudit.after!)).toEqual({ status: 'CLOSED', resolution: 'DUPLICATE', via: 'lineage' });
    const mergeAudit = auditOf(cases.a).find((e) => e.action === 'case.merge')!;
    expect(JSON.parse(mergeAudit.before!)).toMatchObject({ alertCount: 3 });
    expect(JSON.parse(mergeAudit.after!)).toMatchObject({ alertCount: 7, operationId: result.operation.id, sourceCaseIds: [cases.b, cases.c, cases.d] });
    expect(lineage().operationsOf(cases.c, 10).map((o) => o.id)).toEqual([result.operation.id]);
    expect(lineage().mergedCasesOf(cases.a, 10).map((c) => c.number)).toEqual([nB, nC, nD]);

    h.clock.advance(1000);
    const undone = lineage().undo(result.operation.id, 'bob');
    expect(undone.operation).toMatchObject({ undoneBy: 'bob', undoneAt: h.clock() });
    for (const id of Object.values(cases)) expect(state(id)).toEqual(before[id]);
    expect(nA).toBe(get(cases.a).number);
    expect(lineage().mergedCasesOf(cases.a, 10)).toEqual([]);
    for (const id of Object.values(cases)) expect(eventKinds(id)).toContain('UNDONE');
    const restored = auditOf(cases.b).filter((e) => e.action === 'case.status').at(-1)!;
    expect(JSON.parse(restored.after!)).toEqual({ status: 'IN_PROGRESS', resolution: null, via: 'lineage' });
    const undoAudit = auditOf(cases.a).find((e) => e.action === 'case.undo')!;
    expect(JSON.parse(undoAudit.after!)).toMatchObject({ alertCount: 3, operationId: result.operation.id, kind: 'MERGE' });
  });

  it('keeps the count of storm-folded alerts through a merge and its undo', async () => {
    h = createHarness({ VIGIL_CASE_STORM_THRESHOLD: '1' });
    // One brute-force case is the storm threshold here: the second, unrelated one folds into it.
    const [first, folded] = submit({ log: sshFailure(1, 'web-01', '185.22.13.9') }, { log: sshFailure(2, 'db-02', '203.0.113.50') });
    const [other] = submit({ alert: malware });
    await settle(h);
    const storm = caseOf(first!);
    expect(caseOf(folded!)).toBe(storm);
    expect(get(storm)).toMatchObject({ alertCount: 2, foldedCount: 1 });
    const target = caseOf(other!);
    const before = [state(storm), state(target)];
    const { operation } = lineage().merge(target, [storm], 'alice');
    expect(get(storm).foldedCount).toBe(0);
    lineage().undo(operation.id, 'alice');
    expect([state(storm), state(target)]).toEqual(before);

    const split = lineage().split(storm, [folded!], 'alice');
    expect(get(storm)).toMatchObject({ alertCount: 1, foldedCount: 0 });
    expect(split.created).toMatchObject({ alertCount: 1, foldedCount: 0 });
    lineage().undo(split.operation.id, 'alice');
    expect(get(storm)).toMatchObject({ alertCount: 2, foldedCount: 1 });
  });

  it('refuses bad merges with clear errors and changes nothing', async () => {
    const { cases } = await fourCases();
    const versions = Object.values(cases).map((id) => get(id).version);
    const m = (target: string, sources: string[], expected?: Record<string, number>) => () => lineage().merge(target, sources, 'alice', expected);
    expectError(m(cases.a, [cases.a]), ValidationError, /cannot be merged into itself/);
    expectError(m(cases.a, []), ValidationError, /at least one case/);
    expectError(m(cases.a, [cases.b, cases.b]), ValidationError, new RegExp(`case ${cases.b} is listed twice`));
    const many = expectError(m(cases.a, Array.from({ length: 21 }, (_, i) => `cas_${i}`)), ValidationError, /at most 20 cases/);
    expect(many.code).toBe('BATCH_TOO_LARGE');
    expectError(m(cases.a, ['cas_nope']), NotFoundError, /no case with id cas_nope/);
    expectError(m(cases.a, [cases.b], { [cases.c]: 1 }), ValidationError, /is not part of this merge/);

    h.services.caseWriter.change(cases.d, undefined, () => ({ status: 'CLOSED', resolution: 'FALSE_POSITIVE' }));
    expectError(m(cases.d, [cases.b]), ConflictError, new RegExp(`case #${get(cases.d).number} is CLOSED: reopen it before merging`));
    lineage().merge(cases.a, [cases.c], 'alice');
    expectError(m(cases.b, [cases.c]), ConflictError, new RegExp(`case #${get(cases.c).number} was already merged into #${get(cases.a).number}`));
    expectError(m(cases.c, [cases.b]), ConflictError, new RegExp(`was merged into #${get(cases.a).number}: use that case instead`));
    expect(get(cases.b).version).toBe(versions[1]);
    expect(lineage().operationsOf(cases.b, 10)).toEqual([]);
  });

  it('refuses a merge made from a stale read, naming the current version, and applies it once re-read', async () => {
    const { alerts, cases } = await fourCases();
    const read = { [cases.a]: get(cases.a).version, [cases.b]: get(cases.b).version };
    // Someone else changes case B between our read and our merge.
    h.services.caseWriter.change(cases.b, read[cases.b], () => ({ assignee: 'carol' }));
    const error = expectError(() => lineage().merge(cases.a, [cases.b], 'alice', read), ConflictError, /was changed by someone else: you sent version \d+, it is now at version \d+/);
    expect(error.currentVersion).toBe(get(cases.b).version);
    expect(get(cases.b)).toMatchObject({ status: 'NEW', mergedInto: null, alertCount: 2 });
    expect(caseOf(alerts.b[0]!)).toBe(cases.b);
    expect(eventKinds(cases.a)).not.toContain('MERGED');

    const merged = lineage().merge(cases.a, [cases.b], 'alice', { ...read, [cases.b]: error.currentVersion! });
    expect(merged.target.alertCount).toBe(5);
  });
});

describe('split and move', () => {
  it('detaches alerts into a new case and undo puts them back, closing the emptied case as a duplicate', async () => {
    const { alerts, cases } = await fourCases();
    h.services.caseWriter.change(cases.a, undefined, () => ({ tlp: 'RED', tags: JSON.stringify(['ssh']) }));
    const before = state(cases.a);
    const number = get(cases.a).number;
    const detached = [alerts.a[2]!, alerts.a[1]!];

    const { operation, source, created } = lineage().split(cases.a, detached, 'alice', { title: 'Second wave' });
    expect(created).toMatchObject({ title: 'Second wave', status: 'NEW', alertCount: 2, tlp: 'RED', createdBy: 'alice', category: 'BRUTE_FORCE' });
    expect(JSON.parse(created.tags)).toEqual(['ssh']);
    expect(source).toMatchObject({ id: cases.a, alertCount: 1 });
    expect(h.services.cases.linksOf(created.id).map((l) => [l.alertId, l.linkedBy, l.reason])).toEqual(
      expect.arrayContaining(detached.map((id) => [id, 'SPLIT', `split from case #${number}`])),
    );
    expect(caseOf(alerts.a[0]!)).toBe(cases.a);
    expect(operation).toMatchObject({ kind: 'SPLIT', targetCaseId: created.id });
    expect(lineage().casesOf(operation.id)).toEqual([{ caseId: created.id, role: 'CREATED' }, { caseId: cases.a, role: 'SOURCE' }]);
    expect(eventKinds(cases.a).at(-1)).toBe('SPLIT');
    expect(eventKinds(created.id)).toEqual(['CREATED', 'SPLIT']);
    expect(auditOf(cases.a).at(-1)).toMatchObject({ action: 'case.split' });
    expect(lineage().operationsOf(created.id, 10).map((o) => o.id)).toEqual([operation.id]);
    expect(lineage().operationsOf(cases.a, 10).map((o) => o.id)).toEqual([operation.id]);

    lineage().undo(operation.id, 'alice');
    expect(state(cases.a)).toEqual(before);
    expect(get(created.id)).toMatchObject({ status: 'CLOSED', resolution: 'DUPLICATE', mergedInto: cases.a, alertCount: 0 });
    const closing = auditOf(created.id).find((e) => e.action === 'case.status')!;
    expect(JSON.parse(closing.after!)).toEqual({ status: 'CLOSED', resolution: 'DUPLICATE', via: 'lineage' });
  });

  it('leaves the split case open after undo when other alerts joined it since', async () => {
    const { alerts, cases } = await fourCases();
    const { operation, created } = lineage().split(cases.a, [alerts.a[1]!], 'alice');
    lineage().move(alerts.b[0]!, created.id, 'alice');
    lineage().undo(operation.id, 'alice');
    expect(get(created.id)).toMatchObject({ status: 'NEW', mergedInto: null, alertCount: 1 });
    expect(get(cases.a).alertCount).toBe(3);
  });

  it('moves an alert between cases and undo restores both', async () => {
    const { alerts, cases } = await fourCases();
    const before = [state(cases.a), state(cases.b)];
    const { operation, from, to } = lineage().move(alerts.a[1]!, cases.b, 'alice');
    expect(from).toMatchObject({ id: cases.a, alertCount: 2 });
    expect(to).toMatchObject({ id: cases.b, alertCount: 3 });
    expect(h.services.cases.linkOf(alerts.a[1]!)).toMatchObject({ caseId: cases.b, linkedBy: 'MOVE', reason: `moved from case #${get(cases.a).number}` });
    expect(eventKinds(cases.a).at(-1)).toBe('ALERT_REMOVED');
    expect(eventKinds(cases.b).at(-1)).toBe('ALERT_ADDED');
    expect(auditOf(cases.b).at(-1)!.action).toBe('case.move');

    lineage().undo(operation.id, 'alice');
    expect([state(cases.a), state(cases.b)]).toEqual(before);
  });

  it('refuses bad splits and moves', async () => {
    const { alerts, cases } = await fourCases();
    const n = (id: string) => get(id).number;
    expectError(() => lineage().split(cases.a, [], 'alice'), ValidationError, /at least one alert/);
    expectError(() => lineage().split(cases.a, alerts.a, 'alice'), ValidationError, new RegExp(`all the alerts of case #${n(cases.a)}: nothing would remain`));
    expectError(() => lineage().split(cases.a, [alerts.b[0]!], 'alice'), ValidationError, new RegExp(`alert ${alerts.b[0]} is not in case #${n(cases.a)}`));
    expectError(() => lineage().split(cases.a, [alerts.a[0]!, alerts.a[0]!], 'alice'), ValidationError, /listed twice/);
    expectError(() => lineage().split(cases.a, [alerts.a[0]!], 'alice', { expectedVersion: 1 }), ConflictError, /changed by someone else/);
    expectError(() => lineage().move(alerts.a[0]!, cases.a, 'alice'), ValidationError, new RegExp(`already in case #${n(cases.a)}`));
    expectError(() => lineage().move(alerts.c[0]!, cases.a, 'alice'), ValidationError, /is the only alert of case .*merge that case/);
    expectError(() => lineage().move('alt_nope', cases.a, 'alice'), NotFoundError, /no alert with id alt_nope/);
    h.services.caseWriter.change(cases.b, undefined, () => ({ status: 'RESOLVED', resolution: 'TRUE_POSITIVE' }));
    expectError(() => lineage().move(alerts.a[0]!, cases.b, 'alice'), ConflictError, new RegExp(`case #${n(cases.b)} is RESOLVED: reopen it before moving alerts into`));
    expect(get(cases.a).alertCount).toBe(3);
    expect(lineage().operationsOf(cases.a, 10)).toEqual([]);
  });
});

describe('undo', () => {
  it('refuses to undo twice or an unknown operation', async () => {
    const { alerts, cases } = await fourCases();
    const { operation } = lineage().move(alerts.a[0]!, cases.b, 'alice');
    lineage().undo(operation.id, 'bob');
    expectError(() => lineage().undo(operation.id, 'carol'), ConflictError, new RegExp(`move ${operation.id} was already undone by bob at 2026-11-23T`));
    expect(get(cases.b).alertCount).toBe(2);
    expectError(() => lineage().undo('cop_nope', 'carol'), NotFoundError, /no case operation with id cop_nope/);
  });

  it('refuses when a moved alert has since moved elsewhere, and works again once that is undone', async () => {
    const { alerts, cases } = await fourCases();
    const merge = lineage().merge(cases.a, [cases.b], 'alice');
    const later = lineage().move(alerts.b[1]!, cases.c, 'alice');
    const versions = [get(cases.a).version, get(cases.b).version];
    expectError(() => lineage().undo(merge.operation.id, 'alice'), ConflictError, new RegExp(`alert ${alerts.b[1]} has since moved to case #${get(cases.c).number}`));
    expect([get(cases.a).version, get(cases.b).version]).toEqual(versions);
    expect(lineage().get(merge.operation.id)!.undoneAt).toBeNull();

    lineage().undo(later.operation.id, 'alice');
    lineage().undo(merge.operation.id, 'alice');
    expect(get(cases.b)).toMatchObject({ status: 'NEW', mergedInto: null, alertCount: 2 });
  });

  it('refuses when a case it involved has since been merged by a later operation, and says which', async () => {
    const { alerts, cases } = await fourCases();
    const n = (id: string) => get(id).number;
    const split = lineage().split(cases.a, [alerts.a[2]!], 'alice');
    lineage().merge(cases.c, [split.created.id], 'alice');
    expectError(() => lineage().undo(split.operation.id, 'alice'), ConflictError, new RegExp(`cannot undo split ${split.operation.id}: alert ${alerts.a[2]} has since moved to case #${n(cases.c)}`));

    // The moved alert stays put, but the case it came from was merged away: undoing would put it into a merged case.
    const move = lineage().move(alerts.a[0]!, cases.b, 'alice');
    lineage().merge(cases.d, [cases.a], 'alice');
    expectError(
      () => lineage().undo(move.operation.id, 'alice'),
      ConflictError,
      new RegExp(`cannot undo move ${move.operation.id}: case #${n(cases.a)} has since been merged into #${n(cases.d)} by a later operation; undo that merge first`),
    );
    expect(caseOf(alerts.a[0]!)).toBe(cases.b);
  });
});

describe('merged cases and the lifecycle', () => {
  it('refuses to reopen a case merged into another, pointing at undo, and reopens it after the merge is undone', async () => {
    const { cases } = await fourCases();
    const { operation } = lineage().merge(cases.a, [cases.b], 'alice');
    const merged = get(cases.b);
    expect(merged).toMatchObject({ status: 'CLOSED', resolution: 'DUPLICATE', mergedInto: cases.a });
    expectError(() => h.services.caseLifecycle.reopen(cases.b, merged.version, 'wrong merge', 'bob'), ConflictError, /was merged into .*undo the merge/);
    lineage().undo(operation.id, 'alice');
    expect(get(cases.b)).toMatchObject({ status: 'NEW', mergedInto: null });
  });
});

describe('recomputing a case', () => {
  it('keeps a severity set by hand through a split and its undo, while an untouched case follows its alerts', async () => {
    const { alerts, cases } = await fourCases();
    const before = get(cases.a);
    expect(before.severity).toBe('HIGH');
    h.services.caseLifecycle.update(cases.a, before.version, { severity: 'LOW' }, 'alice');
    expect(get(cases.a)).toMatchObject({ severity: 'LOW', severitySetBy: 'alice' });
    const { operation, created } = lineage().split(cases.a, [alerts.a[2]!], 'alice');
    expect(get(cases.a)).toMatchObject({ severity: 'LOW', alertCount: 2 });
    expect(created).toMatchObject({ severity: 'HIGH', severitySetBy: null });
    lineage().undo(operation.id, 'alice');
    expect(get(cases.a)).toMatchObject({ severity: 'LOW', alertCount: 3, techniques: before.techniques, firstAlertAt: before.firstAlertAt, lastAlertAt: before.lastAlertAt, score: before.score });
    const timeline = h.services.database.sqlite.prepare("SELECT after FROM audit_log WHERE entity_id = ? AND action = 'case.update'").all(cases.a) as Array<{ after: string }>;
    expect(JSON.parse(timeline[0]!.after)).toEqual({ severity: 'LOW', severitySetBy: 'alice' });
  });
});

describe('observable overrides', () => {
  it('drops an override whose indicator left the case with its alert', async () => {
    const { alerts, cases } = await fourCases();
    const sample = await (async () => {
      const [id] = submit({ log: sshFailure(9, 'web-01', '193.1.2.3') });
      await settle(h);
      return id!;
    })();
    expect(caseOf(sample)).toBe(cases.a);
    const ioc = h.services.iocs.find('IPV4', '193.1.2.3')!;
    h.services.caseLifecycle.setObservableIoc(cases.a, ioc.id, false, 'alice');
    const marked = () => h.services.caseQueries.observablesOf(cases.a).filter((o) => o.id === ioc.id);
    expect(marked()).toMatchObject([{ isIoc: false, overriddenBy: 'alice' }]);
    lineage().split(cases.a, [sample], 'alice');
    expect(marked()).toEqual([]);
    expect(get(cases.a).alertCount).toBe(alerts.a.length);
  });
});

describe('optimistic concurrency on single moves and overrides', () => {
  it('refuses a move or an observable override sent with a stale version, changing nothing', async () => {
    const { alerts, cases } = await fourCases();
    const stale = get(cases.b).version - 1;
    expectError(() => lineage().move(alerts.a[0]!, cases.b, 'alice', stale), ConflictError, /you sent version/);
    expect(caseOf(alerts.a[0]!)).toBe(cases.a);
    const ioc = h.services.iocs.find('IPV4', '185.22.13.9')!;
    expectError(() => h.services.caseLifecycle.setObservableIoc(cases.a, ioc.id, false, 'alice', get(cases.a).version - 1), ConflictError, /you sent version/);
    expect(h.services.caseQueries.observablesOf(cases.a).find((o) => o.id === ioc.id)).toMatchObject({ isIoc: true, overriddenBy: null });
    lineage().move(alerts.a[0]!, cases.b, 'alice', get(cases.b).version);
    expect(caseOf(alerts.a[0]!)).toBe(cases.b);
  });
});

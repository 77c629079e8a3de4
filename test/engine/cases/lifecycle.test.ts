import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors.js';
import type { CaseRecord } from '../../../src/store/records.js';
import { createHarness, settle, T0, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const ANALYST = 'alice';
const sshFailure = (i: number, host: string, ip: string) => `Nov 23 04:00:${String(i % 60).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`;

function start() {
  // A high storm threshold: each test opens many unrelated cases of one kind and wants each to stay its own.
  h = createHarness({ VIGIL_CASE_STORM_THRESHOLD: '10000' });
  return h.services.caseLifecycle;
}

let opened = 0;
/** A fresh case opened by the pipeline from a real sshd line on its own host and source address. */
async function openCase(): Promise<CaseRecord> {
  opened += 1;
  const [outcome] = h.services.pipeline.submit([{ log: sshFailure(opened, `host-${opened}`, `185.22.13.${opened}`) }]);
  if (!outcome?.ok) throw new Error(JSON.stringify(outcome));
  await settle(h);
  const link = h.services.cases.linkOf(outcome.alert.id);
  if (!link) throw new Error('the alert was not cased');
  return h.services.cases.get(link.caseId)!;
}

const auditOf = (caseId: string) =>
  h.services.database.sqlite
    .prepare<[string], { actor: string; action: string; before: string | null; after: string | null; createdAt: number }>(
      "SELECT actor, action, before, after, created_at AS createdAt FROM audit_log WHERE entity_type = 'Case' AND entity_id = ? ORDER BY created_at, id",
    )
    .all(caseId)
    .map((r) => ({ ...r, before: r.before && JSON.parse(r.before), after: r.after && JSON.parse(r.after) }));

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

const STATUSES = ['NEW', 'IN_PROGRESS', 'RESOLVED', 'CLOSED'] as const;
/** What changeStatus may do, written out here rather than read from the code under test. */
const ALLOWED: Record<string, string[]> = { NEW: ['IN_PROGRESS', 'CLOSED'], IN_PROGRESS: ['RESOLVED', 'CLOSED'], RESOLVED: ['CLOSED'], CLOSED: [] };
const resolutionFor = (to: string) => (to === 'RESOLVED' || to === 'CLOSED' ? 'TRUE_POSITIVE' : null);

describe('case status transitions', () => {
  it('allows every listed transition and refuses every other one with a ConflictError naming from, to and the allowed targets', async () => {
    const lifecycle = start();
    const pathTo: Record<string, Array<[string, string | null]>> = {
      NEW: [],
      IN_PROGRESS: [['IN_PROGRESS', null]],
      RESOLVED: [['IN_PROGRESS', null], ['RESOLVED', 'BENIGN_POSITIVE']],
      CLOSED: [['CLOSED', 'FALSE_POSITIVE']],
    };
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        let c = await openCase();
        for (const [status, resolution] of pathTo[from]!) c = lifecycle.changeStatus(c.id, c.version, status, resolution, ANALYST);
        expect(c.status).toBe(from);
        const auditRows = auditOf(c.id).length;
        if (ALLOWED[from]!.includes(to)) {
          const after = lifecycle.changeStatus(c.id, c.version, to, resolutionFor(to), ANALYST);
          expect(after, `${from} -> ${to}`).toMatchObject({ status: to, resolution: resolutionFor(to), version: c.version + 1 });
          expect(auditOf(c.id).at(-1)).toMatchObject({ action: 'case.status', actor: ANALYST, before: { status: from, resolution: c.resolution }, after: { status: to, resolution: resolutionFor(to) } });
        } else {
          const error = thrown(() => lifecycle.changeStatus(c.id, c.version, to, resolutionFor(to), ANALYST));
          expect(error, `${from} -> ${to}`).toBeInstanceOf(ConflictError);
          expect(error.message).toContain(`from ${from} to ${to}`);
          expect(error.message).toContain(`it can go to ${ALLOWED[from]!.length ? ALLOWED[from]!.join(' or ') : 'nowhere'}`);
          if (from === to) expect(error.message).toContain(`it is already ${to}`);
          if (from === 'RESOLVED' || from === 'CLOSED') expect(error.message).toContain('reopen it with a reason');
          expect((error as ConflictError).currentVersion).toBeNull();
          expect(h.services.cases.get(c.id)).toMatchObject({ status: from, version: c.version });
          expect(auditOf(c.id)).toHaveLength(auditRows);
        }
      }
    }
  });

  it('requires a resolution for RESOLVED and CLOSED, refuses one otherwise, and requires the version read', async () => {
    const lifecycle = start();
    const c = await openCase();
    const missing = thrown(() => lifecycle.changeStatus(c.id, c.version, 'CLOSED', null, ANALYST)) as ValidationError;
    expect(missing).toBeInstanceOf(ValidationError);
    expect(missing).toMatchObject({ code: 'MISSING', field: 'resolution' });
    expect(thrown(() => lifecycle.changeStatus(c.id, c.version, 'IN_PROGRESS', 'TRUE_POSITIVE', ANALYST))).toMatchObject({ code: 'INVALID_VALUE', field: 'resolution' });
    expect(thrown(() => lifecycle.changeStatus(c.id, c.version, 'CLOSED', 'MAYBE', ANALYST))).toMatchObject({ code: 'INVALID_VALUE', field: 'resolution' });
    expect(thrown(() => lifecycle.changeStatus(c.id, c.version, 'DONE', null, ANALYST))).toMatchObject({ code: 'INVALID_VALUE', field: 'status' });
    expect(thrown(() => lifecycle.changeStatus(c.id, undefined, 'IN_PROGRESS', null, ANALYST))).toMatchObject({ code: 'MISSING', field: 'expectedVersion' });
    expect(thrown(() => lifecycle.changeStatus('cas_nope', 1, 'IN_PROGRESS', null, ANALYST))).toBeInstanceOf(NotFoundError);
    expect(h.services.cases.get(c.id)).toMatchObject({ status: 'NEW', version: c.version });

    const working = lifecycle.changeStatus(c.id, c.version, 'IN_PROGRESS', undefined, ANALYST, '  looking at it  ');
    const closed = lifecycle.changeStatus(c.id, working.version, 'CLOSED', 'DUPLICATE', 'bob');
    expect(closed).toMatchObject({ status: 'CLOSED', resolution: 'DUPLICATE' });
    expect(auditOf(c.id).filter((r) => r.action === 'case.status').map((r) => [r.actor, r.before, r.after])).toEqual([
      [ANALYST, { status: 'NEW', resolution: null }, { status: 'IN_PROGRESS', resolution: null, comment: 'looking at it' }],
      ['bob', { status: 'IN_PROGRESS', resolution: null }, { status: 'CLOSED', resolution: 'DUPLICATE' }],
    ]);
  });

  it('reopens RESOLVED and CLOSED cases with a reason, clearing the resolution, and refuses to reopen open ones', async () => {
    const lifecycle = start();
    for (const [path, closedAs] of [[['IN_PROGRESS', 'RESOLVED'], 'RESOLVED'], [['CLOSED'], 'CLOSED']] as const) {
      let c = await openCase();
      for (const status of path) c = lifecycle.changeStatus(c.id, c.version, status, resolutionFor(status), ANALYST);
      expect(c.status).toBe(closedAs);
      const viaStatus = thrown(() => lifecycle.changeStatus(c.id, c.version, 'IN_PROGRESS', null, ANALYST));
      expect(viaStatus).toBeInstanceOf(ConflictError);
      expect(viaStatus.message).toContain('reopen it with a reason');
      expect(thrown(() => lifecycle.reopen(c.id, c.version, null, ANALYST))).toMatchObject({ code: 'MISSING', field: 'reason' });
      expect(thrown(() => lifecycle.reopen(c.id, c.version, '   ', ANALYST))).toMatchObject({ code: 'EMPTY', field: 'reason' });
      h.clock.advance(1000);
      const reopened = lifecycle.reopen(c.id, c.version, 'same IP seen again', 'bob');
      expect(reopened).toMatchObject({ status: 'IN_PROGRESS', resolution: null, version: c.version + 1, updatedAt: h.clock() });
      expect(auditOf(c.id).at(-1)).toEqual({
        actor: 'bob',
        action: 'case.reopen',
        before: { status: closedAs, resolution: 'TRUE_POSITIVE' },
        after: { status: 'IN_PROGRESS', reason: 'same IP seen again' },
        createdAt: h.clock(),
      });
      expect(h.services.cases.eventsOf(c.id).at(-1)).toMatchObject({ kind: 'STATUS_CHANGED', actor: 'bob' });
      // Worked again, it can be resolved again.
      expect(lifecycle.changeStatus(c.id, reopened.version, 'RESOLVED', 'FALSE_POSITIVE', ANALYST).status).toBe('RESOLVED');
    }
    const fresh = await openCase();
    const notClosed = thrown(() => lifecycle.reopen(fresh.id, fresh.version, 'why not', ANALYST));
    expect(notClosed).toBeInstanceOf(ConflictError);
    expect(notClosed.message).toBe(`cannot reopen case #${fresh.number}: it is NEW; only RESOLVED or CLOSED cases can be reopened (from NEW it can go to IN_PROGRESS or CLOSED)`);
  });
});

describe('concurrent edits', () => {
  it('lets the first of two writers holding the same version win and gives the second a ConflictError with the current version', async () => {
    const lifecycle = start();
    const c = await openCase();
    const first = lifecycle.update(c.id, c.version, { title: 'SSH brute force, host-1' }, ANALYST);
    expect(first.version).toBe(c.version + 1);
    const second = thrown(() => lifecycle.assign(c.id, c.version, 'bob', 'bob')) as ConflictError;
    expect(second).toBeInstanceOf(ConflictError);
    expect(second.currentVersion).toBe(first.version);
    expect(second.message).toContain(`you sent version ${c.version}, it is now at version ${first.version}`);
    expect(thrown(() => lifecycle.changeStatus(c.id, c.version, 'IN_PROGRESS', null, 'bob'))).toMatchObject({ currentVersion: first.version });
    expect(h.services.cases.get(c.id)).toMatchObject({ title: 'SSH brute force, host-1', assignee: null, status: 'NEW', version: first.version });
    expect(auditOf(c.id).map((r) => r.action)).toEqual(['case.create', 'case.update']);
    // Retrying with the version it now has succeeds.
    expect(lifecycle.assign(c.id, second.currentVersion, 'bob', 'bob').assignee).toBe('bob');
  });

  it('treats an alert joining the case as a change: an edit based on the version before it is stale', async () => {
    const lifecycle = start();
    const c = await openCase();
    h.services.pipeline.submit([{ log: sshFailure(opened + 100, `host-${opened}`, `185.22.13.${opened}`) }]);
    await settle(h);
    const now = h.services.cases.get(c.id)!;
    expect(now.alertCount).toBe(2);
    expect(thrown(() => lifecycle.update(c.id, c.version, { severity: 'LOW' }, ANALYST))).toMatchObject({ currentVersion: now.version });
  });
});

describe('field changes and their audit trail', () => {
  it('records only the changed fields, before and after, with actor and time; an edit that changes nothing writes nothing', async () => {
    const lifecycle = start();
    const c = await openCase();
    h.clock.advance(5000);
    const after = lifecycle.update(c.id, c.version, { title: '  Brute force on host-1  ', severity: 'CRITICAL', tlp: c.tlp, description: c.description }, ANALYST);
    expect(after).toMatchObject({ title: 'Brute force on host-1', severity: 'CRITICAL', tlp: c.tlp, updatedAt: T0 + 5000 });
    expect(auditOf(c.id).at(-1)).toEqual({
      actor: ANALYST,
      action: 'case.update',
      before: { title: c.title, severity: c.severity, severitySetBy: null },
      after: { title: 'Brute force on host-1', severity: 'CRITICAL', severitySetBy: ANALYST },
      createdAt: T0 + 5000,
    });
    expect(h.services.cases.eventsOf(c.id).at(-1)).toMatchObject({ kind: 'UPDATED', actor: ANALYST });
    const same = lifecycle.update(c.id, after.version, { severity: 'CRITICAL' }, ANALYST);
    expect(same.version).toBe(after.version);
    expect(auditOf(c.id)).toHaveLength(2);
    expect(thrown(() => lifecycle.update(c.id, c.version, { severity: 'CRITICAL' }, ANALYST))).toBeInstanceOf(ConflictError);
  });

  it('validates titles, descriptions, severities, TLP and PAP', async () => {
    const lifecycle = start();
    const c = await openCase();
    const refuse = (input: Record<string, string>) => thrown(() => lifecycle.update(c.id, c.version, input, ANALYST));
    expect(refuse({ title: '   ' })).toMatchObject({ code: 'EMPTY', field: 'title' });
    expect(refuse({ title: 'x'.repeat(201) })).toMatchObject({ code: 'TOO_LARGE', field: 'title' });
    expect(refuse({ description: 'x'.repeat(20_001) })).toMatchObject({ code: 'TOO_LARGE', field: 'description' });
    expect(refuse({ severity: 'SEVERE' })).toMatchObject({ code: 'INVALID_VALUE', field: 'severity' });
    expect(refuse({ tlp: 'WHITE' })).toMatchObject({ code: 'INVALID_VALUE', field: 'tlp' });
    expect(refuse({ pap: 'AMBER_STRICT' })).toMatchObject({ code: 'INVALID_VALUE', field: 'pap' });
    expect(refuse({})).toMatchObject({ code: 'EMPTY', field: 'input' });
    expect(lifecycle.update(c.id, c.version, { title: 'x'.repeat(200), description: '', tlp: 'RED', pap: 'RED' }, ANALYST)).toMatchObject({ description: '', tlp: 'RED', pap: 'RED' });
  });

  it('assigns without changing the status of a NEW case, and unassigns', async () => {
    const lifecycle = start();
    const c = await openCase();
    const assigned = lifecycle.assign(c.id, c.version, ' bob ', ANALYST);
    expect(assigned).toMatchObject({ assignee: 'bob', status: 'NEW' });
    const unassigned = lifecycle.assign(c.id, assigned.version, null, ANALYST);
    expect(unassigned.assignee).toBeNull();
    expect(thrown(() => lifecycle.assign(c.id, unassigned.version, '', ANALYST))).toMatchObject({ code: 'EMPTY', field: 'assignee' });
    expect(auditOf(c.id).filter((r) => r.action === 'case.assign').map((r) => [r.before, r.after])).toEqual([
      [{ assignee: null }, { assignee: 'bob' }],
      [{ assignee: 'bob' }, { assignee: null }],
    ]);
  });

  it('normalises tags, ignores repeats, removes them, and caps a case at 50', async () => {
    const lifecycle = start();
    const c = await openCase();
    const tagged = lifecycle.addTags(c.id, undefined, [' SSH ', 'ssh', 'Brute-Force'], ANALYST);
    expect(JSON.parse(tagged.tags)).toEqual(['ssh', 'brute-force']);
    expect(lifecycle.addTags(c.id, tagged.version, ['SSH'], ANALYST).version).toBe(tagged.version);
    const untagged = lifecycle.removeTags(c.id, undefined, ['SSH', 'not-there'], ANALYST);
    expect(JSON.parse(untagged.tags)).toEqual(['brute-force']);
    expect(auditOf(c.id).filter((r) => r.action === 'case.tags').map((r) => [r.before, r.after])).toEqual([
      [{ tags: [] }, { tags: ['ssh', 'brute-force'] }],
      [{ tags: ['ssh', 'brute-force'] }, { tags: ['brute-force'] }],
    ]);
    expect(thrown(() => lifecycle.addTags(c.id, undefined, ['x'.repeat(65)], ANALYST))).toMatchObject({ code: 'TOO_LARGE', field: 'tags' });
    expect(thrown(() => lifecycle.addTags(c.id, undefined, [' '], ANALYST))).toMatchObject({ code: 'EMPTY', field: 'tags' });
    expect(thrown(() => lifecycle.addTags(c.id, untagged.version - 1, ['late'], ANALYST))).toBeInstanceOf(ConflictError);
    const full = lifecycle.addTags(c.id, undefined, Array.from({ length: 49 }, (_, i) => `t${i}`), ANALYST);
    expect(JSON.parse(full.tags)).toHaveLength(50);
    const over = thrown(() => lifecycle.addTags(c.id, undefined, ['one-more'], ANALYST));
    expect(over).toMatchObject({ code: 'TOO_LARGE', field: 'tags' });
    expect(over.message).toContain('would have 51 tags');
  });

  it('overrides whether an observable is an IOC, keeps the override through recomputation, and knows observables it does not have', async () => {
    const lifecycle = start();
    const c = await openCase();
    const source = h.services.caseQueries.observablesOf(c.id).find((o) => o.role === 'SOURCE')!;
    expect(source).toMatchObject({ value: `185.22.13.${opened}`, isIoc: true });
    const after = lifecycle.setObservableIoc(c.id, source.id, false, ANALYST);
    expect(after.version).toBe(c.version + 1);
    h.services.cases.transaction(() => h.services.caseWriter.recompute(c.id));
    expect(h.services.caseQueries.observablesOf(c.id).find((o) => o.id === source.id)).toMatchObject({ isIoc: false, overriddenBy: ANALYST });
    expect(auditOf(c.id).find((r) => r.action === 'case.observable')).toMatchObject({ actor: ANALYST, before: { iocId: source.id, isIoc: true }, after: { iocId: source.id, isIoc: false } });
    expect(thrown(() => lifecycle.setObservableIoc(c.id, 'ioc_missing', true, ANALYST))).toMatchObject({ entity: 'observable', id: 'ioc_missing' });
    expect(thrown(() => lifecycle.setObservableIoc('cas_missing', source.id, true, ANALYST))).toMatchObject({ entity: 'case' });
  });
});

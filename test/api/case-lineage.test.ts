import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, settle, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const sshFailure = (i: number, host: string, ip: string) => `Nov 23 04:00:${String(i).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`;

/** Three brute-force cases from real log lines: web-01 (2 alerts), db-02 (2 alerts), mail-03 (1 alert). */
async function threeCases() {
  h = createHarness();
  const batches = [
    [sshFailure(1, 'web-01', '185.22.13.9'), sshFailure(2, 'web-01', '185.22.13.9')],
    [sshFailure(3, 'db-02', '203.0.113.50'), sshFailure(4, 'db-02', '203.0.113.50')],
    [sshFailure(5, 'mail-03', '198.51.100.23')],
  ];
  for (const batch of batches) {
    h.services.pipeline.submit(batch.map((log) => ({ log })));
    await settle(h);
    h.clock.advance(60_000);
  }
  const data = await h.ok(`{ cases(orderBy: { field: NUMBER, direction: ASC }) { edges { node { id number version alerts { alert { id } } } } } }`);
  const nodes = data.cases.edges.map((e: any) => e.node) as Array<{ id: string; number: number; version: number; alerts: Array<{ alert: { id: string } }> }>;
  expect(nodes.map((n) => n.alerts.length)).toEqual([2, 2, 1]);
  return nodes.map((n) => ({ id: n.id, number: n.number, version: n.version, alertIds: n.alerts.map((a) => a.alert.id) }));
}

const ERRORS = `... on ValidationError { __typename code field message } ... on NotFoundError { __typename entity id message } ... on ConflictError { __typename currentVersion message }`;
const OPERATION = `operation { id kind actor movedAlertCount createdAt undoneAt undoneBy targetCase { number } sourceCases { number } createdCase { number } detail }`;

const MERGE = `mutation($target: ID!, $sources: [ID!]!, $versions: [CaseVersionInput!]) {
  mergeCases(targetId: $target, sourceIds: $sources, expectedVersions: $versions) {
    __typename ... on MergeCasesSuccess { ${OPERATION} target { number alertCount status } sources { number status resolution alertCount mergedInto { number } } } ${ERRORS}
  }
}`;
const SPLIT = `mutation($case: ID!, $alerts: [ID!]!, $title: String) {
  splitCase(caseId: $case, alertIds: $alerts, title: $title) {
    __typename ... on SplitCaseSuccess { ${OPERATION} source { number alertCount } created { id number title alertCount alerts { linkedBy reason } } } ${ERRORS}
  }
}`;
const MOVE = `mutation($alert: ID!, $to: ID!) {
  moveAlert(alertId: $alert, toCaseId: $to) { __typename ... on MoveAlertSuccess { ${OPERATION} from { number alertCount } to { number alertCount } } ${ERRORS} }
}`;
const UNDO = `mutation($op: ID!) {
  undoCaseOperation(operationId: $op) { __typename ... on UndoCaseOperationSuccess { ${OPERATION} cases { number status resolution alertCount mergedInto { number } } } ${ERRORS} }
}`;
const LINEAGE = `query($id: ID!) { case(id: $id) { number status operations { id kind undoneBy actor } mergedCases { number } } }`;

describe('case lineage over GraphQL', () => {
  it('merges cases, shows the lineage on Case.operations and node(id), and undoes the merge', async () => {
    const [a, b, c] = await threeCases();
    const merged = await h.ok(MERGE, { target: a!.id, sources: [b!.id, c!.id], versions: [{ caseId: b!.id, version: b!.version }] });
    const result = merged.mergeCases;
    expect(result.__typename).toBe('MergeCasesSuccess');
    expect(result.target).toEqual({ number: a!.number, alertCount: 5, status: 'NEW' });
    expect(result.sources).toEqual([b, c].map((x) => ({ number: x!.number, status: 'CLOSED', resolution: 'DUPLICATE', alertCount: 0, mergedInto: { number: a!.number } })));
    expect(result.operation).toMatchObject({
      kind: 'MERGE',
      actor: 'test ANALYST',
      movedAlertCount: 3,
      undoneAt: null,
      targetCase: { number: a!.number },
      sourceCases: [{ number: b!.number }, { number: c!.number }],
      createdCase: null,
    });
    expect(result.operation.id).toMatch(/^cop_/);
    const moved = await h.ok(`query($id: ID!) { node(id: $id) { ... on CaseOperation { movedAlerts(first: 2) { alertId fromCaseId } more: movedAlerts(first: 500) { alertId } } } }`, { id: result.operation.id });
    expect(moved.node.more.map((m: any) => m.alertId)).toEqual([...b!.alertIds, ...c!.alertIds].sort());
    const page = moved.node.movedAlerts as Array<{ alertId: string; fromCaseId: string }>;
    expect(page).toHaveLength(2);
    const rest = await h.ok(`query($id: ID!, $after: ID) { node(id: $id) { ... on CaseOperation { movedAlerts(after: $after) { alertId } } } }`, { id: result.operation.id, after: page[1]!.alertId });
    expect([...page, ...rest.node.movedAlerts].map((m: any) => m.alertId)).toEqual(moved.node.more.map((m: any) => m.alertId));
    expect(page[0]!.fromCaseId).toBe([b, c].find((x) => x!.alertIds.includes(page[0]!.alertId))!.id);
    expect(result.operation.detail.before[b!.id]).toMatchObject({ status: 'NEW', mergedInto: null, version: b!.version });

    const lineage = await h.ok(LINEAGE, { id: a!.id });
    expect(lineage.case.operations).toEqual([{ id: result.operation.id, kind: 'MERGE', undoneBy: null, actor: 'test ANALYST' }]);
    expect(lineage.case.mergedCases).toEqual([{ number: b!.number }, { number: c!.number }]);
    expect((await h.ok(LINEAGE, { id: b!.id })).case.operations.map((o: any) => o.id)).toEqual([result.operation.id]);
    const node = await h.ok(`query($id: ID!) { node(id: $id) { __typename ... on CaseOperation { kind movedAlertCount } } }`, { id: result.operation.id });
    expect(node.node).toEqual({ __typename: 'CaseOperation', kind: 'MERGE', movedAlertCount: 3 });
    const timeline = await h.ok(`query($id: ID!) { case(id: $id) { timeline(first: 1) { action summary } } }`, { id: a!.id });
    expect(timeline.case.timeline[0]).toEqual({ action: 'case.merge', summary: `merged 2 case(s) in (2 -> 5 alerts, operation ${result.operation.id})` });

    h.clock.advance(5000);
    const undone = (await h.ok(UNDO, { op: result.operation.id })).undoCaseOperation;
    expect(undone.__typename).toBe('UndoCaseOperationSuccess');
    expect(undone.operation).toMatchObject({ undoneBy: 'test ANALYST', undoneAt: new Date(h.clock()).toISOString() });
    expect(undone.cases).toEqual([
      { number: a!.number, status: 'NEW', resolution: null, alertCount: 2, mergedInto: null },
      { number: b!.number, status: 'NEW', resolution: null, alertCount: 2, mergedInto: null },
      { number: c!.number, status: 'NEW', resolution: null, alertCount: 1, mergedInto: null },
    ]);
    const after = await h.ok(LINEAGE, { id: a!.id });
    expect(after.case.operations[0].undoneBy).toBe('test ANALYST');
    expect(after.case.mergedCases).toEqual([]);

    const again = (await h.ok(UNDO, { op: result.operation.id })).undoCaseOperation;
    expect(again).toMatchObject({ __typename: 'ConflictError', message: expect.stringMatching(/already undone by test ANALYST/) });
  });

  it('splits and moves, newest operation first in the lineage, and undoes them', async () => {
    const [a, b] = await threeCases();
    const split = (await h.ok(SPLIT, { case: a!.id, alerts: [a!.alertIds[1]], title: 'Second wave' })).splitCase;
    expect(split.__typename).toBe('SplitCaseSuccess');
    expect(split.source).toEqual({ number: a!.number, alertCount: 1 });
    expect(split.created).toMatchObject({ title: 'Second wave', alertCount: 1, alerts: [{ linkedBy: 'SPLIT', reason: `split from case #${a!.number}` }] });
    expect(split.operation).toMatchObject({ kind: 'SPLIT', createdCase: { number: split.created.number }, sourceCases: [{ number: a!.number }] });

    h.clock.advance(1000);
    const move = (await h.ok(MOVE, { alert: b!.alertIds[0], to: a!.id })).moveAlert;
    expect(move).toMatchObject({ __typename: 'MoveAlertSuccess', from: { number: b!.number, alertCount: 1 }, to: { number: a!.number, alertCount: 2 } });
    expect((await h.ok(LINEAGE, { id: a!.id })).case.operations.map((o: any) => o.kind)).toEqual(['MOVE', 'SPLIT']);

    const undoMove = (await h.ok(UNDO, { op: move.operation.id })).undoCaseOperation;
    expect(undoMove.cases.map((x: any) => [x.number, x.alertCount])).toEqual([[a!.number, 1], [b!.number, 2]]);
    const undoSplit = (await h.ok(UNDO, { op: split.operation.id })).undoCaseOperation;
    expect(undoSplit.cases).toEqual([
      { number: split.created.number, status: 'CLOSED', resolution: 'DUPLICATE', alertCount: 0, mergedInto: { number: a!.number } },
      { number: a!.number, status: 'NEW', resolution: null, alertCount: 2, mergedInto: null },
    ]);
  });

  it('returns refusals as members of the result unions', async () => {
    const [a, b, c] = await threeCases();
    const self = (await h.ok(MERGE, { target: a!.id, sources: [a!.id] })).mergeCases;
    expect(self).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_VALUE', field: 'sourceIds', message: expect.stringContaining('cannot be merged into itself') });
    const missing = (await h.ok(MERGE, { target: a!.id, sources: ['cas_01nope'] })).mergeCases;
    expect(missing).toEqual({ __typename: 'NotFoundError', entity: 'case', id: 'cas_01nope', message: 'no case with id cas_01nope' });
    const stale = (await h.ok(MERGE, { target: a!.id, sources: [b!.id], versions: [{ caseId: b!.id, version: b!.version - 1 }] })).mergeCases;
    expect(stale).toMatchObject({ __typename: 'ConflictError', currentVersion: b!.version, message: expect.stringContaining('changed by someone else') });
    const all = (await h.ok(SPLIT, { case: a!.id, alerts: a!.alertIds })).splitCase;
    expect(all).toMatchObject({ __typename: 'ValidationError', field: 'alertIds', message: expect.stringContaining('nothing would remain') });
    const notThere = (await h.ok(SPLIT, { case: a!.id, alerts: [c!.alertIds[0]] })).splitCase;
    expect(notThere).toMatchObject({ __typename: 'ValidationError', message: `alert ${c!.alertIds[0]} is not in case #${a!.number}` });
    const same = (await h.ok(MOVE, { alert: a!.alertIds[0], to: a!.id })).moveAlert;
    expect(same).toMatchObject({ __typename: 'ValidationError', field: 'toCaseId' });
    const unknown = (await h.ok(UNDO, { op: 'cop_01nope' })).undoCaseOperation;
    expect(unknown).toMatchObject({ __typename: 'NotFoundError', entity: 'case operation' });
    // Nothing above changed a case.
    expect((await h.ok(LINEAGE, { id: a!.id })).case.operations).toEqual([]);
  });

  it('lets a viewer read the lineage but not change it', async () => {
    const [a, b] = await threeCases();
    const denied = await h.gql(MERGE, { target: a!.id, sources: [b!.id] }, h.tokens.VIEWER);
    expect(denied.errors?.[0]).toMatchObject({ message: expect.stringContaining('Mutation.mergeCases needs a more powerful role than VIEWER'), extensions: { code: 'FORBIDDEN' } });
    for (const [query, variables] of [
      [SPLIT, { case: a!.id, alerts: [a!.alertIds[0]] }],
      [MOVE, { alert: a!.alertIds[0], to: b!.id }],
      [UNDO, { op: 'cop_01nope' }],
    ] as const) {
      expect((await h.gql(query, variables, h.tokens.VIEWER)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(h.services.cases.get(b!.id)!.status).toBe('NEW');
    const read = await h.ok(LINEAGE, { id: a!.id }, h.tokens.VIEWER);
    expect(read.case).toMatchObject({ number: a!.number, operations: [], mergedCases: [] });
  });
});

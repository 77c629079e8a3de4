import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, settle, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const sshFailure = (i: number, host: string, ip: string) =>
  `Nov 23 04:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`;

async function submit(...logs: string[]): Promise<string> {
  const ids = h.services.pipeline.submit(logs.map((log) => ({ log }))).map((o) => {
    if (!o.ok) throw new Error(JSON.stringify(o));
    return o.alert.id;
  });
  await settle(h);
  const caseIds = new Set(ids.map((id) => h.services.cases.linkOf(id)?.caseId));
  expect(caseIds.size).toBe(1);
  return [...caseIds][0]!;
}

/** Changes a status the way the lifecycle does (writer + journal, audit action `case.status`); a resolved case takes no more alerts. */
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

const resolve = (caseId: string) => {
  setStatus(caseId, 'IN_PROGRESS');
  setStatus(caseId, 'RESOLVED', 'TRUE_POSITIVE');
};

/**
 * Case #1: brute force from 185.22.13.9 on web-01, resolved. Case #2: the same address on db-02 a minute
 * later (related to #1 through it). Case #3: another address on mail-03, related to nothing.
 */
async function scenario(firstCaseAlerts = 2, secondCaseAlerts = 1) {
  const first = await submit(...Array.from({ length: firstCaseAlerts }, (_, i) => sshFailure(i + 1, 'web-01', '185.22.13.9')));
  resolve(first);
  h.clock.advance(60_000);
  const second = await submit(...Array.from({ length: secondCaseAlerts }, (_, i) => sshFailure(100 + i, 'db-02', '185.22.13.9')));
  resolve(second);
  h.clock.advance(60_000);
  const third = await submit(sshFailure(200, 'mail-03', '198.51.100.23'));
  return { first, second, third };
}

const GRAPH = `query($id: ID!, $hops: Int) {
  caseGraph(caseId: $id, hops: $hops) {
    hops truncated root { number }
    nodes { id kind label depth case { number status } alert { id message } ioc { type value } }
    edges { from to kind role weight shared { value } }
  }
}`;

describe('related cases', () => {
  it('ranks other cases sharing significant indicators, lists what they share, and leaves out unrelated ones', async () => {
    h = createHarness();
    const { second } = await scenario();
    const { relatedOf } = await h.ok(`query($id: ID!) { relatedOf: case(id: $id) { number relatedCases { score case { number status } shared { type value } } } }`, { id: second });
    // 185.22.13.9 is held by two cases: 0.8 / log2(1 + 2). root and the hosts are context, not indicators.
    expect(relatedOf.relatedCases).toEqual([{ score: expect.closeTo(0.8 / Math.log2(3), 6), case: { number: 1, status: 'RESOLVED' }, shared: [{ type: 'IPV4', value: '185.22.13.9' }] }]);
    const third = await h.ok(`{ case(number: 3) { relatedCases { case { number } } } }`);
    expect(third.case.relatedCases).toEqual([]);
  });
});

describe('caseGraph', () => {
  it('draws the case, its alerts, their IOCs, host and user, and the related case, one hop deep', async () => {
    h = createHarness();
    const { first, second } = await scenario();
    const { caseGraph } = await h.ok(GRAPH, { id: second });
    expect(caseGraph).toMatchObject({ hops: 1, truncated: false, root: { number: 2 } });
    const byLabel = Object.fromEntries(caseGraph.nodes.map((n: any) => [n.label, n]));
    expect(caseGraph.nodes.map((n: any) => `${n.kind} ${n.label}`).sort()).toEqual([
      'ALERT Failed password for root from 185.22.13.9 port 40100 ssh2',
      'CASE #1 Brute Force on web-01 from 185.22.13.9',
      'CASE #2 Brute Force on db-02 from 185.22.13.9',
      'HOST db-02',
      'IOC 185.22.13.9',
      'USER root',
    ]);
    const alert = caseGraph.nodes.find((n: any) => n.kind === 'ALERT');
    expect(alert).toMatchObject({ depth: 0, case: null, ioc: null, alert: { message: alert.label } });
    expect(byLabel['#1 Brute Force on web-01 from 185.22.13.9']).toMatchObject({ id: first, depth: 1, case: { number: 1, status: 'RESOLVED' }, alert: null });
    expect(byLabel['185.22.13.9'].ioc).toEqual({ type: 'IPV4', value: '185.22.13.9' });

    const edges = caseGraph.edges.map((e: any) => `${e.kind} ${e.from === second ? '#2' : e.from === first ? '#1' : e.from === alert.id ? 'alert' : e.from} -> ${caseGraph.nodes.find((n: any) => n.id === e.to).label} ${e.role ?? ''}`.trim());
    expect(edges.sort()).toEqual([
      'BY_USER alert -> root USER',
      'CONTAINS #2 -> Failed password for root from 185.22.13.9 port 40100 ssh2',
      'HAS_IOC alert -> 185.22.13.9 SOURCE',
      'ON_HOST alert -> db-02 HOST',
      'RELATED #2 -> #1 Brute Force on web-01 from 185.22.13.9',
    ]);
    expect(caseGraph.edges.find((e: any) => e.kind === 'RELATED')).toMatchObject({ weight: expect.closeTo(0.8 / Math.log2(3), 6), shared: [{ value: '185.22.13.9' }], role: null });
  });

  it('expands the related case at the second hop, keeping one RELATED edge per pair', async () => {
    h = createHarness();
    const { first, second } = await scenario();
    const { caseGraph } = await h.ok(GRAPH, { id: second, hops: 2 });
    const kinds = caseGraph.nodes.map((n: any) => `${n.kind} ${n.depth}`).sort();
    // #1's two alerts and its host web-01 join; 185.22.13.9 and root are shared, so they stay one node each.
    expect(kinds).toEqual(['ALERT 0', 'ALERT 1', 'ALERT 1', 'CASE 0', 'CASE 1', 'HOST 0', 'HOST 1', 'IOC 0', 'USER 0']);
    expect(caseGraph.nodes.filter((n: any) => n.kind === 'HOST').map((n: any) => n.label).sort()).toEqual(['db-02', 'web-01']);
    expect(caseGraph.edges.filter((e: any) => e.kind === 'RELATED')).toHaveLength(1);
    expect(caseGraph.edges.filter((e: any) => e.kind === 'CONTAINS' && e.from === first)).toHaveLength(2);
    expect(caseGraph.edges.filter((e: any) => e.kind === 'HAS_IOC').map((e: any) => e.to)).toEqual(Array(3).fill(caseGraph.nodes.find((n: any) => n.label === '185.22.13.9').id));
  });

  it('returns null for an unknown case and refuses hops outside 1..3', async () => {
    h = createHarness();
    const { second } = await scenario();
    expect((await h.ok(GRAPH, { id: 'cas_00000000000000000000000000' })).caseGraph).toBeNull();
    const tooFar = await h.gql(GRAPH, { id: second, hops: 4 });
    expect(tooFar.errors?.[0]).toMatchObject({ message: 'hops must be between 1 and 3; got 4', extensions: { code: 'BAD_USER_INPUT' } });
    expect((await h.gql(GRAPH, { id: second, hops: 0 })).errors?.[0]?.message).toBe('hops must be between 1 and 3; got 0');
    expect((await h.ok(GRAPH, { id: second }, h.tokens.VIEWER)).caseGraph.root.number).toBe(2);
  });
});

describe('statements per case-graph request', () => {
  /** Statements a request runs beyond what authenticating any request costs. */
  async function statementsOf(statements: string[], query: string, variables: Record<string, unknown>): Promise<string[]> {
    await h.ok('{ __typename }'); // the first request of a key records when it was used
    let mark = statements.length;
    await h.ok('{ __typename }');
    const baseline = statements.length - mark;
    mark = statements.length;
    await h.ok(query, variables);
    return statements.slice(mark + baseline);
  }

  it('reads a 40-alert case with its IOCs and related cases in at most 5 statements, as many as for a 2-alert case', async () => {
    const statements: string[] = [];
    h = createHarness({}, ':memory:', { databaseOptions: { verbose: (sql) => statements.push(sql) } });
    const { first, second } = await scenario(40, 2);
    expect(h.services.cases.get(first)!.alertCount).toBe(40);
    expect(h.services.cases.get(second)!.alertCount).toBe(2);

    for (const hops of [1, 3]) {
      const big = await statementsOf(statements, GRAPH, { id: first, hops });
      const small = await statementsOf(statements, GRAPH, { id: second, hops });
      expect(big.length, big.join('\n')).toBeLessThanOrEqual(5);
      expect(small.length).toBe(big.length);
    }
    const { caseGraph } = await h.ok(GRAPH, { id: first });
    expect(caseGraph.nodes.filter((n: any) => n.kind === 'ALERT')).toHaveLength(40);
    // The count does see per-node work: asking each alert node for its latest job (a lookup per alert) shows it.
    const perNode = await statementsOf(statements, `query($id: ID!) { caseGraph(caseId: $id) { nodes { alert { job { status } } } } }`, { id: first });
    expect(perNode.length).toBeGreaterThanOrEqual(40);
    // Alert.case is batched (schema/loaders.ts): every alert node's case in one more statement.
    const batched = await statementsOf(statements, `query($id: ID!) { caseGraph(caseId: $id) { nodes { alert { case { number } } } } }`, { id: first });
    const graphOnly = await statementsOf(statements, `query($id: ID!) { caseGraph(caseId: $id) { nodes { id } } }`, { id: first });
    expect(batched.length).toBe(graphOnly.length + 1);

    const CASE = `query($id: ID!) { case(id: $id) { number alerts(first: 500) { alert { id message } } relatedCases { score case { number } shared { value } } } }`;
    const bigCase = await statementsOf(statements, CASE, { id: first });
    const smallCase = await statementsOf(statements, CASE, { id: second });
    expect(bigCase.length, bigCase.join('\n')).toBeLessThanOrEqual(5);
    expect(smallCase.length).toBe(bigCase.length);
  });
});

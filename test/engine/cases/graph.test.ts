import { afterEach, describe, expect, it } from 'vitest';
import { createCaseGraph, GRAPH_LIMITS } from '../../../src/engine/cases/graph.js';
import { createRelatedCases, sharedWeight } from '../../../src/engine/cases/related.js';
import { createCaseGraphQueries } from '../../../src/store/case-graph-queries.js';
import { createHarness, settle, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

/** Opens a case by hand around one alert naming `values`. */
async function caseWith(host: string, ...values: string[]): Promise<string> {
  const [outcome] = h.services.pipeline.submit([{ alert: { message: `outbound connection to ${values.join(' and ')}`, host, program: 'proxy' } }]);
  if (!outcome?.ok) throw new Error(JSON.stringify(outcome));
  await settle(h);
  const alert = h.services.alerts.getAlert(outcome.alert.id)!;
  return h.services.cases.transaction(() => h.services.caseWriter.open(alert, { actor: 'test', kindKey: null, reason: 'test', linkedBy: 'OPENED' })).id;
}

/** Correlation neither opens nor joins cases: the tests place every alert by hand. */
const MANUAL = { VIGIL_CASE_OPEN_SCORE: '101', VIGIL_CASE_JOIN_THRESHOLD: '10' };
const queries = () => createCaseGraphQueries(h.services.database.sqlite);
const numberOf = (id: string) => h.services.cases.get(id)!.number;

describe('case graph hops', () => {
  it('follows a chain of shared indicators one case further per hop', async () => {
    h = createHarness(MANUAL);
    const a = await caseWith('h1', '185.22.13.9');
    const b = await caseWith('h2', '185.22.13.9', 'badsite-one.com');
    const c = await caseWith('h3', 'badsite-one.com', '91.240.118.20');
    const d = await caseWith('h4', '91.240.118.20');
    await caseWith('h5', '45.95.147.3'); // shares nothing
    const graph = createCaseGraph({ queries: queries() });
    const casesAt = (hops: number) =>
      graph
        .build(a, hops)!
        .nodes.filter((n) => n.kind === 'CASE')
        .map((n) => [numberOf(n.id), n.depth]);
    expect(casesAt(1)).toEqual([[1, 0], [2, 1]]);
    expect(casesAt(2)).toEqual([[1, 0], [2, 1], [3, 2]]);
    expect(casesAt(3)).toEqual([[1, 0], [2, 1], [3, 2], [4, 3]]);

    // Only cases closer than `hops` are expanded: at hop 2, #3 is drawn but its alert is not.
    const two = graph.build(a, 2)!;
    const alertCases = two.edges.filter((e) => e.kind === 'CONTAINS').map((e) => numberOf(e.from));
    expect(alertCases.sort()).toEqual([1, 2]);
    expect(two.edges.filter((e) => e.kind === 'RELATED').map((e) => [numberOf(e.from), numberOf(e.to), e.shared!.map((i) => i.value)])).toEqual([
      [1, 2, ['185.22.13.9']],
      [2, 3, ['badsite-one.com']],
    ]);
    expect(graph.build(d, 3)!.nodes.filter((n) => n.kind === 'CASE').map((n) => n.id)).toEqual([d, c, b, a]);
  });

  it('drops an indicator held by more cases than the cap, and weighs the rest by type and rarity', async () => {
    h = createHarness(MANUAL);
    const a = await caseWith('h1', '185.22.13.9', 'badsite-one.com');
    const b = await caseWith('h2', '185.22.13.9', 'badsite-one.com');
    await caseWith('h3', '185.22.13.9');
    const related = createRelatedCases({ queries: queries(), settings: { maxCasesPerIoc: 2, maxRelated: 100 } });
    // The address is in three cases, over the cap of two: only the domain (0.9 / log2(3)) links #1 and #2.
    expect(related.of(a, 10).map((r) => [r.case.id, r.score, r.shared.map((i) => i.value)])).toEqual([[b, 0.9 / Math.log2(3), ['badsite-one.com']]]);
    const roomy = createRelatedCases({ queries: queries(), settings: { maxCasesPerIoc: 5, maxRelated: 100 } });
    const ranked = roomy.of(a, 10);
    expect(ranked.map((r) => numberOf(r.case.id))).toEqual([2, 3]);
    expect(ranked[0]!.score).toBeCloseTo(0.9 / Math.log2(3) + 0.8 / Math.log2(4), 10);
    expect(ranked[0]!.shared.map((i) => i.value)).toEqual(['badsite-one.com', '185.22.13.9']);
    expect(roomy.of(a, 1)).toHaveLength(1);
  });

  it('reports truncated when a cap leaves alerts or nodes out', async () => {
    h = createHarness(MANUAL);
    const a = await caseWith('h1', '185.22.13.9', 'badsite-one.com');
    const full = createCaseGraph({ queries: queries() }).build(a, 1)!;
    expect(full.truncated).toBe(false);
    const few = createCaseGraph({ queries: queries(), limits: { ...GRAPH_LIMITS, maxNodes: 3 } }).build(a, 1)!;
    expect(few.truncated).toBe(true);
    expect(few.nodes).toHaveLength(3);
    expect(few.edges.every((e) => few.nodes.some((n) => n.id === e.to))).toBe(true);
    const noAlerts = createCaseGraph({ queries: queries(), limits: { ...GRAPH_LIMITS, maxAlerts: 0 } }).build(a, 1)!;
    expect(noAlerts).toMatchObject({ truncated: true, nodes: [{ id: a, kind: 'CASE' }], edges: [] });
  });

  it('gives analyst-marked context a weight, and nothing past the cap', () => {
    expect(sharedWeight('IPV4', 1, 5)).toBeCloseTo(0.8, 10);
    expect(sharedWeight('IPV4', 6, 5)).toBe(0);
    expect(sharedWeight('HOSTNAME', 3, 5)).toBeCloseTo(0.25, 10);
    expect(sharedWeight('HOSTNAME', 6, 5)).toBe(0);
  });
});

/**
 * List reads batch the relations of their items (schema/loaders.ts): the SQL statements a request runs
 * stay the same whether a page holds 5 items or 50, and the batched answers equal the per-item reads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, settle, type Harness } from '../helpers/harness.js';
import { sseEvents } from '../helpers/sse.js';

let h: Harness;
let statements: string[];
afterEach(async () => h?.close());

// Every alert may open a case and no storm folds them: one case per (host, address) below.
function harness() {
  statements = [];
  h = createHarness({ VIGIL_CASE_OPEN_SCORE: '0', VIGIL_CASE_STORM_THRESHOLD: '10000' }, ':memory:', { databaseOptions: { verbose: (sql) => statements.push(sql) } });
}

const sshFailure = (i: number, c: number) =>
  `Nov 23 04:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} host-${c} sshd[${1000 + i}]: Failed password for user${c} from 185.22.${Math.floor(c / 200)}.${(c % 200) + 1} port ${40000 + i} ssh2`;

/** `cases` cases; case c holds `perCase(c)` alerts, all from its own host and address. */
async function seed(cases: number, perCase: (c: number) => number = () => 1): Promise<void> {
  const logs: string[] = [];
  for (let c = 0; c < cases; c++) for (let k = 0; k < perCase(c); k++) logs.push(sshFailure(logs.length, c));
  h.services.pipeline.submit(logs.map((log) => ({ log })));
  await settle(h);
}

/** Statements a request runs beyond what authenticating any request costs. */
async function statementsOf(query: string): Promise<string[]> {
  await h.ok('{ __typename }'); // the first request of a key records when it was used
  let mark = statements.length;
  await h.ok('{ __typename }');
  const baseline = statements.length - mark;
  mark = statements.length;
  await h.ok(query);
  return statements.slice(mark + baseline);
}

const ALERTS = `{ alerts(first: 50) { edges { node { id iocs { role ioc { id value } } case { id number } } } } }`;
const CASES = `{ cases(first: 20) { edges { node { id alerts { linkedBy alert { id } } observables { role isIoc ioc { value } } } } } }`;

describe('batched relations of list items', () => {
  it.each([5, 50])('alerts(first: 50) with iocs and case: 3 statements for %i alerts, answers equal to per-alert reads', async (n) => {
    harness();
    await seed(n);
    const run = await statementsOf(ALERTS);
    expect(run.length, run.join('\n')).toBe(3); // the page, every alert's IOCs, every alert's case
    const { alerts } = await h.ok(ALERTS);
    expect(alerts.edges).toHaveLength(n);
    for (const { node } of alerts.edges) {
      expect(node.iocs).toEqual(h.services.alertQueries.iocsOf(node.id).map((i) => ({ role: i.role, ioc: { id: i.id, value: i.value } })));
      const link = h.services.caseQueries.caseOfAlert(node.id)!;
      expect(node.case).toEqual({ id: link.caseId, number: h.services.cases.get(link.caseId)!.number });
    }
  });

  it.each([5, 20])('cases(first: 20) with alerts and observables: 3 statements for %i cases, answers equal to per-case reads', async (n) => {
    harness();
    await seed(n, (c) => 1 + (c % 4));
    const run = await statementsOf(CASES);
    expect(run.length, run.join('\n')).toBe(3); // the page, every case's alerts, every case's observables
    const { cases } = await h.ok(CASES);
    expect(cases.edges).toHaveLength(n);
    for (const { node } of cases.edges) {
      expect(node.alerts).toEqual(h.services.caseQueries.alertsOf(node.id, 100).map((a) => ({ linkedBy: a.linkedBy, alert: { id: a.id } })));
      expect(node.observables).toEqual(h.services.caseQueries.observablesOf(node.id).map((o) => ({ role: o.role, isIoc: o.isIoc, ioc: { value: o.value } })));
    }
  });

  it('applies Case.alerts(first:) per case, one statement per distinct limit', async () => {
    harness();
    await seed(8, (c) => 1 + (c % 4));
    const query = `{ cases(first: 20) { edges { node { id two: alerts(first: 2) { alert { id } } three: alerts(first: 3) { alert { id } } none: alerts(first: 0) { alert { id } } } } } }`;
    expect(await statementsOf(query)).toHaveLength(4);
    const { cases } = await h.ok(query);
    for (const { node } of cases.edges) {
      const ids = (limit: number) => h.services.caseQueries.alertsOf(node.id, limit).map((a) => ({ alert: { id: a.id } }));
      expect(node.two).toEqual(ids(2));
      expect(node.three).toEqual(ids(3));
      expect(node.none).toEqual([]);
    }
    expect(cases.edges.some((e: any) => e.node.three.length === 3)).toBe(true);
  });

  it('batches Case.mergedInto and CaseEvent.case', async () => {
    harness();
    await seed(6, (c) => (c === 0 ? 3 : 1));
    const all = (await h.ok(`{ cases(orderBy: { field: NUMBER, direction: ASC }) { edges { node { id number } } } }`)).cases.edges.map((e: any) => e.node);
    h.services.caseLineage.merge(all[0].id, all.slice(1, 4).map((c: any) => c.id), 'alice');
    h.services.caseLineage.merge(all[4].id, [all[5].id], 'alice');

    const merged = `{ cases(first: 20, orderBy: { field: NUMBER, direction: ASC }) { edges { node { number mergedInto { number } } } } }`;
    expect(await statementsOf(merged)).toHaveLength(2);
    const { cases } = await h.ok(merged);
    expect(cases.edges.map((e: any) => [e.node.number, e.node.mergedInto?.number ?? null])).toEqual([
      [1, null], [2, 1], [3, 1], [4, 1], [5, null], [6, 5],
    ]);

    const events = `{ case(number: 1) { events { kind case { number } } } }`;
    expect(await statementsOf(events)).toHaveLength(3); // the case, its events, their case
    const { case: one } = await h.ok(events);
    expect(one.events.length).toBeGreaterThanOrEqual(4); // opened, two alerts added, three cases merged in
    expect(one.events.every((e: any) => e.case.number === 1)).toBe(true);
  });

  it('reads afresh for every event of a subscription (loaders batch, they do not cache)', async () => {
    harness();
    const port = await h.app.start(0, '127.0.0.1');
    await seed(1, () => 2);
    const caseId = h.services.cases.getByNumber(1)!.id;
    const abort = new AbortController();
    const stream = sseEvents(`http://127.0.0.1:${port}/graphql`, { query: `subscription($id: ID!) { caseEvents(caseId: $id) { kind case { alertCount } } }`, variables: { id: caseId } }, h.tokens.VIEWER, abort.signal);
    try {
      const seen: any[] = [];
      for await (const message of stream) {
        seen.push(message.data.caseEvents);
        if (seen.length === 2) {
          h.services.pipeline.submit([{ log: sshFailure(10, 0) }]); // joins the case while the stream is open
          await settle(h);
        }
        if (seen.length === 3) break;
      }
      expect(seen).toEqual([
        { kind: 'CREATED', case: { alertCount: 2 } },
        { kind: 'ALERT_ADDED', case: { alertCount: 2 } },
        { kind: 'ALERT_ADDED', case: { alertCount: 3 } },
      ]);
    } finally {
      abort.abort();
    }
  });
});

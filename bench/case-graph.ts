/**
 * Case-graph query cost: a case of 200 alerts with several related cases, read as a `caseGraph` over
 * GraphQL (in-process `yoga.fetch`, so the figure is the server's work). Baseline in the same run: the
 * smallest read of the same case, `case(id) { id number }`. Beside each latency, the SQL statements one
 * request runs (counted with better-sqlite3's `verbose`; the bench key is the admin token, checked without SQL).
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { buildApp } from '../src/app.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createServices } from '../src/services.js';
import { BENCH_TOKEN, report, tempDir } from './harness.js';

const ALERTS = 200;
const RELATED = 5;
const ALERTS_PER_RELATED = 10;
const RUNS = 300;
const ATTACKER = '185.22.13.9';

const sshFailure = (i: number, host: string) =>
  `Nov 23 ${String(4 + Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for root from ${ATTACKER} port ${40000 + (i % 20000)} ssh2`;

export async function benchCaseGraph(): Promise<void> {
  let statements = 0;
  const outbox = tempDir();
  const config = loadConfig({ VIGIL_DB: ':memory:', VIGIL_ADMIN_TOKEN: BENCH_TOKEN, LOG_LEVEL: 'silent', VIGIL_MAX_BATCH: '1000', VIGIL_ENRICH_NETWORK: 'off', VIGIL_OUTBOX_DIR: outbox.path });
  const database = openDatabase({ path: ':memory:', verbose: () => void statements++ });
  runMigrations(database.db);
  const services = createServices({ config, database, clock: systemClock, logger: createLogger('silent') });
  const app = buildApp(services);

  // The big case first, then related ones: each shares the attacker's address and is resolved before the
  // next, so correlation opens a new case instead of joining the open one.
  let next = 0;
  const caseIds: string[] = [];
  for (const [host, count] of [['web-01', ALERTS], ...Array.from({ length: RELATED }, (_, k) => [`host-${k}`, ALERTS_PER_RELATED] as const)] as const) {
    const outcomes = services.pipeline.submit(Array.from({ length: count }, () => ({ log: sshFailure(next++, host) })));
    while (services.pipeline.pendingJobs > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const first = outcomes[0];
    if (!first?.ok) throw new Error(`bench setup: ${JSON.stringify(first)}`);
    const caseId = services.cases.linkOf(first.alert.id)!.caseId;
    caseIds.push(caseId);
    services.cases.transaction(() => services.caseWriter.change(caseId, undefined, () => ({ status: 'RESOLVED', resolution: 'TRUE_POSITIVE' })));
  }
  const root = caseIds[0]!;
  const alertCount = services.cases.get(root)!.alertCount;

  async function measure(query: string): Promise<{ medianUs: number; statements: number; data: any }> {
    const run = async () => {
      const response = await app.yoga.fetch('http://vigil.bench/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
        body: JSON.stringify({ query, variables: { id: root } }),
      });
      const body = (await response.json()) as { data?: any; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    for (let i = 0; i < 20; i++) await run();
    const before = statements;
    const data = await run();
    const perRequest = statements - before;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await run();
      times.push((performance.now() - started) * 1000);
    }
    times.sort((a, b) => a - b);
    return { medianUs: times[times.length >> 1]!, statements: perRequest, data };
  }

  const GRAPH = (hops: number) =>
    `query($id: ID!) { caseGraph(caseId: $id, hops: ${hops}) { truncated nodes { id kind label case { number } alert { id message } ioc { type value } } edges { from to kind role weight } } }`;
  const baseline = await measure('query($id: ID!) { case(id: $id) { id number } }');
  const one = await measure(GRAPH(1));
  const three = await measure(GRAPH(3));
  // The same content through the nested Case fields: every alert's IOCs come from one batched statement
  // (schema/loaders.ts); before batching this cost a statement per alert.
  const nested = await measure(
    'query($id: ID!) { case(id: $id) { id number alerts(first: 500) { alert { id message iocs { role ioc { type value } } } } relatedCases { score case { number } } } }',
  );
  // A list page with per-item relations: 1 + 3 statements per alert without batching, a constant with it.
  const list = await measure('{ alerts(first: 100) { edges { node { id iocs { role ioc { value } } case { number } } } } }');
  await app.stop();
  outbox.remove();

  const size = (d: any) => `${d.caseGraph.nodes.length} nodes, ${d.caseGraph.edges.length} edges`;
  console.log(`\ncase graph (a case of ${alertCount} alerts, ${RELATED} related cases of ${ALERTS_PER_RELATED}; median of ${RUNS} in-process requests)`);
  report([
    { name: 'baseline: case(id) { id number }', value: baseline.medianUs, unit: 'µs' },
    { name: `caseGraph hops 1 (${size(one.data)})`, value: one.medianUs, unit: 'µs', baseline: baseline.medianUs },
    { name: `caseGraph hops 3 (${size(three.data)})`, value: three.medianUs, unit: 'µs', baseline: baseline.medianUs },
    { name: 'nested: case(id) { alerts { alert { iocs } } relatedCases }', value: nested.medianUs, unit: 'µs', baseline: baseline.medianUs },
    { name: 'list: alerts(first: 100) { iocs case }', value: list.medianUs, unit: 'µs', baseline: baseline.medianUs },
  ]);
  console.log(`SQL statements per request: baseline ${baseline.statements}, caseGraph hops 1 ${one.statements}, hops 3 ${three.statements}, nested ${nested.statements}, list ${list.statements}`);
}

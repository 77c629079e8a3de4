/** Alerts per second through submitAlert and submitAlerts over HTTP, against the raw-insert baseline. */
import { join } from 'node:path';
import { startBaseline } from './baseline-server.js';
import { drive, postGraphQL, report, startVigil, tempDir } from './harness.js';

const SINGLE = 2000;
const BATCHES = 40;
const BATCH_SIZE = 100;
const CONCURRENCY = 8;

const line = (i: number) => `Nov 23 04:00:${String(i % 60).padStart(2, '0')} web-01 sshd[${1000 + i}]: Failed password for user${i % 50} from 203.0.113.${i % 250} port ${10000 + i} ssh2`;

export async function benchIngest(): Promise<void> {
  const dir = tempDir();
  try {
    const baseline = await startBaseline(join(dir.path, 'baseline.db'));
    const singleBase = SINGLE / (await drive(SINGLE, CONCURRENCY, (i) => postGraphQL(baseline.url, 'mutation($l: String!) { insert(log: $l) }', { l: line(i) })));
    const batchBase =
      (BATCHES * BATCH_SIZE) /
      (await drive(BATCHES, CONCURRENCY, (b) =>
        postGraphQL(baseline.url, 'mutation($l: [String!]!) { insertMany(logs: $l) }', { l: Array.from({ length: BATCH_SIZE }, (_, i) => `${line(b * BATCH_SIZE + i)} b`) }),
      ));
    await baseline.stop();

    const vigil = await startVigil(join(dir.path, 'vigil.db'));
    const single =
      SINGLE /
      (await drive(SINGLE, CONCURRENCY, (i) =>
        postGraphQL(vigil.url, 'mutation($i: AlertInput!) { submitAlert(input: $i) { __typename } }', { i: { log: line(i) } }),
      ));
    const batched =
      (BATCHES * BATCH_SIZE) /
      (await drive(BATCHES, CONCURRENCY, (b) =>
        postGraphQL(vigil.url, 'mutation($a: [AlertInput!]!) { submitAlerts(alerts: $a) { __typename } }', {
          a: Array.from({ length: BATCH_SIZE }, (_, i) => ({ log: `${line(b * BATCH_SIZE + i)} b` })),
        }),
      ));
    await vigil.stop();

    console.log(`\ningest over HTTP (${CONCURRENCY} concurrent clients, WAL file database; pipeline stages run in the background)`);
    report([
      { name: 'baseline: Yoga + 1 raw insert per request', value: singleBase, unit: 'alerts/s' },
      { name: 'submitAlert (one alert per request)', value: single, unit: 'alerts/s', baseline: singleBase },
      { name: `baseline: Yoga + ${BATCH_SIZE} raw inserts per request`, value: batchBase, unit: 'alerts/s' },
      { name: `submitAlerts (${BATCH_SIZE} alerts per request)`, value: batched, unit: 'alerts/s', baseline: batchBase },
    ]);
  } finally {
    dir.remove();
  }
}

/**
 * Not a test: measures what `observe` costs per call with ~10k observations stored, so that a change to a
 * query shows up. Run `npx tsx test/engine/classify/detections/measure-cost.ts [db-file]`. Each line
 * includes inserting the alert row the foreign keys need (the first line is that alone).
 */
import { openDatabase } from '../../../../db/client.js';
import { runMigrations } from '../../../../db/migrate.js';
import { createDetections } from '../../../../src/engine/classify/detections/index.js';
import type { Signal } from '../../../../src/engine/classify/types.js';
import type { NormalizedEvent } from '../../../../src/engine/types.js';
import { lcg, T0 } from './helpers.js';

const { sqlite, db } = openDatabase({ path: process.argv[2] ?? ':memory:' });
runMigrations(db);
const detections = createDetections(sqlite, { firstAdminLearningMs: 0 });
const insertAlert = sqlite.prepare(
  `INSERT INTO alerts (id, source, payload_kind, payload, fingerprint, status, received_at, last_seen_at, updated_at) VALUES (?, 'bench', 'LOG', 'x', ?, 'PROCESSING', 0, 0, 0)`,
);
const random = lcg(42);
let n = 0;
let at = T0;
let step = () => 50;
type Item = { event: Partial<NormalizedEvent>; signals: Signal[] };

function observe({ event, signals }: Item) {
  const id = `alt_${++n}`;
  insertAlert.run(id, id);
  at += step();
  return detections.observe({ alertId: id, at, event: { format: 'UNKNOWN', message: '', fields: {}, ...event }, signals: new Set(signals) });
}

sqlite.transaction(() => {
  for (let i = 0; i < 4000; i++) observe({ event: { srcIp: `10.1.${i % 200}.${i % 7}`, user: `u${i % 50}`, host: 'h' }, signals: ['AUTH_FAILURE'] });
  for (let i = 0; i < 2000; i++) observe({ event: { srcIp: `10.2.0.${i % 100}`, dstIp: '198.51.100.1', dstPort: 443 }, signals: ['NETWORK_CONNECTION'] });
})();
console.log(`observations stored: ${String(sqlite.prepare('SELECT COUNT(*) FROM detection_observations').pluck().get())}`);

function measure(name: string, make: (i: number) => Item, calls = 5000) {
  const batch = 250;
  const start = process.hrtime.bigint();
  for (let b = 0; b < calls; b += batch) sqlite.transaction(() => { for (let i = b; i < b + batch; i++) observe(make(i)); })();
  console.log(`${name.padEnd(62)} ${(Number(process.hrtime.bigint() - start) / 1000 / calls).toFixed(1)} µs/call`);
}

measure('no signals (alert row + replay check only)', () => ({ event: {}, signals: [] }));
measure('AUTH_FAILURE, 750 sources', (i) => ({ event: { srcIp: `10.3.${i % 250}.${i % 3}`, user: `u${i % 40}`, host: 'h' }, signals: ['AUTH_FAILURE'] }));
measure('AUTH_FAILURE storm from one source (1000+ in window)', (i) => ({ event: { srcIp: '185.22.13.9', user: `u${i % 40}`, host: 'h' }, signals: ['AUTH_FAILURE'] }));
measure('AUTH_SUCCESS from sources with failures', (i) => ({ event: { srcIp: `10.3.${i % 250}.${i % 3}`, user: `u${i % 40}`, host: 'h' }, signals: ['AUTH_SUCCESS'] }));
measure('NETWORK_CONNECTION, 100 regular pairs (fired, then skipped)', (i) => ({ event: { srcIp: `10.4.0.${i % 100}`, dstIp: '203.0.113.7', dstPort: 8080 }, signals: ['NETWORK_CONNECTION'] }));
step = () => 1 + Math.floor(random() * 2000);
measure('NETWORK_CONNECTION, 20 random pairs (scored every call)', () => ({ event: { srcIp: `10.6.0.${Math.floor(random() * 20)}`, dstIp: '203.0.113.9', dstPort: 8080 }, signals: ['NETWORK_CONNECTION'] }));
step = () => 50;
measure('PRIVILEGED_LOGON, 6000 host/account pairs', (i) => ({ event: { user: `admin${i % 300}`, host: `h${i % 20}` }, signals: ['PRIVILEGED_LOGON'] }));
console.log(`observations stored at the end: ${String(sqlite.prepare('SELECT COUNT(*) FROM detection_observations').pluck().get())}`);

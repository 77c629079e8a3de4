/**
 * Classification throughput on one core: normalize + rules + text model + detections (inside one
 * transaction per 256 alerts, as the pipeline commits), over a mix of real-format lines. Baselines in
 * the same run: the seed's classifier (four substring checks) and parsing alone (normalize).
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { loadAttackCatalog } from '../src/engine/attack/catalog.js';
import { createClassifier } from '../src/engine/classify/classifier.js';
import { createDetections } from '../src/engine/classify/detections/index.js';
import { loadTextModel } from '../src/engine/classify/model/index.js';
import { normalize } from '../src/engine/normalize/index.js';
import { report } from './harness.js';

const N = 20_000;
const BATCH = 256;

const LINES = [
  (i: number) => `Nov 23 04:00:${String(i % 60).padStart(2, '0')} web-01 sshd[${1000 + (i % 9000)}]: Failed password for invalid user user${i % 97} from 203.0.113.${i % 250} port ${10000 + (i % 50000)} ssh2`,
  (i: number) => `Nov 23 04:01:${String(i % 60).padStart(2, '0')} web-01 sshd[${2000 + (i % 9000)}]: Accepted publickey for deploy from 10.0.${i % 200}.${i % 250} port 51234 ssh2: RSA SHA256:abc`,
  (i: number) => `Nov 23 04:02:03 db-02 sudo:    alice : TTY=pts/${i % 9} ; PWD=/home/alice ; USER=root ; COMMAND=/bin/systemctl status nginx`,
  (i: number) => `198.51.100.${i % 250} - - [23/Nov/2026:04:00:00 +0000] "GET /products.php?id=${i}%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1" 200 512 "-" "sqlmap/1.7"`,
  (i: number) => `CEF:0|Security|IDS|1.0|${2000000 + (i % 1000)}|ET TROJAN Possible Beacon|8|src=10.1.1.${i % 250} dst=192.0.2.${i % 250} dpt=443`,
  (i: number) => `Nov 23 04:03:00 mail-01 postfix/smtpd[${3000 + (i % 9000)}]: NOQUEUE: reject: RCPT from unknown[203.0.113.${i % 250}]: 554 5.7.1 Service unavailable; Client host blocked`,
];

/** The seed's classifier: four case-insensitive substring checks. */
function seedClassify(line: string): string {
  const l = line.toLowerCase();
  if (l.includes('failed')) return 'Brute Force';
  if (l.includes('malware')) return 'Malware';
  if (l.includes('phish')) return 'Phishing';
  if (l.includes('sudo')) return 'Privilege Misuse';
  return 'Benign';
}

function rate(run: () => void): number {
  const started = performance.now();
  run();
  return N / ((performance.now() - started) / 1000);
}

export function benchClassify(): void {
  const lines = Array.from({ length: N }, (_, i) => LINES[i % LINES.length]!(i));
  const database = openDatabase({ path: ':memory:' });
  runMigrations(database.db);
  const sqlite = database.sqlite;
  const insertAlert = sqlite.prepare(
    "INSERT INTO alerts (id, source, payload_kind, payload, fingerprint, status, received_at, last_seen_at, updated_at) VALUES (?, 'bench', 'LOG', '', ?, 'RECEIVED', 0, 0, 0)",
  );
  lines.forEach((_, i) => insertAlert.run(`alt_${i}`, String(i)));
  const classifier = createClassifier({ attack: loadAttackCatalog(), model: loadTextModel(), detections: createDetections(sqlite), rules: {} });

  const seed = rate(() => lines.forEach(seedClassify));
  const parse = rate(() => lines.forEach((text) => normalize({ kind: 'log', text })));
  const full = rate(() => {
    for (let start = 0; start < N; start += BATCH) {
      const batch = lines.slice(start, start + BATCH).map((text, j) => ({ id: `alt_${start + j}`, event: normalize({ kind: 'log', text }) }));
      const assessed = batch.map((b) => ({ ...b, assessment: classifier.assess(b.event) }));
      sqlite.transaction(() => assessed.forEach((b, j) => classifier.decide({ alertId: b.id, at: 1_795_000_000_000 + (start + j) * 1000, event: b.event }, b.assessment)))();
    }
  });
  database.close();

  console.log(`\nclassification on one core (${N} alerts, ${LINES.length} log shapes, in-memory database)`);
  report([
    { name: "baseline: the seed's four substring checks", value: seed, unit: 'alerts/s' },
    { name: 'baseline: normalize only', value: parse, unit: 'alerts/s' },
    { name: 'normalize + rules + model + detections', value: full, unit: 'alerts/s', baseline: parse },
  ]);
}

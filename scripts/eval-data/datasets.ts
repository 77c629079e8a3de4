/**
 * The held-out evaluation sets, built from real logs in ../shared/fixtures (never copied into the
 * project) and the labelling files in this folder. Every event is kept in its original order; events
 * whose label is null are fed to the classifier (stateful detections need the whole stream) but not
 * scored.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Category } from '../../src/engine/classify/types.js';
import type { AlertPayload } from '../../src/engine/types.js';
import { csvRecords } from './csv.js';
import { readZip } from './zip.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));

export interface EvalEvent {
  payload: AlertPayload;
  /** The raw text as it arrives (for the leakage check); null label = fed, not scored. */
  raw: string;
  label: Category | null;
}

export interface EvalSet {
  name: string;
  /** Where the events come from and who labelled them, for the README. */
  source: string;
  events: EvalEvent[];
}

const gz = (path: string): string => gunzipSync(readFileSync(path)).toString('utf8');
const lines = (text: string): string[] => text.split(/\r?\n/).filter((l) => l !== '');

function loghub(fixtures: string, name: string, rawText: string, structured: string, labelOf: (eventId: string) => Category | null, source: string): EvalSet {
  const raw = lines(rawText);
  const rows = csvRecords(structured);
  if (rows.length !== raw.length) throw new Error(`${name}: ${raw.length} lines but ${rows.length} structured rows`);
  const events = raw.map((line, i) => {
    const row = rows[i]!;
    // The structured CSV is the upstream parse of the same line: check the two still line up.
    if (Number(row.LineId) !== i + 1 || !line.includes(row.Content!.trim().slice(0, 40))) throw new Error(`${name}: line ${i + 1} does not match its structured row`);
    return { payload: { kind: 'log' as const, text: line }, raw: line, label: labelOf(row.EventId!) };
  });
  return { name, source, events };
}

const LOGHUB_CATEGORY: Record<string, Category | null> = { benign: 'BENIGN', brute_force: 'BRUTE_FORCE', suspicious_access: 'SUSPICIOUS_ACCESS', other: null };

function openSsh(fixtures: string): EvalSet {
  const dir = join(fixtures, 'loghub');
  const mapping = new Map(csvRecords(readFileSync(join(dir, 'OpenSSH_2k_eventid_to_category.DERIVED.csv'), 'utf8')).map((r) => [r.EventId!, r.soc_category!]));
  return loghub(
    fixtures,
    'Loghub OpenSSH_2k',
    readFileSync(join(dir, 'OpenSSH_2k.log'), 'utf8'),
    gz(join(dir, 'OpenSSH_2k.log_structured.csv.gz')),
    (id) => {
      const c = mapping.get(id);
      if (c === undefined || !(c in LOGHUB_CATEGORY)) throw new Error(`OpenSSH: no category for ${id}`);
      return LOGHUB_CATEGORY[c]!;
    },
    'Loghub OpenSSH_2k.log (real sshd log, Zhu et al., ISSRE 2023); labels from the upstream template ids via ../shared/fixtures/loghub/OpenSSH_2k_eventid_to_category.DERIVED.csv (`other` excluded)',
  );
}

function linux(fixtures: string): EvalSet {
  const dir = join(fixtures, 'loghub');
  const mapping = new Map(csvRecords(readFileSync(join(HERE, 'Linux_2k_eventid_to_category.DERIVED.csv'), 'utf8')).map((r) => [r.EventId!, r.category!]));
  return loghub(
    fixtures,
    'Loghub Linux_2k',
    gz(join(dir, 'Linux_2k.log.gz')),
    gz(join(dir, 'Linux_2k.log_structured.csv.gz')),
    (id) => {
      const c = mapping.get(id);
      if (c === undefined) throw new Error(`Linux: no category for ${id}`);
      return c === 'EXCLUDED' ? null : (c as Category);
    },
    'Loghub Linux_2k.log (real syslog, Zhu et al., ISSRE 2023); labels: our own template-to-category mapping, scripts/eval-data/Linux_2k_eventid_to_category.DERIVED.csv (`EXCLUDED` rows not scored)',
  );
}

function ecsSyslog(fixtures: string): EvalSet {
  const raw = lines(readFileSync(join(fixtures, 'ecs_syslog', 'beats_filebeat_system_auth_test.log'), 'utf8'));
  const labels = new Map(csvRecords(readFileSync(join(HERE, 'ecs_syslog_auth_labels.DERIVED.csv'), 'utf8')).map((r) => [Number(r.line), r]));
  if (labels.size !== raw.length) throw new Error(`ecs_syslog: ${raw.length} lines, ${labels.size} labels`);
  // Each label names a piece of its line, so a reordered or edited log cannot silently shift labels.
  raw.forEach((line, i) => {
    if (!line.includes(labels.get(i + 1)!.contains!)) throw new Error(`ecs_syslog: line ${i + 1} does not contain its label's text`);
  });
  return {
    name: 'Filebeat system/auth test log',
    source: 'elastic/beats filebeat/module/system/auth/test/test.log (Apache-2.0, 10 lines); labels: ours, by content, scripts/eval-data/ecs_syslog_auth_labels.DERIVED.csv',
    events: raw.map((line, i) => ({ payload: { kind: 'log', text: line }, raw: line, label: labels.get(i + 1)!.category as Category })),
  };
}

interface OtrfRule {
  zip: string;
  technique: string;
  category: Category;
  activity: string;
  exclude: string;
  background: Category | 'EXCLUDED';
}

function otrf(fixtures: string): EvalSet[] {
  const rules = (JSON.parse(readFileSync(join(HERE, 'otrf_labels.DERIVED.json'), 'utf8')) as { datasets: OtrfRule[] }).datasets;
  return rules.map((rule) => {
    const files = readZip(readFileSync(join(fixtures, 'otrf', 'datasets', rule.zip)));
    const [name, content] = [...files].find(([n]) => !n.endsWith('/'))!;
    let raws = lines(content.toString('utf8'));
    const json = raws[0]?.startsWith('{') ?? false;
    if (json) {
      const time = (l: string): string => String((JSON.parse(l) as { TimeCreated?: unknown }).TimeCreated ?? '');
      raws = raws.map((l, i) => ({ l, i, t: time(l) })).sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.i - b.i)).map((x) => x.l);
    }
    const activity = new RegExp(rule.activity);
    const exclude = new RegExp(rule.exclude);
    const events = raws.map((line): EvalEvent => {
      const label = exclude.test(line) ? null : activity.test(line) ? rule.category : rule.background === 'EXCLUDED' ? null : rule.background;
      const payload: AlertPayload = json ? { kind: 'json', value: JSON.parse(line) as Record<string, unknown> } : { kind: 'log', text: line };
      return { payload, raw: line, label };
    });
    return {
      name: `OTRF ${rule.zip.replace(/\.zip$/, '')} (${rule.technique})`,
      source: `OTRF Security-Datasets ${name} (MIT); labels: ours, scripts/eval-data/otrf_labels.DERIVED.json (${rule.technique} -> ${rule.category})`,
      events,
    };
  });
}

export function loadEvalSets(fixtures: string): EvalSet[] {
  return [openSsh(fixtures), linux(fixtures), ecsSyslog(fixtures), ...otrf(fixtures)];
}

/**
 * `npm run train`: trains the text model on data/training/corpus.jsonl and writes
 * data/model/text-model.json, then prints training-set accuracy and two cross-validated estimates:
 *  - stratified-ish k-fold, each example's fold fixed by a hash of its text;
 *  - grouped k-fold, whole sources (one template family or upstream file) held out together, which
 *    estimates how the model does on a log family it has never seen (near-duplicates from one
 *    template cannot sit on both sides of the split).
 * Deterministic: the same corpus gives the same model bytes and the same figures.
 * Flags: --no-cv (skip cross-validation), --folds N (default 5).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { dirname } from 'node:path';
import {
  corpusTrainingExamples,
  createTextModel,
  DEFAULT_MODEL_PATH,
  loadTextModel,
  readCorpus,
  stringifyModel,
  trainTextModel,
  type CorpusRecord,
  type TrainingExample,
} from '../src/engine/classify/model/index.js';
import { markdown, score, type Scored } from './eval-data/metrics.js';

const args = process.argv.slice(2);
const folds = Number(args[args.indexOf('--folds') + 1] ?? 5) || 5;
const crossValidate = !args.includes('--no-cv');

function hashFold(key: string, k: number): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % k;
}

/** Source family: `generated:benign/cron`, or the upstream file without its commit. */
function group(record: CorpusRecord): string {
  return record.source.split('@')[0]!;
}

function crossValidated(examples: TrainingExample[], foldOf: (i: number) => number, k: number): Scored[] {
  const out: Scored[] = [];
  for (let f = 0; f < k; f++) {
    const train = examples.filter((_, i) => foldOf(i) !== f);
    const test = examples.filter((_, i) => foldOf(i) === f);
    if (!test.length) continue;
    const model = createTextModel(trainTextModel(train));
    for (const e of test) out.push({ truth: e.category, predicted: model.predict(e.text).category });
  }
  return out;
}

const started = performance.now();
const { records, sha256 } = readCorpus();
const examples = corpusTrainingExamples(records);
const model = trainTextModel(examples, { corpusFileSha256: sha256 });
mkdirSync(dirname(DEFAULT_MODEL_PATH), { recursive: true });
const text = stringifyModel(model);
writeFileSync(DEFAULT_MODEL_PATH, text);
console.log(`model ${model.version}: ${examples.length} examples, ${model.buckets.length} features kept, ${(text.length / 1024).toFixed(0)} KiB -> ${DEFAULT_MODEL_PATH}`);
console.log(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s; per category: ${JSON.stringify(model.corpus.perCategory)}`);

const trained = createTextModel(model);
const onTraining = score(examples.map((e) => ({ truth: e.category, predicted: trained.predict(e.text).category })));
console.log(`\n### Training set (resubstitution, optimistic)\n\naccuracy ${onTraining.accuracy.toFixed(3)}, macro-F1 ${onTraining.macroF1.toFixed(3)}`);

/** Load time and single-core prediction rate on a ~200-byte sshd line (reported, never asserted). */
function speed(): string {
  let t = performance.now();
  const loaded = loadTextModel();
  const loadMs = performance.now() - t;
  const line = 'Failed password for invalid user admin from 185.22.13.9 port 52144 ssh2; pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=185.22.13.9 user=admin';
  for (let i = 0; i < 2000; i++) loaded.predict(i % 2 ? line : `${line} ${i}`);
  const n = 40_000;
  t = performance.now();
  for (let i = 0; i < n; i++) loaded.predict(i % 2 ? line : `${line} ${i}`);
  const rate = n / ((performance.now() - t) / 1000);
  return `load ${loadMs.toFixed(0)} ms; predict ${Math.round(rate)} lines/s on one core (${line.length}-byte line, explanation included)`;
}
console.log(`\n${speed()}`);

if (crossValidate) {
  const byText = crossValidated(examples, (i) => hashFold(records[i]!.text, folds), folds);
  console.log(`\n### ${folds}-fold cross-validation, folds by example (data/training/corpus.jsonl)\n\n${markdown(score(byText))}`);
  const byGroup = crossValidated(examples, (i) => hashFold(group(records[i]!), folds), folds);
  console.log(`\n### ${folds}-fold cross-validation, whole source families held out (data/training/corpus.jsonl)\n\n${markdown(score(byGroup))}`);
}

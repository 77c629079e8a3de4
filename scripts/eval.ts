/**
 * `npm run eval`: scores the classifier on held-out real logs from ../shared/fixtures (Loghub OpenSSH
 * and Linux, the Filebeat auth test log, OTRF captures) and prints Markdown tables for the README.
 * Optional: the project never needs ../shared; without it this says so and exits 0.
 *
 * By default it scores the whole classifier (createStandaloneClassifier: normalize, rules, text model,
 * stateful detections), a fresh one per dataset, events fed in their original order. `--model-only`
 * scores the text model alone on each normalized message. `--only <substring>` picks datasets.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTextModel, readCorpus } from '../src/engine/classify/model/index.js';
import type { Category } from '../src/engine/classify/types.js';
import { normalize } from '../src/engine/normalize/index.js';
import type { AlertPayload } from '../src/engine/types.js';
import { loadEvalSets } from './eval-data/datasets.js';
import { markdown, score, type Scored } from './eval-data/metrics.js';

interface Classifier {
  classify(payload: AlertPayload): Promise<{ category: Category; confidence: number }>;
  close(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(ROOT, '..', 'shared', 'fixtures');
const args = process.argv.slice(2);
const modelOnly = args.includes('--model-only');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

if (!existsSync(join(FIXTURES, 'loghub'))) {
  console.log(`No evaluation data at ${FIXTURES} (it lives beside the project, in ../shared/fixtures). Nothing to evaluate.`);
  process.exit(0);
}

async function classifierFactory(): Promise<() => Classifier> {
  if (modelOnly) {
    const model = loadTextModel();
    return () => ({
      // What the classify stage gives the model: the normalized message.
      classify: async (payload) => {
        const p = model.predict(normalize(payload).message);
        return { category: p.category, confidence: p.confidence };
      },
      close: async () => {},
    });
  }
  try {
    const { createStandaloneClassifier } = await import('../src/engine/classify/standalone.js');
    return () => createStandaloneClassifier();
  } catch (err) {
    console.error(`The full classifier could not be loaded (${(err as Error).message}).\nRun with --model-only to score the text model alone.`);
    process.exit(1);
  }
}

const sets = loadEvalSets(FIXTURES).filter((s) => !only || s.name.toLowerCase().includes(only.toLowerCase()));
const make = await classifierFactory();
const training = new Set(readCorpus().records.map((r) => r.text));
const all: Scored[] = [];
const started = performance.now();

console.log(`## Evaluation: ${modelOnly ? 'text model alone (`npm run eval -- --model-only`)' : 'full classifier (`npm run eval`)'}\n`);
console.log(
  'Held-out real logs read from ../shared/fixtures, never copied into the project nor used for training. ' +
    'Each dataset gets a fresh classifier and is fed in its original order; events without a label are fed but not scored.\n',
);
for (const set of sets) {
  const classifier = make();
  const scored: Scored[] = [];
  let leaked = 0;
  try {
    for (const event of set.events) {
      const { category } = await classifier.classify(event.payload);
      if (training.has(event.raw)) leaked++;
      if (event.label) scored.push({ truth: event.label, predicted: category });
    }
  } finally {
    await classifier.close();
  }
  all.push(...scored);
  const excluded = set.events.length - scored.length;
  console.log(`### ${set.name}\n\nData: ${set.source}. ${set.events.length} events, ${scored.length} scored, ${excluded} excluded as ambiguous.${leaked ? ` WARNING: ${leaked} events also appear verbatim in the training corpus.` : ' None appears verbatim in the training corpus.'}\n`);
  console.log(`${markdown(score(scored))}\n`);
}
console.log(`### All datasets pooled\n\nEvery scored event above, ${all.length} in all (${sets.map((s) => `${s.name}: ${s.events.filter((e) => e.label).length}`).join(', ')}).\n\n${markdown(score(all))}\n`);
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);

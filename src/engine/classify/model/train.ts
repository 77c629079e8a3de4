/**
 * Training: labelled texts in, a SerializedModel out. Pure and deterministic: the same examples and
 * options give the same bytes (see stringifyModel), which is what lets a test check the committed
 * model against the committed corpus.
 */
import { createHash } from 'node:crypto';
import { CATEGORIES, type Category } from '../types.js';
import { FeatureNames, featureBuckets, HASH_BITS, NGRAM_MAX, NGRAM_MIN } from './features.js';
import { trainSoftmax, type SparseRows } from './logistic.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type SerializedModel, type TrainingParameters } from './model-file.js';
import { MAX_INPUT_CHARS } from './tokenize.js';

export interface TrainingExample {
  text: string;
  category: Category;
}

export interface TrainOptions extends Partial<TrainingParameters> {
  /** SHA-256 of the corpus file, recorded in the model so a test can tie the two together. */
  corpusFileSha256?: string;
}

export const DEFAULT_TRAINING: TrainingParameters = { l2: 1e-4, epochs: 40, learningRate: 0.1, minDf: 2 };
/**
 * Rows whose every weight is below this are dropped: together they move a score by well under 0.01,
 * and dropping them nearly halves the file. The norm still counts them (prediction counts all features).
 */
const MIN_WEIGHT = 0.1;
/** Weights keep two decimals: a feature moves a score by at most 0.005 x 1/sqrt(features) through rounding. */
const SCALE = 100;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Example buckets, and the vocabulary: buckets seen in at least `minDf` examples, ascending. */
function vocabulary(bucketsPerExample: Int32Array[], minDf: number): Int32Array {
  const df = new Map<number, number>();
  for (const buckets of bucketsPerExample) for (const b of buckets) df.set(b, (df.get(b) ?? 0) + 1);
  const kept = [...df].filter(([, count]) => count >= minDf).map(([b]) => b);
  return Int32Array.from(kept).sort();
}

function sparseRows(bucketsPerExample: Int32Array[], vocab: Int32Array): SparseRows {
  const column = new Map<number, number>();
  vocab.forEach((b, j) => column.set(b, j));
  const rowStart = new Int32Array(bucketsPerExample.length + 1);
  const columns: number[] = [];
  const value = new Float64Array(bucketsPerExample.length);
  bucketsPerExample.forEach((buckets, i) => {
    for (const b of buckets) {
      const j = column.get(b);
      if (j !== undefined) columns.push(j);
    }
    rowStart[i + 1] = columns.length;
    // Normalized over all the example's features, known or not, as prediction does.
    value[i] = buckets.length > 0 ? 1 / Math.sqrt(buckets.length) : 0;
  });
  return { rowStart, columns: Int32Array.from(columns), value };
}

export function trainTextModel(examples: ReadonlyArray<TrainingExample>, options: TrainOptions = {}): SerializedModel {
  const params: TrainingParameters = {
    l2: options.l2 ?? DEFAULT_TRAINING.l2,
    epochs: options.epochs ?? DEFAULT_TRAINING.epochs,
    learningRate: options.learningRate ?? DEFAULT_TRAINING.learningRate,
    minDf: options.minDf ?? DEFAULT_TRAINING.minDf,
  };
  const categories = [...CATEGORIES];
  const k = categories.length;
  const labels = new Int32Array(examples.length);
  const perCategory = Object.fromEntries(categories.map((c) => [c, 0])) as Record<Category, number>;
  examples.forEach((e, i) => {
    const c = categories.indexOf(e.category);
    if (c < 0 || typeof e.text !== 'string') throw new Error(`training example ${i}: bad category or text`);
    labels[i] = c;
    perCategory[e.category]++;
  });

  const bucketsPerExample = examples.map((e) => featureBuckets(e.text));
  const vocab = vocabulary(bucketsPerExample, params.minDf);
  const x = sparseRows(bucketsPerExample, vocab);
  // Each category weighs the same in the loss whatever its number of examples.
  const sampleWeight = Float64Array.from(labels, (c) => examples.length / (k * perCategory[categories[c]!]));
  const trained = trainSoftmax(x, labels, sampleWeight, { classes: k, features: vocab.length, ...params });

  const names = new FeatureNames();
  for (const e of examples) names.addText(e.text);
  const buckets: number[] = [];
  const rowNames: string[] = [];
  const weights: number[] = [];
  vocab.forEach((bucket, j) => {
    const row = Array.from(trained.weights.subarray(j * k, j * k + k), (w) => Math.round(w * SCALE) + 0);
    if (row.every((w) => Math.abs(w) < MIN_WEIGHT * SCALE)) return;
    buckets.push(bucket);
    rowNames.push(names.nameOf(bucket));
    weights.push(...row);
  });

  const examplesSha256 = sha256(examples.map((e) => JSON.stringify([e.category, e.text])).join('\n'));
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    version: `lr-${sha256(JSON.stringify([MODEL_FORMAT_VERSION, examplesSha256, params, SCALE, MIN_WEIGHT])).slice(0, 12)}`,
    algorithm: 'softmax-logistic-regression',
    categories,
    featurizer: { hashBits: HASH_BITS, ngramMin: NGRAM_MIN, ngramMax: NGRAM_MAX, maxInputChars: MAX_INPUT_CHARS },
    training: params,
    corpus: { examplesSha256, fileSha256: options.corpusFileSha256 ?? null, examples: examples.length, perCategory },
    scale: SCALE,
    bias: Array.from(trained.bias, (b) => Math.round(b * SCALE) + 0),
    buckets,
    names: rowNames,
    weights,
  };
}

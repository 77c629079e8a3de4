/**
 * The text model as stored in data/model/text-model.json: its vocabulary (kept hash buckets with a
 * readable name each), quantized weights per category, and where it came from. Validated on load so
 * a stale or hand-edited file fails loudly instead of predicting nonsense.
 */
import { CATEGORIES, type Category } from '../types.js';
import { HASH_BITS, NGRAM_MAX, NGRAM_MIN } from './features.js';
import { MAX_INPUT_CHARS } from './tokenize.js';

export const MODEL_FORMAT = 'vigil-text-model';
/** Bump when the featurizer or the file layout changes meaning: old files then refuse to load. */
export const MODEL_FORMAT_VERSION = 1;

export interface TrainingParameters {
  l2: number;
  epochs: number;
  learningRate: number;
  minDf: number;
}

export interface SerializedModel {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof MODEL_FORMAT_VERSION;
  /** `lr-` and 12 hex digits of SHA-256 over the training examples, parameters and format. */
  version: string;
  algorithm: 'softmax-logistic-regression';
  /** Column order of `bias` and of each row of `weights`. */
  categories: Category[];
  featurizer: { hashBits: number; ngramMin: number; ngramMax: number; maxInputChars: number };
  training: TrainingParameters;
  corpus: {
    /** SHA-256 of the examples as trained on (text and category, in order). */
    examplesSha256: string;
    /** SHA-256 of the corpus file the examples were read from, when the caller named one. */
    fileSha256: string | null;
    examples: number;
    perCategory: Record<Category, number>;
  };
  /** Weights and biases are stored as integers; divide by this. */
  scale: number;
  bias: number[];
  /** Kept hash buckets, ascending. */
  buckets: number[];
  /** A readable name per bucket: the commonest feature text that fell into it during training. */
  names: string[];
  /** `buckets.length` rows of `categories.length` integers. */
  weights: number[];
}

function fail(message: string): never {
  throw new Error(`text model: ${message}`);
}

function isIntArray(value: unknown, length?: number): value is number[] {
  return Array.isArray(value) && (length === undefined || value.length === length) && value.every((v) => Number.isInteger(v));
}

/** Parses and checks a model file's text. */
export function parseModel(text: string): SerializedModel {
  const m = JSON.parse(text) as Partial<SerializedModel> | null;
  if (!m || m.format !== MODEL_FORMAT) fail('not a vigil text model file');
  if (m.formatVersion !== MODEL_FORMAT_VERSION) fail(`format version ${String(m.formatVersion)} is not ${MODEL_FORMAT_VERSION}: run \`npm run train\``);
  const f = m.featurizer;
  if (!f || f.hashBits !== HASH_BITS || f.ngramMin !== NGRAM_MIN || f.ngramMax !== NGRAM_MAX || f.maxInputChars !== MAX_INPUT_CHARS) {
    fail('trained with another featurizer: run `npm run train`');
  }
  const categories = m.categories;
  if (!Array.isArray(categories) || categories.length !== CATEGORIES.length || !CATEGORIES.every((c) => categories.includes(c))) {
    fail('categories do not match the classify stage');
  }
  const rows = m.buckets?.length ?? -1;
  if (!isIntArray(m.buckets) || !m.buckets.every((b, i) => b >= 0 && b < 1 << HASH_BITS && (i === 0 || b > m.buckets![i - 1]!))) {
    fail('buckets must be ascending integers within the hash range');
  }
  if (!Array.isArray(m.names) || m.names.length !== rows) fail('one name per bucket expected');
  if (!isIntArray(m.weights, rows * categories.length) || !isIntArray(m.bias, categories.length)) fail('weights do not match the vocabulary');
  if (typeof m.scale !== 'number' || !(m.scale > 0)) fail('bad scale');
  if (typeof m.version !== 'string') fail('missing version');
  return m as SerializedModel;
}

/**
 * One key per line, arrays kept on their line: small diffs in review for the header, a compact file.
 * Key order is fixed by the object literal that built the model, so equal models are equal bytes.
 */
export function stringifyModel(model: SerializedModel): string {
  const lines = Object.entries(model).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

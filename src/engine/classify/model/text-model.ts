/**
 * Prediction with a trained text model: hashed features of the text, a linear score per category,
 * softmax, and the features that pushed hardest toward the winner as the explanation.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Category, ModelPrediction } from '../types.js';
import { HASH_BITS, KIND_BIGRAM, visitFeatures, type FeatureVisitor } from './features.js';
import { parseModel, type SerializedModel } from './model-file.js';
import { tokenize } from './tokenize.js';

export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../../../data/model/text-model.json', import.meta.url));

/** How many features an explanation names. */
const TOP_FEATURES = 5;

export interface TextModel {
  predict(text: string): ModelPrediction;
  version: string;
}

export function createTextModel(model: SerializedModel): TextModel {
  const categories = model.categories;
  const k = categories.length;
  const rowOf = new Int32Array(1 << HASH_BITS).fill(-1);
  model.buckets.forEach((bucket, row) => (rowOf[bucket] = row));
  const weights = Float64Array.from(model.weights, (w) => w / model.scale);
  const bias = model.bias.map((b) => b / model.scale);

  // Scratch state reused by every call (prediction is synchronous): a generation stamp per bucket
  // dedupes features without sorting, and the hit lists feed the explanation without a second pass.
  const stamp = new Int32Array(1 << HASH_BITS);
  let generation = 0;
  let distinct = 0;
  let hitRows: number[] = [];
  let hitItems: number[] = [];
  let tokenCount = 0;
  const raw = new Float64Array(k);
  const visitor: FeatureVisitor = {
    add(bucket, kind, _s, _start, _end, _next, token) {
      if (stamp[bucket] === generation) return;
      stamp[bucket] = generation;
      distinct++;
      const row = rowOf[bucket]!;
      if (row < 0) return;
      for (let c = 0; c < k; c++) raw[c]! += weights[row * k + c]!;
      hitRows.push(row);
      // Character n-grams alone read badly (`*ssh*`): each is credited to the word it came from, so
      // the explanation names words and word pairs of the (normalized) message.
      hitItems.push(kind === KIND_BIGRAM ? tokenCount + token : token);
    },
  };

  /** Softmax ignores what every category shares: a feature counts by how much more it gives the winner. */
  function push(row: number, winner: number): number {
    let others = 0;
    for (let c = 0; c < k; c++) if (c !== winner) others += weights[row * k + c]!;
    return weights[row * k + winner]! - others / (k - 1);
  }

  function explain(tokens: string[], value: number, winner: number): ModelPrediction['topFeatures'] {
    const byItem = new Float64Array(2 * tokens.length);
    for (let i = 0; i < hitRows.length; i++) byItem[hitItems[i]!]! += value * push(hitRows[i]!, winner);
    const order: number[] = [];
    byItem.forEach((w, item) => w > 0 && order.push(item));
    order.sort((a, b) => byItem[b]! - byItem[a]! || a - b);
    const n = tokens.length;
    return order.slice(0, TOP_FEATURES).map((item) => ({
      feature: item < n ? tokens[item]! : `${tokens[item - n]} ${tokens[item - n + 1]}`,
      weight: Math.round(byItem[item]! * 1e4) / 1e4,
    }));
  }

  return {
    version: model.version,
    predict(text: string): ModelPrediction {
      const tokens = tokenize(typeof text === 'string' ? text : '');
      generation = generation === 0x7fffffff ? 1 : generation + 1;
      if (generation === 1) stamp.fill(0);
      distinct = 0;
      hitRows = [];
      hitItems = [];
      tokenCount = tokens.length;
      raw.fill(0);
      visitFeatures(tokens, visitor);
      // Every feature of the text counts toward the norm, known or not, exactly as in training.
      const value = distinct > 0 ? 1 / Math.sqrt(distinct) : 0;
      const scores = bias.map((b, c) => b + value * raw[c]!);
      let winner = 0;
      for (let c = 1; c < k; c++) if (scores[c]! > scores[winner]!) winner = c;
      const max = scores[winner]!;
      let sum = 0;
      const exp = scores.map((s) => {
        const e = Math.exp(s - max);
        sum += e;
        return e;
      });
      const probabilities = {} as Record<Category, number>;
      categories.forEach((category, c) => (probabilities[category] = exp[c]! / sum));
      return {
        category: categories[winner]!,
        confidence: probabilities[categories[winner]!],
        probabilities,
        topFeatures: explain(tokens, value, winner),
      };
    },
  };
}

export function loadTextModel(path: string = DEFAULT_MODEL_PATH): TextModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`text model: cannot read ${path} (${(err as Error).message}); run \`npm run train\``);
  }
  return createTextModel(parseModel(text));
}

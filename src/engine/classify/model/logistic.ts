/**
 * Multinomial (softmax) logistic regression with an L2 penalty, trained by full-batch Adam.
 *
 * Why this and not naive Bayes: the features overlap heavily (a word, its bigrams and a dozen of its
 * character n-grams all fire together), and naive Bayes counts each of them as independent evidence,
 * which drives its probabilities to 0 or 1 whatever the truth. Logistic regression shares the weight
 * among correlated features, so its probabilities stay usable as confidences for the combiner, and
 * the penalty keeps rare features from memorizing single examples.
 *
 * Deterministic: full batches in a fixed order, no sampling, no random initialization (all zeros; the
 * problem is convex), so the same input gives the same weights bit for bit.
 */

/** Examples as a compressed sparse row matrix; every nonzero of row i has the value `value[i]`. */
export interface SparseRows {
  rowStart: Int32Array;
  columns: Int32Array;
  value: Float64Array;
}

export interface SoftmaxOptions {
  classes: number;
  features: number;
  l2: number;
  epochs: number;
  learningRate: number;
}

export interface SoftmaxWeights {
  /** `features` rows of `classes` weights. */
  weights: Float64Array;
  bias: Float64Array;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

function softmaxInPlace(z: Float64Array): void {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let c = 0; c < z.length; c++) sum += z[c] = Math.exp(z[c]! - max);
  for (let c = 0; c < z.length; c++) z[c]! /= sum;
}

/** Class probabilities of row `i` under the current weights, into `out`. */
export function rowProbabilities(x: SparseRows, i: number, w: SoftmaxWeights, out: Float64Array): void {
  const k = out.length;
  out.set(w.bias);
  const v = x.value[i]!;
  for (let p = x.rowStart[i]!; p < x.rowStart[i + 1]!; p++) {
    const base = x.columns[p]! * k;
    for (let c = 0; c < k; c++) out[c]! += v * w.weights[base + c]!;
  }
  softmaxInPlace(out);
}

/**
 * Minimizes the weighted mean cross-entropy plus (l2 / 2) * |W|^2 (the bias is not penalized).
 * `sampleWeight` lets callers balance classes.
 */
export function trainSoftmax(x: SparseRows, labels: Int32Array, sampleWeight: Float64Array, opts: SoftmaxOptions): SoftmaxWeights {
  const { classes: k, features } = opts;
  const n = labels.length;
  const size = features * k;
  const model: SoftmaxWeights = { weights: new Float64Array(size), bias: new Float64Array(k) };
  const grad = new Float64Array(size);
  const gradBias = new Float64Array(k);
  const m1 = new Float64Array(size);
  const m2 = new Float64Array(size);
  const m1Bias = new Float64Array(k);
  const m2Bias = new Float64Array(k);
  const p = new Float64Array(k);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += sampleWeight[i]!;
  if (totalWeight <= 0) return model;

  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    grad.fill(0);
    gradBias.fill(0);
    for (let i = 0; i < n; i++) {
      rowProbabilities(x, i, model, p);
      const scale = sampleWeight[i]! / totalWeight;
      p[labels[i]!]! -= 1;
      for (let c = 0; c < k; c++) {
        p[c]! *= scale;
        gradBias[c]! += p[c]!;
      }
      const v = x.value[i]!;
      for (let q = x.rowStart[i]!; q < x.rowStart[i + 1]!; q++) {
        const base = x.columns[q]! * k;
        for (let c = 0; c < k; c++) grad[base + c]! += v * p[c]!;
      }
    }
    const lr = (opts.learningRate * Math.sqrt(1 - BETA2 ** epoch)) / (1 - BETA1 ** epoch);
    for (let j = 0; j < size; j++) {
      const g = grad[j]! + opts.l2 * model.weights[j]!;
      m1[j] = BETA1 * m1[j]! + (1 - BETA1) * g;
      m2[j] = BETA2 * m2[j]! + (1 - BETA2) * g * g;
      model.weights[j]! -= (lr * m1[j]!) / (Math.sqrt(m2[j]!) + EPSILON);
    }
    for (let c = 0; c < k; c++) {
      const g = gradBias[c]!;
      m1Bias[c] = BETA1 * m1Bias[c]! + (1 - BETA1) * g;
      m2Bias[c] = BETA2 * m2Bias[c]! + (1 - BETA2) * g * g;
      model.bias[c]! -= (lr * m1Bias[c]!) / (Math.sqrt(m2Bias[c]!) + EPSILON);
    }
  }
  return model;
}

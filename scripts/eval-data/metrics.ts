/**
 * Classification metrics and their Markdown rendering, shared by `npm run train` (cross-validation)
 * and `npm run eval` (held-out real logs).
 */
import { CATEGORIES, type Category } from '../../src/engine/classify/types.js';

export interface Scored {
  truth: Category;
  predicted: Category;
}

export interface CategoryMetrics {
  category: Category;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  predicted: number;
}

export interface Metrics {
  total: number;
  accuracy: number;
  /** Mean F1 over the categories that have support (true examples) in the set. */
  macroF1: number;
  perCategory: CategoryMetrics[];
  /** matrix[truth][predicted], in CATEGORIES order. */
  matrix: number[][];
}

export function score(items: ReadonlyArray<Scored>): Metrics {
  const index = new Map(CATEGORIES.map((c, i) => [c, i]));
  const matrix = CATEGORIES.map(() => CATEGORIES.map(() => 0));
  for (const { truth, predicted } of items) matrix[index.get(truth)!]![index.get(predicted)!]!++;
  const perCategory = CATEGORIES.map((category, i) => {
    const tp = matrix[i]![i]!;
    const support = matrix[i]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, row) => a + row[i]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { category, precision, recall, f1, support, predicted };
  });
  const correct = CATEGORIES.reduce((a, _, i) => a + matrix[i]![i]!, 0);
  const withSupport = perCategory.filter((m) => m.support > 0);
  return {
    total: items.length,
    accuracy: items.length ? correct / items.length : 0,
    macroF1: withSupport.length ? withSupport.reduce((a, m) => a + m.f1, 0) / withSupport.length : 0,
    perCategory,
    matrix,
  };
}

const fmt = (x: number): string => x.toFixed(3);

/** Per-category table, summary line and confusion matrix (rows: truth, columns: predicted). */
export function markdown(m: Metrics): string {
  const shown = m.perCategory.filter((c) => c.support > 0 || c.predicted > 0);
  const lines = [
    '| category | precision | recall | F1 | support |',
    '|---|---:|---:|---:|---:|',
    ...shown.map((c) => `| ${c.category} | ${c.predicted ? fmt(c.precision) : '-'} | ${c.support ? fmt(c.recall) : '-'} | ${c.support ? fmt(c.f1) : '-'} | ${c.support} |`),
    '',
    `accuracy **${fmt(m.accuracy)}**, macro-F1 **${fmt(m.macroF1)}** (over ${m.perCategory.filter((c) => c.support > 0).length} categories with support), ${m.total} events`,
    '',
    `| truth \\ predicted | ${shown.map((c) => c.category).join(' | ')} |`,
    `|---|${shown.map(() => '---:').join('|')}|`,
  ];
  const cols = shown.map((c) => CATEGORIES.indexOf(c.category));
  for (const c of shown) {
    if (c.support === 0) continue;
    const row = m.matrix[CATEGORIES.indexOf(c.category)]!;
    lines.push(`| ${c.category} | ${cols.map((j) => row[j]).join(' | ')} |`);
  }
  return lines.join('\n');
}

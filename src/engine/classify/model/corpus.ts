/**
 * The labelled training corpus (data/training/corpus.jsonl): raw events as a client would submit them,
 * each with its category and source. Training sees each one the way the classify stage will: as the
 * `message` the normalize stage extracts, so the model learns message text, not syslog headers.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalize } from '../../normalize/index.js';
import { CATEGORIES, type Category } from '../types.js';
import type { TrainingExample } from './train.js';

export const DEFAULT_CORPUS_PATH = fileURLToPath(new URL('../../../../data/training/corpus.jsonl', import.meta.url));

export interface CorpusRecord {
  /** The raw event: a log line, or a JSON object serialized on one line. */
  text: string;
  category: Category;
  /** Where the example came from (`generated:<template>` or `<repo>:<path>@<commit>`). */
  source: string;
}

/** A fixed clock: RFC 3164 year inference must not make training depend on the day it runs. */
const NORMALIZE_NOW = Date.UTC(2026, 0, 1);

export function readCorpus(path: string = DEFAULT_CORPUS_PATH): { records: CorpusRecord[]; sha256: string } {
  const text = readFileSync(path, 'utf8');
  const records = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const r = JSON.parse(line) as Partial<CorpusRecord>;
      if (typeof r.text !== 'string' || typeof r.source !== 'string' || !CATEGORIES.includes(r.category as Category)) {
        throw new Error(`${path}:${i + 1}: expected {text, category, source}`);
      }
      return r as CorpusRecord;
    });
  return { records, sha256: createHash('sha256').update(text).digest('hex') };
}

/** The text the model is given for a raw event: the normalized message, as the classifier passes it. */
export function modelTextOf(raw: string): string {
  return normalize({ kind: 'log', text: raw }, { now: NORMALIZE_NOW }).message;
}

export function corpusTrainingExamples(records: ReadonlyArray<CorpusRecord>): TrainingExample[] {
  return records.map((r) => ({ text: modelTextOf(r.text), category: r.category }));
}

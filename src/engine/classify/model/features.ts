/**
 * Tokens to hashed features: words, word bigrams, and character 3-5 grams inside words. Hashing into
 * a fixed number of buckets keeps prediction free of string building (the hot path only mixes char
 * codes); training also records the text of each feature so the model can name what it used.
 */
import { isPlaceholder, tokenize } from './tokenize.js';

export const HASH_BITS = 20;
const MASK = (1 << HASH_BITS) - 1;
export const NGRAM_MIN = 3;
export const NGRAM_MAX = 5;
/** Character n-grams come from at most this much of a word (with its two boundary marks). */
const NGRAM_SPAN = 34;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
export const KIND_WORD = 0x77;
export const KIND_BIGRAM = 0x62;
export const KIND_NGRAM = 0x63;

function mix(h: number, c: number): number {
  return Math.imul(h ^ c, FNV_PRIME);
}

function hashRange(h: number, s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) h = mix(h, s.charCodeAt(i));
  return h;
}

/** FNV's low bits are weak; murmur3's finalizer spreads them before masking. */
function bucketOf(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & MASK;
}

/**
 * Receives every feature occurrence. The feature's text is passed as parts (no string is built on the
 * prediction path): a word is `s`, a bigram `s` and `next`, an n-gram `s.slice(start, end)` of the
 * boundary-marked word.
 */
export interface FeatureVisitor {
  /** `token` is the index of the token the feature belongs to (a bigram's first token). */
  add(bucket: number, kind: number, s: string, start: number, end: number, next: string, token: number): void;
}

function featureName(kind: number, s: string, start: number, end: number, next: string): string {
  if (kind === KIND_WORD) return s;
  if (kind === KIND_BIGRAM) return `${s} ${next}`;
  return ngramName(s, start, end);
}

function ngramName(marked: string, start: number, end: number): string {
  const gram = marked.slice(start, end);
  const head = gram.startsWith('<') ? gram.slice(1) : `*${gram}`;
  return head.endsWith('>') ? head.slice(0, -1) : `${head}*`;
}

/** Calls the visitor for every feature occurrence of the tokens, in order. */
export function visitFeatures(tokens: readonly string[], visitor: FeatureVisitor): void {
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    visitor.add(bucketOf(hashRange(mix(FNV_OFFSET, KIND_WORD), token, 0, token.length)), KIND_WORD, token, 0, token.length, '', t);
    const next = tokens[t + 1];
    if (next !== undefined) {
      let h = hashRange(mix(FNV_OFFSET, KIND_BIGRAM), token, 0, token.length);
      h = hashRange(mix(h, 32), next, 0, next.length);
      visitor.add(bucketOf(h), KIND_BIGRAM, token, 0, token.length, next, t);
    }
    if (isPlaceholder(token) || token.length < 2) continue;
    const marked = `<${token.length > NGRAM_SPAN - 2 ? token.slice(0, NGRAM_SPAN - 2) : token}>`;
    for (let n = NGRAM_MIN; n <= NGRAM_MAX; n++) {
      for (let i = 0; i + n <= marked.length; i++) {
        // The n-gram spanning both marks is the word itself, already counted.
        if (i === 0 && i + n === marked.length) continue;
        visitor.add(bucketOf(hashRange(mix(FNV_OFFSET, KIND_NGRAM), marked, i, i + n)), KIND_NGRAM, marked, i, i + n, '', t);
      }
    }
  }
}

/** Distinct feature buckets of a text, ascending: the model uses presence, not counts. */
export function featureBuckets(text: string): Int32Array {
  return tokenBuckets(tokenize(text));
}

export function tokenBuckets(tokens: readonly string[]): Int32Array {
  const found: number[] = [];
  visitFeatures(tokens, { add: (bucket) => void found.push(bucket) });
  const sorted = Int32Array.from(found).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i]!;
  return sorted.subarray(0, n);
}

/** Bucket to the texts that fell into it, with counts: training keeps the commonest as the bucket's name. */
export class FeatureNames {
  private readonly byBucket = new Map<number, Map<string, number>>();

  addText(text: string): void {
    visitFeatures(tokenize(text), {
      add: (bucket, kind, s, start, end, next) => {
        let names = this.byBucket.get(bucket);
        if (!names) this.byBucket.set(bucket, (names = new Map()));
        const key = featureName(kind, s, start, end, next);
        names.set(key, (names.get(key) ?? 0) + 1);
      },
    });
  }

  /** The most frequent text of a bucket; ties go to the alphabetically first, so names are stable. */
  nameOf(bucket: number): string {
    let best = '';
    let bestCount = -1;
    for (const [name, count] of this.byBucket.get(bucket) ?? []) {
      if (count > bestCount || (count === bestCount && name < best)) {
        best = name;
        bestCount = count;
      }
    }
    return best;
  }
}

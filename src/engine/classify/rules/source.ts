/**
 * Reading rule pack files: listing a directory, parsing YAML with positions kept, and finding the line
 * of any path inside a document, so every problem can be reported where the author has to look.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { RULE_LIMITS } from './schema.js';

export interface RuleLoadError {
  /** Path of the file (or directory) at fault. */
  file: string;
  ruleId?: string;
  /** 1-based line in the file, where known. */
  line?: number;
  message: string;
}

export interface ParsedFile {
  file: string;
  data: unknown;
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

/** YAML aliases can multiply a small file into a huge object (billion laughs); user packs need few. */
const MAX_ALIAS_COUNT = 200;
const PACK_FILE = /\.ya?ml$/i;

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/**
 * Pack files of a directory, sorted so that loading is deterministic. `missingOk` makes an absent
 * directory an empty one (an optional user directory) instead of an error.
 */
export function listPackFiles(dir: string, missingOk: boolean, errors: RuleLoadError[]): string[] {
  try {
    if (!statSync(dir).isDirectory()) {
      errors.push({ file: dir, message: 'rules path is not a directory' });
      return [];
    }
    return readdirSync(dir)
      .filter((name) => PACK_FILE.test(name) && !name.startsWith('.'))
      .sort()
      .map((name) => join(dir, name));
  } catch (err) {
    if (missingOk && errnoCode(err) === 'ENOENT') return [];
    errors.push({ file: dir, message: `cannot read rules directory: ${(err as Error).message}` });
    return [];
  }
}

function nodeLine(node: unknown, lines: LineCounter): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? lines.linePos(range[0]).line : undefined;
}

/** The line of the deepest node on `path` that exists (a missing key points at its parent). */
function findLine(doc: Document, lines: LineCounter, path: ReadonlyArray<string | number>): number | undefined {
  let node: unknown = doc.contents;
  let line = nodeLine(node, lines);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value === key : p.key === key));
      if (!pair) break;
      // The key's line, not the value's: a nested block value starts on the line after its key.
      line = nodeLine(pair.key, lines) ?? nodeLine(pair.value, lines) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      line = nodeLine(node, lines) ?? line;
    } else {
      break;
    }
  }
  return line;
}

/** Reads and parses one pack file; returns undefined (with errors recorded) when it cannot be used. */
export function readPackFile(file: string, errors: RuleLoadError[]): ParsedFile | undefined {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > RULE_LIMITS.fileBytes) {
      errors.push({ file, message: `file is ${size} bytes, more than the ${RULE_LIMITS.fileBytes} allowed for a rule pack` });
      return undefined;
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    errors.push({ file, message: `cannot read file: ${(err as Error).message}` });
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      errors.push({ file, line: lines.linePos(err.pos[0]).line, message: `YAML: ${err.message}` });
    }
    return undefined;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    errors.push({ file, message: `YAML: ${(err as Error).message}` });
    return undefined;
  }
  return { file, data, lineOf: (path) => findLine(doc, lines, path) };
}

/**
 * Hand-edited YAML (rule packs, playbooks, the notification file): parsed with positions kept, so every
 * problem is reported with the line the author has to look at, and with aliases bounded (a small file must
 * not expand into a huge object).
 */
import { readFileSync, statSync } from 'node:fs';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

export type YamlPath = ReadonlyArray<string | number>;

export interface YamlProblem {
  /** 1-based line, where known. */
  line?: number;
  message: string;
}

export interface YamlDocument {
  data: unknown;
  /** The line of the deepest node on `path` that exists (a missing key points at its parent). */
  lineOf(path: YamlPath): number | undefined;
}

function nodeLine(node: unknown, lines: LineCounter): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? lines.linePos(range[0]).line : undefined;
}

function findLine(doc: Document, lines: LineCounter, path: YamlPath): number | undefined {
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

/** Parses YAML text; duplicate keys and syntax errors are problems with their lines. */
export function parseYaml(text: string, maxAliasCount: number): { doc: YamlDocument } | { problems: YamlProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) return { problems: doc.errors.map((e) => ({ line: lines.linePos(e.pos[0]).line, message: `YAML: ${e.message}` })) };
  try {
    return { doc: { data: doc.toJS({ maxAliasCount }), lineOf: (path) => findLine(doc, lines, path) } };
  } catch (error) {
    return { problems: [{ message: `YAML: ${(error as Error).message}` }] };
  }
}

/** Reads and parses a file no larger than `maxBytes`; `kind` names it in the size problem ("rule pack"). */
export function readYamlFile(file: string, limits: { maxBytes: number; maxAliasCount: number; kind: string }): { doc: YamlDocument } | { problems: YamlProblem[] } {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > limits.maxBytes) return { problems: [{ message: `file is ${size} bytes, more than the ${limits.maxBytes} allowed for a ${limits.kind}` }] };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { problems: [{ message: `cannot read file: ${(error as Error).message}` }] };
  }
  return parseYaml(text, limits.maxAliasCount);
}

/** `match.all[1].regex`, the way an author would point at the key. */
export function formatPath(path: ReadonlyArray<string | number | symbol>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** A zod issue's path, extended to the first unknown key so the line points at the misspelt one. */
export function issuePath(issue: { path: PropertyKey[]; code?: string; keys?: string[] }): Array<string | number> {
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  return issue.code === 'unrecognized_keys' && issue.keys?.[0] !== undefined ? [...path, issue.keys[0]] : path;
}

/** Reading rule pack files: listing a directory, and parsing each file with its lines kept. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readYamlFile } from '../../yaml-document.js';
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

/** Reads and parses one pack file; returns undefined (with errors recorded) when it cannot be used. */
export function readPackFile(file: string, errors: RuleLoadError[]): ParsedFile | undefined {
  const read = readYamlFile(file, { maxBytes: RULE_LIMITS.fileBytes, maxAliasCount: MAX_ALIAS_COUNT, kind: 'rule pack' });
  if ('problems' in read) {
    for (const problem of read.problems) errors.push({ file, ...problem });
    return undefined;
  }
  return { file, ...read.doc };
}

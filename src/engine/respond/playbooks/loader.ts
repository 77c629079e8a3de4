/**
 * Reads the shipped playbooks (data/playbooks) and a user directory into one set by name. A user file
 * with the name of a shipped playbook replaces it: that is how a site tunes a default, so it is not an
 * error. A broken file is skipped with its problems reported; loading never throws.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePlaybook, type PlaybookLoadError } from './parse.js';
import { PLAYBOOK_LIMITS, type PlaybookSpec } from './schema.js';

export const DEFAULT_PLAYBOOKS_DIR: string = fileURLToPath(new URL('../../../../data/playbooks', import.meta.url));

export type PlaybookOrigin = 'SHIPPED' | 'USER';

export interface Playbook extends PlaybookSpec {
  /** SHA-256 of the YAML text: the version a run records. */
  hash: string;
  origin: PlaybookOrigin;
  /** `shipped:brute-force.yaml` or `user:local.yaml`. */
  originLabel: string;
  file: string;
  source: string;
}

export interface PlaybookLoad {
  playbooks: Playbook[];
  errors: PlaybookLoadError[];
  /** Shipped playbooks replaced by a user file of the same name. */
  overrides: Array<{ name: string; file: string }>;
}

const FILE = /\.ya?ml$/i;

export const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex');

function listFiles(dir: string, missingOk: boolean, errors: PlaybookLoadError[]): string[] {
  try {
    if (!statSync(dir).isDirectory()) {
      errors.push({ file: dir, message: 'playbooks path is not a directory' });
      return [];
    }
    return readdirSync(dir)
      .filter((name) => FILE.test(name) && !name.startsWith('.'))
      .sort()
      .map((name) => join(dir, name));
  } catch (error) {
    if (missingOk && (error as { code?: string }).code === 'ENOENT') return [];
    errors.push({ file: dir, message: `cannot read playbooks directory: ${(error as Error).message}` });
    return [];
  }
}

function loadDir(dir: string, origin: PlaybookOrigin, errors: PlaybookLoadError[]): Playbook[] {
  const out: Playbook[] = [];
  const names = new Map<string, string>();
  for (const file of listFiles(dir, origin === 'USER', errors)) {
    try {
      const size = statSync(file).size;
      if (size > PLAYBOOK_LIMITS.fileBytes) {
        errors.push({ file, message: `file is ${size} bytes, more than the ${PLAYBOOK_LIMITS.fileBytes} allowed for a playbook` });
        continue;
      }
      const source = readFileSync(file, 'utf8');
      const parsed = parsePlaybook(source, file);
      errors.push(...parsed.errors);
      if (!parsed.spec) continue;
      const earlier = names.get(parsed.spec.name);
      if (earlier) {
        errors.push({ file, playbook: parsed.spec.name, line: 1, message: `duplicate playbook name "${parsed.spec.name}": already defined in ${basename(earlier)}` });
        continue;
      }
      names.set(parsed.spec.name, file);
      out.push({ ...parsed.spec, hash: hashOf(source), origin, originLabel: `${origin === 'USER' ? 'user' : 'shipped'}:${basename(file)}`, file, source });
    } catch (error) {
      errors.push({ file, message: `cannot load playbook: ${(error as Error).message}` });
    }
  }
  return out;
}

export function loadPlaybooks(options: { shippedDir?: string; userDir?: string | undefined }): PlaybookLoad {
  const errors: PlaybookLoadError[] = [];
  const byName = new Map<string, Playbook>();
  for (const playbook of loadDir(options.shippedDir ?? DEFAULT_PLAYBOOKS_DIR, 'SHIPPED', errors)) byName.set(playbook.name, playbook);
  const overrides: PlaybookLoad['overrides'] = [];
  if (options.userDir !== undefined) {
    for (const playbook of loadDir(options.userDir, 'USER', errors)) {
      if (byName.has(playbook.name)) overrides.push({ name: playbook.name, file: playbook.file });
      byName.set(playbook.name, playbook);
    }
  }
  return { playbooks: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)), errors, overrides };
}

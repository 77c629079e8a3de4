/**
 * The ATT&CK Enterprise catalog (techniques, sub-techniques, tactics) shipped in data/attack/, loaded once
 * and looked up by id or searched by text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_ATTACK_DIR = fileURLToPath(new URL('../../../data/attack', import.meta.url));
export const ATTACK_VERSION = '18.1';

export interface Tactic {
  id: string;
  shortname: string;
  name: string;
}

export interface Technique {
  id: string;
  name: string;
  /** The parent's name for a sub-technique (`Brute Force` for T1110.001), so labels read fully. */
  parentName: string | null;
  tactics: Tactic[];
  isSubtechnique: boolean;
  platforms: string[];
  url: string;
  /** Revoked or deprecated by MITRE: still resolvable, never suggested by search. */
  retired: boolean;
}

export interface AttackCatalog {
  version: string;
  technique(id: string): Technique | undefined;
  /** Active techniques whose id, name or tactic contains every word of `text`, ids first. */
  search(text: string, limit: number): Technique[];
  tactics: readonly Tactic[];
  size: number;
}

const TECHNIQUE_ID = /^T\d{4}(?:\.\d{3})?$/;

function rows(path: string): string[][] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  // The derived tables never quote a field; refuse rather than mis-split one that does.
  if (lines.some((l) => l.includes('"'))) throw new Error(`${path}: quoted CSV fields are not expected`);
  return lines.slice(1).map((l) => l.split(','));
}

export function loadAttackCatalog(dir: string = DEFAULT_ATTACK_DIR): AttackCatalog {
  const tactics = rows(join(dir, 'enterprise-tactics-v18.1.csv')).map(([id, shortname, name]) => ({ id: id!, shortname: shortname!, name: name! }));
  const tacticById = new Map(tactics.map((t) => [t.id, t]));
  const raw = rows(join(dir, 'enterprise-techniques-v18.1.csv'));
  const names = new Map(raw.map((r) => [r[0]!, r[1]!]));
  const techniques = new Map<string, Technique>();
  for (const [id, name, , tacticIds, isSub, platforms, revoked, deprecated, url] of raw) {
    if (!id || !TECHNIQUE_ID.test(id) || !name) throw new Error(`ATT&CK table: bad row for ${id}`);
    const parentId = id.includes('.') ? id.slice(0, 5) : null;
    techniques.set(id, {
      id,
      name,
      parentName: parentId ? (names.get(parentId) ?? null) : null,
      tactics: (tacticIds ?? '').split(';').flatMap((t) => tacticById.get(t) ?? []),
      isSubtechnique: isSub === 'true',
      platforms: (platforms ?? '').split(';').filter(Boolean),
      url: url ?? '',
      retired: revoked === 'true' || deprecated === 'true',
    });
  }
  const active = [...techniques.values()].filter((t) => !t.retired).sort((a, b) => a.id.localeCompare(b.id));

  return {
    version: ATTACK_VERSION,
    tactics,
    size: techniques.size,
    technique: (id) => techniques.get(id.trim().toUpperCase()),
    search(text, limit) {
      const words = text.toLowerCase().split(/\s+/).filter(Boolean);
      if (words.length === 0) return active.slice(0, limit);
      const haystack = (t: Technique) => `${t.id} ${t.parentName ?? ''} ${t.name} ${t.tactics.map((x) => x.name).join(' ')}`.toLowerCase();
      const hits = active.filter((t) => words.every((w) => haystack(t).includes(w)));
      const exactId = (t: Technique) => (t.id.toLowerCase() === words[0] ? 0 : t.id.toLowerCase().startsWith(words[0]!) ? 1 : 2);
      return hits.sort((a, b) => exactId(a) - exactId(b) || a.id.localeCompare(b.id)).slice(0, limit);
    },
  };
}

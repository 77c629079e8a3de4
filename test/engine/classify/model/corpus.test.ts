/**
 * The training corpus: well-formed, balanced enough, and every source accounted for in
 * data/training/README.md (licences matter: nothing from the evaluation sets or non-permissive data).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../../../src/engine/classify/model/index.js';
import { CATEGORIES } from '../../../../src/engine/classify/types.js';

const TRAINING = fileURLToPath(new URL('../../../../data/training/', import.meta.url));
const { records } = readCorpus();
const readme = readFileSync(`${TRAINING}README.md`, 'utf8');
const upstream = JSON.parse(readFileSync(`${TRAINING}upstream/sources.json`, 'utf8')) as Record<string, string>;

describe('the training corpus', () => {
  it('has a few hundred examples or more in every category', () => {
    for (const category of CATEGORIES) {
      expect(records.filter((r) => r.category === category).length, category).toBeGreaterThanOrEqual(300);
    }
  });

  it('has no duplicate texts', () => {
    expect(new Set(records.map((r) => r.text)).size).toBe(records.length);
  });

  it('comes only from the project’s templates or the documented Apache-2.0 excerpts', () => {
    const known = new Set(Object.values(upstream));
    for (const { source } of records) {
      if (source.startsWith('generated:')) continue;
      expect(known.has(source), source).toBe(true);
      expect(source.startsWith('elastic/beats:filebeat/'), source).toBe(true);
      expect(source, 'x-pack files are under the Elastic License').not.toMatch(/x-pack/);
    }
  });

  it('documents every source in data/training/README.md', () => {
    const families = new Set(records.map((r) => (r.source.startsWith('generated:') ? r.source.split('/')[0]!.slice('generated:'.length) : r.source.split('@')[0]!)));
    for (const family of families) expect(readme, family).toContain(family.startsWith('elastic/beats:') ? family.slice('elastic/beats:'.length) : `templates/${family}.txt`);
    for (const source of Object.values(upstream)) expect(readme).toContain(source.split('@')[1]!);
  });

  it('holds none of the evaluation logs', () => {
    // The Filebeat auth test log is an evaluation set: its lines must not be trained on.
    expect(records.some((r) => r.source.includes('system/auth/test/test.log'))).toBe(false);
    // Loghub host names of the OpenSSH and Linux sets.
    expect(records.some((r) => / LabSZ sshd| combo (sshd|ftpd|su)\(/.test(r.text))).toBe(false);
  });
});

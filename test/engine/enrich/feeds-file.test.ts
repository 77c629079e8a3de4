import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFeedsFile } from '../../../src/engine/enrich/setup.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-feedsfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('VIGIL_FEEDS_FILE', () => {
  it('reads a list of feeds, defaulting kind to FEED', () => {
    expect(readFeedsFile(file('ok.json', '[{"name":"drop","format":"NETSET","location":"/srv/drop.txt","refreshMs":3600000}]'))).toEqual([
      { name: 'drop', kind: 'FEED', format: 'NETSET', location: '/srv/drop.txt', refreshMs: 3600000 },
    ]);
  });

  it.each([
    ['not JSON', '[{', /not-json\.json: /],
    ['an unknown format', '[{"name":"x","format":"CSVISH","location":"/x"}]', /0\.format/],
    ['a refresh faster than a minute', '[{"name":"x","format":"PLAIN","location":"/x","refreshMs":1000}]', /0\.refreshMs/],
    ['an unknown key', '[{"name":"x","format":"PLAIN","location":"/x","url":"y"}]', /url/],
  ])('refuses %s, naming the file and the problem', (_what, text, problem) => {
    const path = file(_what === 'not JSON' ? 'not-json.json' : `${_what.replace(/\W+/g, '-')}.json`, text);
    expect(() => readFeedsFile(path)).toThrow(new RegExp(`VIGIL_FEEDS_FILE ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    expect(() => readFeedsFile(path)).toThrow(problem);
  });

  it('refuses a missing file', () => {
    expect(() => readFeedsFile(join(dir, 'nope.json'))).toThrow(/VIGIL_FEEDS_FILE .*nope\.json: ENOENT/);
  });
});

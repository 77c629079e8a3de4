import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRuleSet, type RuleLoadError } from '../../../../src/engine/classify/rules/index.js';
import { attack, logEvent, PackDir, ruleYaml } from './helpers.js';

const dirs: PackDir[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.cleanup();
});

function scratch(name?: string): PackDir {
  const dir = new PackDir(name);
  dirs.push(dir);
  return dir;
}

/** Loads only the given user directory (no shipped packs), so errors come from the file under test. */
function loadUser(dir: PackDir) {
  return loadRuleSet({ shippedDir: scratch('empty').path, userDir: dir.path, attack });
}

/** One pack with a broken rule between two good ones; returns the errors and proves the good ones load. */
function brokenRule(extra: Record<string, string>): { errors: RuleLoadError[]; file: string } {
  const dir = scratch();
  const file = dir.write('local.yaml', `rules:\n${ruleYaml('good-one')}${ruleYaml('bad-rule', extra)}${ruleYaml('good-two')}`);
  const set = loadUser(dir);
  expect(set.rules().map((r) => r.id)).toEqual(['good-one', 'good-two']);
  return { errors: set.errors, file };
}

describe('loadRuleSet: a valid pack', () => {
  it('compiles rules, labels user packs and matches events', () => {
    const dir = scratch();
    dir.write('local.yaml', `pack: local\ndescription: site rules\nrules:\n${ruleYaml('local-failed-login', { signals: '[AUTH_FAILURE]' })}`);
    const set = loadUser(dir);
    expect(set.errors).toEqual([]);
    expect(set.rules()).toEqual([
      {
        id: 'local-failed-login',
        pack: 'user:local.yaml',
        origin: 'USER',
        title: 'Test rule',
        description: 'A rule written for a unit test.',
        category: 'BRUTE_FORCE',
        severity: 'MEDIUM',
        confidence: 0.7,
        techniques: ['T1110'],
        signals: ['AUTH_FAILURE'],
      },
    ]);
    const [match] = set.match(logEvent('app: Failed Login for bob'));
    expect(match).toMatchObject({ ruleId: 'local-failed-login', pack: 'user:local.yaml', matched: ['message contains "failed login"'] });
  });

  it('orders matches by confidence, then severity, then id', () => {
    const dir = scratch();
    const rule = (id: string, confidence: string, severity: string) => ruleYaml(id, { confidence, severity });
    dir.write('a.yaml', `rules:\n${rule('low-sure', '0.9', 'LOW')}${rule('high-unsure', '0.5', 'CRITICAL')}${rule('b-high-sure', '0.9', 'HIGH')}${rule('a-high-sure', '0.9', 'HIGH')}`);
    const found = loadUser(dir).match(logEvent('failed login'));
    expect(found.map((m) => m.ruleId)).toEqual(['a-high-sure', 'b-high-sure', 'low-sure', 'high-unsure']);
  });

  it('ignores files that are not YAML packs, and hidden files', () => {
    const dir = scratch();
    dir.write('README.md', 'not a pack: [');
    dir.write('.draft.yaml', 'rules: [');
    dir.write('b.yml', `rules:\n${ruleYaml('from-yml')}`);
    const set = loadUser(dir);
    expect(set.errors).toEqual([]);
    expect(set.rules().map((r) => r.id)).toEqual(['from-yml']);
  });

  it('lets rules share conditions through YAML anchors under `definitions`', () => {
    const dir = scratch();
    dir.write(
      'anchors.yaml',
      [
        'definitions:',
        '  app: &app',
        '    field: program',
        '    equals: myapp',
        'rules:',
        ruleYaml('uses-anchor', { match: '\n      all:\n        - *app\n        - field: message\n          contains: denied' }),
      ].join('\n'),
    );
    const set = loadUser(dir);
    expect(set.errors).toEqual([]);
    expect(set.match(logEvent('Mar 12 10:00:00 h myapp[1]: access denied'))).toHaveLength(1);
    expect(set.match(logEvent('Mar 12 10:00:00 h other[1]: access denied'))).toHaveLength(0);
  });
});

describe('loadRuleSet: broken files are reported and skipped', () => {
  it('reports a YAML syntax error with its line', () => {
    const dir = scratch();
    const file = dir.write('bad.yaml', `rules:\n${ruleYaml('r1')}  - id: [unclosed\n`);
    dir.write('good.yaml', `rules:\n${ruleYaml('still-loaded')}`);
    const set = loadUser(dir);
    expect(set.rules().map((r) => r.id)).toEqual(['still-loaded']);
    expect(set.errors).toHaveLength(1);
    expect(set.errors[0]).toMatchObject({ file, message: expect.stringMatching(/^YAML: /) });
    expect(set.errors[0]?.line).toBeGreaterThanOrEqual(10);
  });

  it('reports duplicate keys, empty files, non-mappings, unknown top-level keys and packs without rules', () => {
    const dir = scratch();
    const dup = dir.write('dup.yaml', 'rules: []\nrules: []\n');
    const empty = dir.write('empty.yaml', '# nothing yet\n');
    const list = dir.write('list.yaml', '- id: x\n');
    const unknown = dir.write('unknown.yaml', `rulez: []\nrules:\n${ruleYaml('r1')}`);
    const none = dir.write('none.yaml', 'pack: nothing\nrules: []\n');
    const byFile = new Map(loadUser(dir).errors.map((e) => [e.file, e]));
    expect(byFile.get(dup)).toMatchObject({ line: 2, message: expect.stringContaining('unique') });
    expect(byFile.get(empty)?.message).toMatch(/empty file/);
    expect(byFile.get(list)?.message).toMatch(/^file: /);
    expect(byFile.get(unknown)).toMatchObject({ line: 1, message: expect.stringContaining('rulez') });
    expect(byFile.get(none)?.message).toMatch(/no rules/);
  });

  it('refuses a YAML alias bomb instead of expanding it', () => {
    const dir = scratch();
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const file = dir.write('bomb.yaml', `definitions:\n${lines.map((l) => `  ${l}`).join('\n')}\nrules: []\n`);
    const set = loadUser(dir);
    expect(set.errors).toEqual([expect.objectContaining({ file, message: expect.stringMatching(/^YAML: .*alias/i) })]);
  });
});

describe('loadRuleSet: broken rules are reported with file, rule id, line and problem', () => {
  // Line numbers: `rules:` is line 1 and good-one takes 11 lines, so bad-rule's id is on line 13, its
  // match on line 20, a match's first item on 22; keys added by a case come after the match, on line 24.
  const cases: Array<[string, Record<string, string>, RegExp, number?]> = [
    ['an unknown key', { serverity: 'HIGH' }, /serverity/, 24],
    ['a bad category', { category: 'RANSOM' }, /^category: /, 16],
    ['a bad severity', { severity: 'URGENT' }, /^severity: /, 17],
    ['a bad signal', { signals: '[AUTH_FAIL]' }, /^signals\[0\]: /, 24],
    ['a confidence above 1', { confidence: '1.5' }, /^confidence: .*1/, 18],
    ['a negative confidence', { confidence: '-0.1' }, /^confidence: /, 18],
    ['a confidence that is not a number', { confidence: 'high' }, /^confidence: /, 18],
    ['a bad id', { id: 'Bad Id!' }, /^id: id must be/, 13],
    ['a missing title', { title: '' }, /^title: /, 13],
    ['no techniques on a threat rule', { techniques: '[]' }, /^techniques: a BRUTE_FORCE rule must name/, 19],
    ['an unknown technique', { techniques: '[T1999]' }, /^techniques: unknown ATT&CK technique T1999/, 19],
    ['a retired technique', { techniques: '[T1002]' }, /^techniques: ATT&CK technique T1002 \(Data Compressed\) is revoked/, 19],
    ['a malformed technique id', { techniques: '[brute-force]' }, /^techniques\[0\]: ATT&CK ids look like/, 19],
    ['no match', { match: '' }, /^match: /, 13],
    ['an empty match', { match: '{}' }, /^match: empty condition/, 20],
    ['a match with only none', { match: '\n      none:\n        - field: message\n          contains: x' }, /^match: match needs "all" or "any"/, 20],
    ['a leaf as the whole match', { match: '\n      field: message\n      contains: x' }, /^match: match must be a group/, 20],
    ['an unknown group key', { match: '\n      either:\n        - field: message\n          contains: x' }, /^match\.either: unknown key "either"/, 21],
    ['an empty group list', { match: '\n      all: []' }, /^match\.all: "all" must be a list/, 21],
    ['an unknown operator', { match: '\n      all:\n        - field: message\n          contain: x' }, /^match\.all\[0\]\.contain: .*contain/, 23],
    ['a leaf without operator', { match: '\n      all:\n        - field: message' }, /^match\.all\[0\]: a condition needs one operator/, 22],
    ['a leaf with two operators', { match: '\n      all:\n        - field: message\n          contains: a\n          regex: b' }, /takes one operator.*contains and regex/, 22],
    ['case_sensitive on a numeric test', { match: '\n      all:\n        - field: ruleLevel\n          gt: 3\n          case_sensitive: true' }, /case_sensitive only applies/, 22],
    ['an unknown field', { match: '\n      all:\n        - field: mesage\n          contains: x' }, /^match\.all\[0\]\.field: unknown field "mesage"/, 22],
    ['a bad fields key', { match: '\n      all:\n        - field: fields.a..b\n          contains: x' }, /bad field key "fields\.a\.\.b"/, 22],
    ['an invalid regex', { match: '\n      all:\n        - field: message\n          regex: "(unclosed"' }, /^match\.all\[0\]\.regex: invalid regex .*missing \): \(unclosed/, 23],
    ['a lookahead regex RE2 refuses', { match: '\n      all:\n        - field: message\n          regex: "foo(?=bar)"' }, /invalid regex \(RE2 syntax/, 23],
  ];

  for (const [what, extra, message, line] of cases) {
    it(`reports ${what}`, () => {
      const { errors, file } = brokenRule(extra);
      const ruleId = extra.id === undefined ? 'bad-rule' : extra.id === '' ? undefined : extra.id;
      expect(errors.length, JSON.stringify(errors)).toBeGreaterThanOrEqual(1);
      const error = errors.find((e) => message.test(e.message));
      expect(error, JSON.stringify(errors)).toMatchObject({ file, ruleId });
      if (line !== undefined) expect(error?.line, JSON.stringify(error)).toBe(line);
    });
  }

  it('reports a duplicate id within a file and keeps the first', () => {
    const dir = scratch();
    const file = dir.write('dup.yaml', `rules:\n${ruleYaml('same')}${ruleYaml('same', { title: 'Second copy' })}`);
    const set = loadUser(dir);
    expect(set.rules()).toEqual([expect.objectContaining({ id: 'same', title: 'Test rule' })]);
    expect(set.errors).toEqual([{ file, ruleId: 'same', line: 13, message: 'id: duplicate rule id "same" in this file' }]);
  });

  it('reports a duplicate id across user files and keeps the one loaded first', () => {
    const dir = scratch();
    dir.write('a.yaml', `rules:\n${ruleYaml('same')}`);
    const second = dir.write('b.yaml', `rules:\n${ruleYaml('same', { title: 'From b' })}`);
    const set = loadUser(dir);
    expect(set.rules()).toEqual([expect.objectContaining({ id: 'same', pack: 'user:a.yaml' })]);
    expect(set.errors).toEqual([{ file: second, ruleId: 'same', line: 2, message: 'duplicate rule id: already defined in user:a.yaml' }]);
  });
});

describe('loadRuleSet: user directory', () => {
  it('loads the shipped packs with no user directory', () => {
    const set = loadRuleSet({ attack });
    expect(set.errors).toEqual([]);
    expect(set.rules().every((r) => r.origin === 'SHIPPED')).toBe(true);
    expect(DEFAULT_RULES_DIR).toMatch(/data[\\/]rules$/);
  });

  it('treats a missing user directory as an empty one', () => {
    const set = loadRuleSet({ attack, userDir: join(scratch().root, 'does-not-exist') });
    expect(set.errors).toEqual([]);
    expect(set.rules().length).toBeGreaterThan(100);
  });

  it('reports a user path that is a file, not a directory', () => {
    const dir = scratch();
    const file = dir.write('rules.yaml', `rules:\n${ruleYaml('x')}`);
    const set = loadRuleSet({ attack, userDir: file });
    expect(set.errors).toEqual([{ file, message: 'rules path is not a directory' }]);
    expect(set.rules().length).toBeGreaterThan(100);
  });

  it('reports a user directory that cannot be read for another reason than not existing', () => {
    const dir = scratch();
    const file = dir.write('plain.txt', 'x');
    const below = join(file, 'rules');
    const set = loadRuleSet({ attack, userDir: below });
    expect(set.errors).toEqual([{ file: below, message: expect.stringMatching(/^cannot read rules directory: .*ENOTDIR/) }]);
  });

  // Permission bits do not stop root, so this one only runs as an ordinary user.
  it.skipIf(process.getuid?.() === 0)('reports an unreadable user directory', () => {
    const dir = scratch();
    dir.write('a.yaml', `rules:\n${ruleYaml('x')}`);
    chmodSync(dir.path, 0o000);
    const set = loadRuleSet({ attack, userDir: dir.path });
    expect(set.errors).toEqual([{ file: dir.path, message: expect.stringMatching(/^cannot read rules directory: .*EACCES/) }]);
  });

  it('reports (never throws on) a missing shipped directory', () => {
    const missing = join(scratch().root, 'no-shipped');
    const set = loadRuleSet({ attack, shippedDir: missing });
    expect(set.rules()).toEqual([]);
    expect(set.errors).toEqual([{ file: missing, message: expect.stringMatching(/^cannot read rules directory: .*ENOENT/) }]);
  });

  it('lets a user rule replace the shipped rule with the same id, as an override rather than an error', () => {
    const dir = scratch();
    const file = dir.write(
      'tuning.yaml',
      `rules:\n${ruleYaml('sshd-accepted-login', { category: 'SUSPICIOUS_ACCESS', title: 'No SSH logins expected here', match: '\n      all:\n        - field: message\n          contains: Accepted' })}`,
    );
    const set = loadRuleSet({ attack, userDir: dir.path });
    expect(set.errors).toEqual([]);
    expect(set.overrides).toEqual([{ id: 'sshd-accepted-login', file, replaced: 'sshd.yaml' }]);
    expect(set.rules().find((r) => r.id === 'sshd-accepted-login')).toMatchObject({ origin: 'USER', pack: 'user:tuning.yaml', category: 'SUSPICIOUS_ACCESS' });
    const found = set.match(logEvent('Mar 12 10:00:00 h sshd[1]: Accepted password for bob from 198.51.100.4 port 5000 ssh2'));
    expect(found.map((m) => [m.ruleId, m.category])).toEqual([['sshd-accepted-login', 'SUSPICIOUS_ACCESS']]);
  });

  it('lets a user pack switch shipped rules off, and reports unknown ids', () => {
    const dir = scratch();
    const file = dir.write('off.yaml', 'disable:\n  - sshd-accepted-login\n  - no-such-rule\n');
    const set = loadRuleSet({ attack, userDir: dir.path });
    expect(set.rules().some((r) => r.id === 'sshd-accepted-login')).toBe(false);
    expect(set.errors).toEqual([{ file, ruleId: 'no-such-rule', line: 3, message: 'disable: no shipped rule has the id "no-such-rule"' }]);
    expect(set.match(logEvent('Mar 12 10:00:00 h sshd[1]: Accepted password for bob from 198.51.100.4 port 5000 ssh2'))).toEqual([]);
  });
});

describe('regexes run in linear time (RE2)', () => {
  it('matches a catastrophic-backtracking pattern against 64 KiB promptly', () => {
    const dir = scratch();
    dir.write('redos.yaml', `rules:\n${ruleYaml('redos', { match: '\n      all:\n        - field: message\n          regex: "(a+)+$"\n        - field: message\n          regex: "^(a|aa)*c"' })}`);
    const set = loadUser(dir);
    expect(set.errors).toEqual([]);
    const hostile = logEvent(`${'a'.repeat(64 * 1024 - 1)}b`);
    const started = performance.now();
    expect(set.match(hostile)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
    // The same pattern as a backtracking JavaScript RegExp would not finish in the lifetime of the test.
  });

  it('runs every shipped rule over 64 KiB hostile inputs promptly', () => {
    const set = loadRuleSet({ attack });
    const size = 64 * 1024;
    const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
    const inputs = [fill('a'), fill('Failed '), fill('%2e%2e/'), `"GET /${fill('x')} HTTP/1.1"`, fill('query: a.'), fill('IN=eth0 OUT= SRC=1 DST=2 '), fill('1.1.1.1/'), fill("' or ")];
    for (const text of inputs) {
      const started = performance.now();
      set.match(logEvent(text));
      expect(performance.now() - started, text.slice(0, 20)).toBeLessThan(2000);
    }
  });
});

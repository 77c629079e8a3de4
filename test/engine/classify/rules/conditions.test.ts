import { describe, expect, it } from 'vitest';
import { checkCondition, type SpecIssue } from '../../../../src/engine/classify/rules/schema.js';
import { CompileContext, type ConditionSpec, compileCondition, ConditionError, EventView, type Explain, urlDecode } from '../../../../src/engine/classify/rules/index.js';
import { AlertFormat, type NormalizedEvent } from '../../../../src/engine/types.js';

const EVENT: NormalizedEvent = {
  format: AlertFormat.SYSLOG_RFC3164,
  message: 'Failed password for Invalid User admin from 203.0.113.5 port 2222 ssh2',
  program: 'sshd',
  srcIp: '203.0.113.5',
  srcPort: 2222,
  ruleLevel: 10,
  ruleGroups: ['syslog', 'sshd', 'authentication_failed'],
  url: 'http://shop.example/item?id=1%2520union+select',
  fields: {
    'winlog.event_data.LogonType': '10',
    'data.win.eventdata.logonType': '3',
    'Parameters.0.Name': 'Name',
    'Parameters.1.Name': 'ForwardTo',
    'Parameters.1.Value': 'x@evil.example',
    enabled: false,
    count: 7,
  },
};

/** Runs a condition against EVENT (or another event) and returns what it explained, or null. */
function run(spec: ConditionSpec, event: NormalizedEvent = EVENT): string[] | null {
  const out: Explain[] = [];
  return compileCondition(spec)(new EventView(event), out) ? out.map((explain) => explain()) : null;
}

const all = (...items: ConditionSpec[]): ConditionSpec => ({ all: items });

describe('leaf operators', () => {
  it('equals and in compare text case-insensitively and numbers numerically', () => {
    expect(run(all({ field: 'program', equals: 'SSHD' }))).toEqual(['program = "sshd"']);
    expect(run(all({ field: 'program', in: ['su', 'sshd'] }))).toEqual(['program = "sshd"']);
    expect(run(all({ field: 'srcPort', equals: 2222 }))).toEqual(['srcPort = "2222"']);
    expect(run(all({ field: 'fields.winlog.event_data.LogonType', in: [2, 10] }))).toEqual(['fields.winlog.event_data.LogonType = "10"']);
    expect(run(all({ field: 'fields.enabled', equals: false }))).toEqual(['fields.enabled = "false"']);
    expect(run(all({ field: 'program', equals: 'ssh' }))).toBeNull();
  });

  it('contains, contains_any, starts_with and ends_with fold case and name the needle that hit', () => {
    expect(run(all({ field: 'message', contains: 'INVALID USER' }))).toEqual(['message contains "INVALID USER"']);
    expect(run(all({ field: 'message', contains_any: ['Accepted', 'failed password'] }))).toEqual(['message contains "failed password"']);
    expect(run(all({ field: 'message', starts_with: ['accepted', 'failed'] }))).toEqual(['message starts with "failed"']);
    expect(run(all({ field: 'message', ends_with: 'SSH2' }))).toEqual(['message ends with "SSH2"']);
    expect(run(all({ field: 'message', contains: 'accepted' }))).toBeNull();
  });

  it('case_sensitive makes string tests exact', () => {
    expect(run(all({ field: 'message', contains: 'invalid user', case_sensitive: true }))).toBeNull();
    expect(run(all({ field: 'message', contains: 'Invalid User', case_sensitive: true }))).not.toBeNull();
    expect(run(all({ field: 'message', regex: 'invalid user', case_sensitive: true }))).toBeNull();
  });

  it('regex is case-insensitive, unanchored, and quotes what it matched', () => {
    expect(run(all({ field: 'message', regex: 'from (\\d+\\.){3}\\d+' }))).toEqual(['message matches /from (\\d+\\.){3}\\d+/ ("from 203.0.113.5")']);
    expect(run(all({ field: 'message', regex: '^accepted' }))).toBeNull();
  });

  it('decode: url percent-decodes (twice) before testing', () => {
    expect(run(all({ field: 'url', contains: 'union select' }))).toBeNull();
    expect(run(all({ field: 'url', decode: 'url', contains: 'union select' }))).toEqual(['url (url-decoded) contains "union select"']);
    expect(run(all({ field: 'url', decode: 'url', regex: 'union\\s+select' }))).toEqual([
      'url (url-decoded) matches /union\\s+select/ ("union select")',
    ]);
    expect(urlDecode('a+b%252e%2E%zz%')).toBe('a b..%zz%');
  });

  it('numeric bounds combine, and never match text that is not a number', () => {
    expect(run(all({ field: 'ruleLevel', gte: 10, lt: 12 }))).toEqual(['ruleLevel >= 10 and < 12 (is 10)']);
    expect(run(all({ field: 'ruleLevel', gt: 10 }))).toBeNull();
    expect(run(all({ field: 'fields.count', lte: 7 }))).toEqual(['fields.count <= 7 (is 7)']);
    expect(run(all({ field: 'program', gt: 0 }))).toBeNull();
  });

  it('exists: true needs a non-empty value; exists: false needs none of the fields', () => {
    expect(run(all({ field: 'srcIp', exists: true }))).toEqual(['srcIp is present']);
    expect(run(all({ field: ['user', 'targetUser'], exists: false }))).toEqual(['user / targetUser are absent']);
    expect(run(all({ field: ['user', 'srcIp'], exists: false }))).toBeNull();
    expect(run(all({ field: 'message', exists: true }), { ...EVENT, message: '  ' })).toBeNull();
  });
});

describe('field references', () => {
  it('a list of fields holds when any of them holds', () => {
    expect(run(all({ field: ['user', 'fields.data.win.eventdata.logonType'], in: [3] }))).toEqual(['fields.data.win.eventdata.logonType = "3"']);
  });

  it('fields keys match case-insensitively', () => {
    expect(run(all({ field: 'fields.Data.Win.EventData.LogonType', equals: '3' }))).toEqual(['fields.data.win.eventdata.logonType = "3"']);
  });

  it('a * segment matches one segment, for arrays flattened by index', () => {
    expect(run(all({ field: 'fields.Parameters.*.Name', in: ['ForwardTo', 'RedirectTo'] }))).toEqual(['fields.Parameters.1.Name = "ForwardTo"']);
    expect(run(all({ field: 'fields.*.Name', equals: 'ForwardTo' }))).toBeNull();
  });

  it('array properties (ruleGroups, mitreTechniques) match element by element', () => {
    expect(run(all({ field: 'ruleGroups', equals: 'sshd' }))).toEqual(['ruleGroups[1] = "sshd"']);
    expect(run(all({ field: 'mitreTechniques', exists: false }))).toEqual(['mitreTechniques is absent']);
  });

  it('refuses unknown properties and malformed keys at compile time, naming the path', () => {
    const fail = (spec: ConditionSpec) => {
      try {
        compileCondition(spec, ['match']);
        return undefined;
      } catch (err) {
        return err instanceof ConditionError ? { path: err.path, message: err.message } : err;
      }
    };
    expect(fail(all({ field: 'src_ip', exists: true }))).toMatchObject({ path: ['match', 'all', 0, 'field'], message: expect.stringContaining('unknown field "src_ip"') });
    expect(fail(all({ field: ['user', 'fields.'], exists: true }))).toMatchObject({ path: ['match', 'all', 0, 'field', 1] });
    expect(fail(all({ field: 'fields.a*b', exists: true }))).toMatchObject({ message: expect.stringContaining('whole segment') });
    expect(fail(all({ field: 'message', regex: '(a' }))).toMatchObject({ path: ['match', 'all', 0, 'regex'] });
  });
});

describe('groups', () => {
  it('all needs every item, any needs one, none needs no item', () => {
    const sshd = { field: 'program', equals: 'sshd' } as const;
    const accepted = { field: 'message', contains: 'Accepted' } as const;
    const failed = { field: 'message', contains: 'Failed' } as const;
    expect(run({ all: [sshd, failed] })).toEqual(['program = "sshd"', 'message contains "Failed"']);
    expect(run({ all: [sshd, accepted] })).toBeNull();
    expect(run({ any: [accepted, failed] })).toEqual(['message contains "Failed"']);
    expect(run({ any: [accepted] })).toBeNull();
    expect(run({ all: [sshd], none: [accepted] })).toEqual(['program = "sshd"']);
    expect(run({ all: [sshd], none: [failed] })).toBeNull();
  });

  it('nests, and explains only the conditions of branches that held', () => {
    const spec: ConditionSpec = {
      all: [
        { field: 'program', equals: 'sshd' },
        { any: [{ all: [{ field: 'srcPort', equals: 22 }, { field: 'message', contains: 'x' }] }, { all: [{ field: 'srcIp', starts_with: '203.' }, { none: [{ field: 'user', exists: true }] }] }] },
      ],
    };
    expect(run(spec)).toEqual(['program = "sshd"', 'srcIp starts with "203."']);
  });

  it('a failing group takes back what its items had explained', () => {
    const earlier: Explain = () => 'earlier';
    const out: Explain[] = [earlier];
    const ok = compileCondition({ all: [{ field: 'program', equals: 'sshd' }, { field: 'message', contains: 'nope' }] })(new EventView(EVENT), out);
    expect(ok).toBe(false);
    expect(out).toEqual([earlier]);
  });

  it('compiles a pattern once per rule set and runs a shared one once per event and field', () => {
    const ctx = new CompileContext();
    const first = compileCondition({ all: [{ field: 'message', regex: 'failed' }] }, [], ctx);
    const second = compileCondition({ any: [{ field: 'message', regex: 'failed' }] }, [], ctx);
    expect(ctx.regexes.size).toBe(1);
    const view = new EventView(EVENT);
    let runs = 0;
    const memo = view.testRegex.bind(view);
    view.testRegex = (kind, label, re, text) => memo(kind, label, { test: (t: string) => (runs++, re.test(t)) }, text);
    expect(first(view, [])).toBe(true);
    expect(second(view, [])).toBe(true);
    expect(runs).toBe(1);
  });

  it('runs cheap tests before regexes (so a failed scope skips the pattern), explaining them in that order', () => {
    const spec: ConditionSpec = { all: [{ field: 'message', regex: 'pass\\w+' }, { field: 'program', equals: 'sshd' }] };
    expect(run(spec)).toEqual(['program = "sshd"', 'message matches /pass\\w+/ ("password")']);
  });
});

describe('condition specs (schema)', () => {
  const issues = (value: unknown): SpecIssue[] => {
    const out: SpecIssue[] = [];
    checkCondition(value, ['match'], 1, out, true);
    return out;
  };

  it('accepts a nested group', () => {
    expect(issues({ all: [{ field: 'program', equals: 'sshd' }, { any: [{ field: 'message', contains: 'a' }, { none: [{ field: 'user', exists: true }] }] }] })).toEqual([]);
  });

  it('refuses a tree nested deeper than the limit', () => {
    let spec: unknown = { field: 'message', contains: 'x' };
    for (let i = 0; i < 10; i++) spec = { all: [spec] };
    expect(issues(spec).map((i) => i.message)).toContain('conditions nest deeper than 8 levels');
  });

  it('refuses non-mapping conditions and scalars in lists', () => {
    expect(issues({ all: ['message contains x'] })).toEqual([
      { path: ['match', 'all', 0], message: 'a condition must be a mapping: a leaf with "field", or a group with all/any/none' },
    ]);
    expect(issues({ all: { field: 'message', contains: 'x' } })).toEqual([{ path: ['match', 'all'], message: '"all" must be a list of 1 to 500 conditions' }]);
  });

  it('refuses lists and strings beyond the limits', () => {
    expect(issues({ all: [{ field: 'message', in: Array(501).fill('x') }] })[0]?.path).toEqual(['match', 'all', 0, 'in']);
    expect(issues({ all: [{ field: 'message', regex: 'a'.repeat(2001) }] })[0]?.path).toEqual(['match', 'all', 0, 'regex']);
  });
});

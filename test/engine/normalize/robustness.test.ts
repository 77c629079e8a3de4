import { describe, expect, it } from 'vitest';
import { FIELD_LIMITS, normalize } from '../../../src/engine/normalize/index.js';
import { AlertFormat, type AlertPayload, type NormalizedEvent } from '../../../src/engine/types.js';
import { NOW } from './helpers.js';

const KIB64 = 64 * 1024;
const fill = (unit: string, size = KIB64) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

function timed(payload: AlertPayload): { event: NormalizedEvent; ms: number } {
  const start = performance.now();
  const event = normalize(payload, { now: NOW });
  return { event, ms: performance.now() - start };
}

describe('malformed input', () => {
  it('keeps truncated JSON-looking text as UNKNOWN', () => {
    const text = '{"rule":{"level":10,"description":"sshd: brute force"},"agent":{"name":"web-01"';
    expect(normalize({ kind: 'log', text })).toEqual({ format: AlertFormat.UNKNOWN, message: text, fields: {} });
    expect(normalize({ kind: 'log', text: '{"a":1}x}' }).format).toBe(AlertFormat.UNKNOWN);
    expect(normalize({ kind: 'log', text: '[1,2,3]' }).format).toBe(AlertFormat.UNKNOWN);
    expect(normalize({ kind: 'log', text: '{}' })).toEqual({ format: AlertFormat.JSON, message: '', fields: {} });
  });

  it('trims and keeps empty and whitespace lines', () => {
    expect(normalize({ kind: 'log', text: '' })).toEqual({ format: AlertFormat.UNKNOWN, message: '', fields: {} });
    expect(normalize({ kind: 'log', text: ' \n\t hello \r\n' })).toEqual({ format: AlertFormat.UNKNOWN, message: 'hello', fields: {} });
  });

  it('never throws on values of the wrong runtime type', () => {
    const odd = [
      { kind: 'json', value: null },
      { kind: 'json', value: [1, 2] },
      { kind: 'json', value: 'Mar 12 10:00:00 h sshd[1]: Invalid user x from 192.0.2.1' },
      { kind: 'json', value: 7 },
      { kind: 'log', text: undefined },
      { kind: 'log', text: 42 },
      { kind: 'other' },
    ] as unknown as AlertPayload[];
    for (const payload of odd) {
      const event = normalize(payload);
      expect(typeof event.message).toBe('string');
      expect(event.fields).toBeTypeOf('object');
    }
    expect(normalize(odd[2] as AlertPayload)).toMatchObject({ format: AlertFormat.SYSLOG_RFC3164, user: 'x' });
  });

  it('rejects impossible dates instead of rolling them over', () => {
    const event = normalize({ kind: 'log', text: 'Feb 30 10:00:00 host app: x' }, { now: NOW });
    expect(event.format).toBe(AlertFormat.UNKNOWN);
    expect(normalize({ kind: 'json', value: { timestamp: '2024-02-30T00:00:00Z', msg: 'x' } }).timestamp).toBeUndefined();
    expect(normalize({ kind: 'json', value: { timestamp: '1', msg: 'x' } }).timestamp).toBeUndefined();
  });

  it('caps fields by count, value length, key length and depth', () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) wide[`k${i}`] = i;
    expect(Object.keys(normalize({ kind: 'json', value: wide }).fields)).toHaveLength(FIELD_LIMITS.keys);

    const long = normalize({ kind: 'json', value: { message: 'm', blob: 'x'.repeat(100_000), ['y'.repeat(1000)]: 1 } });
    expect(long.fields.blob).toHaveLength(FIELD_LIMITS.valueChars);
    expect(Object.keys(long.fields)).toEqual(['message', 'blob']);

    let deep: Record<string, unknown> = { leaf: 'bottom' };
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const event = normalize({ kind: 'json', value: { msg: 'deep', nest: deep } });
    expect(event.message).toBe('deep');
    expect(Object.keys(event.fields)).toEqual(['msg']);
  });

  it('survives a depth bomb sent as text', () => {
    const depth = 100_000;
    const text = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const { event, ms } = timed({ kind: 'log', text });
    expect(event.format === AlertFormat.JSON || event.format === AlertFormat.UNKNOWN).toBe(true);
    expect(Object.keys(event.fields).length).toBeLessThanOrEqual(1);
    expect(ms).toBeLessThan(1000);
  });

  it('does not let __proto__ keys change prototypes', () => {
    const value = JSON.parse('{"__proto__":{"polluted":"yes"},"msg":"x","a":{"__proto__":"v"}}') as Record<string, unknown>;
    const event = normalize({ kind: 'json', value });
    expect(Object.getPrototypeOf(event.fields)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(event.fields, '__proto__.polluted')).toBe(true);
    expect(event.fields['a.__proto__']).toBe('v');
    const cef = normalize({ kind: 'log', text: 'CEF:0|a|b|c|d|e|1|__proto__=x constructor=y' });
    expect(Object.hasOwn(cef.fields, '__proto__')).toBe(true);
    expect(cef.user).toBeUndefined();
  });

  it('keeps a giant line whole as the message', () => {
    const text = `Mar 12 10:00:00 host app: ${'A'.repeat(1_000_000)}`;
    const event = normalize({ kind: 'log', text }, { now: NOW });
    expect(event.format).toBe(AlertFormat.SYSLOG_RFC3164);
    expect(event.message).toHaveLength(1_000_000);
  });
});

describe('linear time on 64 KiB adversarial lines', () => {
  const lines: Record<string, string> = {
    'angle brackets': fill('<'),
    'PRI then brackets': `<13>${fill('<1>')}`,
    'digits after PRI': `<13>${fill('1')}`,
    'bsd header, no space': `Mar 12 10:00:00 ${fill('a')}`,
    'bsd header, tag-like': `Mar 12 10:00:00 h ${fill('a(')}`,
    'bsd header, pid-like': `Mar 12 10:00:00 h ${fill('p[1')}`,
    'bsd header, colons': `Mar 12 10:00:00 h ${fill('a:')}`,
    'repeated invalid user': `Mar 12 10:00:00 h sshd[1]: Failed password for ${fill('invalid user ')}`,
    'bare repeated invalid user': `Failed password for ${fill('invalid user ')}`,
    'bare sudo-like': `a : ${fill('x ; ')}`,
    'repeated Invalid user': `Mar 12 10:00:00 h sshd[1]: ${fill('Invalid user ')}`,
    'pam rhost': `Mar 12 10:00:00 h sshd[1]: authentication failure; ${fill(' rhost=')}`,
    'pam user': `Mar 12 10:00:00 h sshd[1]: authentication failure;${fill(' user')}`,
    'sudo separators': `Mar 12 10:00:00 h sudo: a : ${fill(' ; ')}USER=root`,
    'sudo keys': `Mar 12 10:00:00 h sudo: a : ${fill('USER=')}`,
    'reverse mapping': `Mar 12 10:00:00 h sshd[1]: reverse mapping checking getaddrinfo for ${fill('a [')}`,
    'disconnect': `Mar 12 10:00:00 h sshd[1]: Disconnected from ${fill('user ')}`,
    '5424 spaces': `<13>1 2024-03-12T10:00:00Z ${fill(' ')}`,
    '5424 sd brackets': `<13>1 - h a - - ${fill('[a')}`,
    '5424 sd params': `<13>1 - h a - - [id ${fill('a="b" ')}`,
    '5424 sd escapes': `<13>1 - h a - - [id a="${fill('\\"')}`,
    'rfc3339 digits': fill('2024-03-12T'),
    'cef pipes': `CEF:0|${fill('|')}`,
    'cef escaped pipes': `CEF:0|${fill('\\|')}`,
    'cef backslashes': `CEF:0|a|b|c|d|e|f|${fill('\\')}`,
    'cef equals': `CEF:0|a|b|c|d|e|f|${fill('=')}`,
    'cef spaces': `CEF:0|a|b|c|d|e|f|${fill(' ')}`,
    'cef keys': `CEF:0|a|b|c|d|e|f|${fill('a=')}`,
    'cef spaced keys': `CEF:0|a|b|c|d|e|f|${fill(' a=')}`,
    'cef escaped equals': `CEF:0|a|b|c|d|e|f|k=${fill('a\\= ')}`,
    'cef long keys': `CEF:0|a|b|c|d|e|f|${fill(`${'k'.repeat(63)} `)}`,
    'cef marker repeated': fill('CEF:0'),
    'json open braces': fill('{'),
    'json braces': `{${fill('"a":{')}}`,
    'auditd pairs': `type=SYSCALL msg=audit(1.1:1): ${fill('a=')}`,
    'auditd quotes': `type=EXECVE msg=audit(1.1:1): ${fill('a0="')}`,
    'auditd hex': `type=PROCTITLE msg=audit(1.1:1): proctitle=${fill('0A')}`,
  };

  for (const [name, text] of Object.entries(lines)) {
    it(name, () => {
      const { event, ms } = timed({ kind: 'log', text });
      expect(typeof event.message).toBe('string');
      expect(ms).toBeLessThan(250);
    });
  }

  it('wide and windows-like JSON objects', () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) wide[`Key${i}`] = 'v';
    const rule = { EventID: 4625, Channel: 'Security', RuleName: fill('T1000 '), Hashes: fill('SHA256=,'), Message: fill('x ') };
    for (const value of [wide, rule, { message: `Failed password for ${fill('invalid user ')}` }]) {
      const { ms } = timed({ kind: 'json', value });
      expect(ms).toBeLessThan(250);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { asInt, asIp, asPort, FieldBag, flattenInto, lookup, makeGetter, truncate } from '../../../src/engine/normalize/fields.js';
import { extractMessageFields } from '../../../src/engine/normalize/message-fields.js';
import { parseTimestamp } from '../../../src/engine/normalize/time.js';

describe('field helpers', () => {
  it('flattens objects and arrays to dotted keys, dropping nulls', () => {
    const bag = new FieldBag();
    flattenInto(bag, { a: { b: 1, c: [true, 'x', { d: null }] }, e: null, 'f.g': 'dotted' });
    expect(bag.toRecord()).toEqual({ 'a.b': 1, 'a.c.0': true, 'a.c.1': 'x', 'f.g': 'dotted' });
  });

  it('looks up nested, dotted and mixed paths, own properties only', () => {
    const obj = { source: { ip: '1.1.1.1' }, 'host.name': 'h', log: { 'syslog.appname': 'app' } };
    expect(lookup(obj, 'source.ip')).toBe('1.1.1.1');
    expect(lookup(obj, 'host.name')).toBe('h');
    expect(lookup(obj, 'log.syslog.appname')).toBe('app');
    expect(lookup(obj, 'constructor')).toBeUndefined();
    expect(lookup(obj, 'source.toString')).toBeUndefined();
  });

  it('matches top-level names case-insensitively', () => {
    const get = makeGetter({ EventId: 7, hostname: 'x' });
    expect(get('EventID')).toBe(7);
    expect(get('HostName')).toBe('x');
    expect(get('constructor')).toBeUndefined();
  });

  it('converts loose values', () => {
    expect(asInt('0x1a74')).toBe(6772);
    expect(asInt(' 42 ')).toBe(42);
    expect(asInt('4.2')).toBeUndefined();
    expect(asPort('65536')).toBeUndefined();
    expect(asPort(443)).toBe(443);
    expect(asIp('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(asIp('[2001:db8::1]')).toBe('2001:db8::1');
    expect(asIp('999.1.1.1')).toBeUndefined();
    expect(asIp('-')).toBeUndefined();
    expect(truncate('ab\u{1F600}', 3)).toBe('ab');
  });
});

describe('timestamps', () => {
  const now = Date.UTC(2024, 2, 12);
  it('parses ISO forms with and without zones', () => {
    expect(parseTimestamp('2024-03-12T10:15:41.512+0000')).toBe(Date.UTC(2024, 2, 12, 10, 15, 41, 512));
    expect(parseTimestamp('2024-03-12T10:15:41+05:30')).toBe(Date.UTC(2024, 2, 12, 4, 45, 41));
    expect(parseTimestamp('2024-03-12 10:15:41.5')).toBe(Date.UTC(2024, 2, 12, 10, 15, 41, 500));
    expect(parseTimestamp('2024-03-12T10:15:41.123456789Z')).toBe(Date.UTC(2024, 2, 12, 10, 15, 41, 123));
  });

  it('parses epochs by magnitude and BSD dates', () => {
    expect(parseTimestamp(1710238541)).toBe(1710238541000);
    expect(parseTimestamp('1710238541123')).toBe(1710238541123);
    expect(parseTimestamp(1710238541123456)).toBe(1710238541123);
    expect(parseTimestamp('Mar 12 2024 10:15:29 UTC', now)).toBe(Date.UTC(2024, 2, 12, 10, 15, 29));
    expect(parseTimestamp('Mar 11 10:15:29', now)).toBe(Date.UTC(2024, 2, 11, 10, 15, 29));
  });

  it('rejects what is not a timestamp', () => {
    for (const v of ['1', 'yesterday', '2024-03-12T25:00:00Z', '2024-03-12T10:00:00+99', -5, Number.NaN, true, {}]) {
      expect(parseTimestamp(v)).toBeUndefined();
    }
  });
});

describe('message fields table', () => {
  it('reads sshd variants', () => {
    expect(extractMessageFields('Failed publickey for git from 2001:db8::7 port 2222 ssh2')).toMatchObject({ user: 'git', srcIp: '2001:db8::7', srcPort: 2222, outcome: 'failure' });
    expect(extractMessageFields('error: maximum authentication attempts exceeded for invalid user admin from 192.0.2.3 port 4000 ssh2 [preauth]')).toMatchObject({
      user: 'admin',
      srcIp: '192.0.2.3',
      outcome: 'failure',
    });
    expect(extractMessageFields('Disconnected from authenticating user root 192.0.2.3 port 4000 [preauth]')).toMatchObject({ user: 'root', srcIp: '192.0.2.3' });
    expect(extractMessageFields('Received disconnect from 2001:db8::9 port 50000:11: Bye Bye [preauth]')).toMatchObject({ srcIp: '2001:db8::9', srcPort: 50000 });
    expect(extractMessageFields('Invalid user  from 192.0.2.4 port 1')).toMatchObject({ srcIp: '192.0.2.4' });
    expect(extractMessageFields('Invalid user  from 192.0.2.4 port 1')?.user).toBeUndefined();
  });

  it('reads su and sudo failures', () => {
    expect(extractMessageFields("FAILED SU (to root) eve on pts/2")).toBeUndefined();
    expect(extractMessageFields('FAILED SU for root by eve')).toMatchObject({ user: 'eve', targetUser: 'root', outcome: 'failure' });
    expect(extractMessageFields('eve : 3 incorrect password attempts ; TTY=pts/2 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh -c "a ; b"')).toMatchObject({
      user: 'eve',
      targetUser: 'root',
      commandLine: '/bin/sh -c "a ; b"',
      outcome: 'failure',
    });
  });

  it('ignores text it does not know', () => {
    expect(extractMessageFields('Server listening on 0.0.0.0 port 22.')).toBeUndefined();
    expect(extractMessageFields('a : b')).toBeUndefined();
  });
});

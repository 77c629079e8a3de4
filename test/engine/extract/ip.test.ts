import { describe, expect, it } from 'vitest';
import { extractIocs } from '../../../src/engine/extract/index.js';
import { classifyIp, parseIp } from '../../../src/engine/extract/ip.js';
import { event, values } from './helpers.js';

describe('classifyIp', () => {
  it.each([
    ['185.22.13.9', { private: false, loopback: false, reserved: false, range: 'unicast' }],
    ['10.0.0.1', { private: true, loopback: false, reserved: false, range: 'private' }],
    ['172.16.5.4', { private: true, loopback: false, reserved: false, range: 'private' }],
    ['192.168.33.1', { private: true, loopback: false, reserved: false, range: 'private' }],
    ['127.0.0.1', { private: false, loopback: true, reserved: false, range: 'loopback' }],
    ['169.254.1.1', { private: false, loopback: false, reserved: true, range: 'linkLocal' }],
    ['224.0.0.1', { private: false, loopback: false, reserved: true, range: 'multicast' }],
    ['0.0.0.0', { private: false, loopback: false, reserved: true, range: 'unspecified' }],
    ['255.255.255.255', { private: false, loopback: false, reserved: true, range: 'broadcast' }],
    ['100.64.0.1', { private: false, loopback: false, reserved: true, range: 'carrierGradeNat' }],
    ['192.0.2.10', { private: false, loopback: false, reserved: true, range: 'reserved' }],
    ['198.51.100.7', { private: false, loopback: false, reserved: true, range: 'reserved' }],
    ['203.0.113.5', { private: false, loopback: false, reserved: true, range: 'reserved' }],
    ['2001:db8::1', { private: false, loopback: false, reserved: true, range: 'reserved' }],
    ['::1', { private: false, loopback: true, reserved: false, range: 'loopback' }],
    ['fe80::1%eth0', { private: false, loopback: false, reserved: true, range: 'linkLocal' }],
    ['fd12:3456::1', { private: true, loopback: false, reserved: true, range: 'uniqueLocal' }],
    ['ff02::1', { private: false, loopback: false, reserved: true, range: 'multicast' }],
    ['2a00:1450:4007:80e::200e', { private: false, loopback: false, reserved: false, range: 'unicast' }],
  ])('%s', (ip, flags) => {
    expect(classifyIp(ip)).toEqual(flags);
  });

  it('rejects what is not an address', () => {
    for (const bad of ['1.2.3', '1.2.3.4.5', '256.1.1.1', '10:12:33', 'example.com', '', '1::2::3']) {
      expect(classifyIp(bad), bad).toBeUndefined();
    }
  });
});

describe('parseIp canonical forms', () => {
  it.each([
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', 'IPV6', '2001:db8::1'],
    ['[2001:db8::1]', 'IPV6', '2001:db8::1'],
    ['fe80::1%eth0', 'IPV6', 'fe80::1'],
    ['::ffff:10.0.0.1', 'IPV4', '10.0.0.1'],
    ['::FFFF:0a00:0001', 'IPV4', '10.0.0.1'],
    ['010.001.002.003', 'IPV4', '10.1.2.3'],
  ])('%s -> %s %s', (raw, type, value) => {
    expect(parseIp(raw)).toMatchObject({ type, value });
  });
});

describe('IP extraction from text', () => {
  it('finds IPv6 addresses in their forms, canonicalized and flagged', () => {
    const found = extractIocs(event('peers 2001:db8::1, [fe80::1%eth0]:22, ::1 and ::ffff:10.0.0.1 seen'));
    expect(found.map((i) => [i.type, i.value, i.ip?.range])).toEqual([
      ['IPV4', '10.0.0.1', 'private'],
      ['IPV6', '2001:db8::1', 'reserved'],
      ['IPV6', '::1', 'loopback'],
      ['IPV6', 'fe80::1', 'linkLocal'],
    ]);
  });

  it('accepts addresses at sentence ends, with ports and in brackets', () => {
    expect(values('blocked 8.8.8.8. Then [9.9.9.9]:53 and 1.1.1.1:443, (4.4.4.4)', 'IPV4')).toEqual(['1.1.1.1', '4.4.4.4', '8.8.8.8', '9.9.9.9']);
    expect(values('Received disconnect from 2001:db8::5: 11: Bye Bye', 'IPV6')).toEqual(['2001:db8::5']);
    expect(values('inet6 addr:fe80::1/64 Scope:Link', 'IPV6')).toEqual(['fe80::1']);
  });

  it('has no false positives on versions, timestamps, byte dumps or C++ names', () => {
    const text = [
      'version 1.2.3.4.5 of OpenSSH_7.4p1 at 10:12:33 and 2024-01-05T10:12:33.123Z',
      'v1.2.3.4 build 10.0.19041.1 release 6.1.7601.1',
      'RSA 39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84 mac 00:1a:2b:3c:4d:5e eui 00:11:22:33:44:55:66:77',
      'std::cerr Foo::Bar Net::SSH a :: b 999.1.1.1 1.2.3.4.example',
    ].join('\n');
    expect(values(text, 'IPV4')).toEqual([]);
    expect(values(text, 'IPV6')).toEqual([]);
  });
});

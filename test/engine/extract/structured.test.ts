import { describe, expect, it } from 'vitest';
import { extractIocs, hostIoc } from '../../../src/engine/extract/index.js';
import { slotOf } from '../../../src/engine/extract/fields.js';
import { extract, render } from './helpers.js';

const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

describe('named event fields', () => {
  it('maps each field to its role', () => {
    expect(
      extract('', {
        srcIp: '185.22.13.9',
        dstIp: '10.0.0.5',
        host: 'WIN-DC01',
        user: 'CORP\\Alice',
        targetUser: 'Administrator',
        url: 'hxxps://Evil.Example.com/Pay',
        domain: 'C2.Example.NET.',
        hash: SHA256.toUpperCase(),
        file: `C:\\Temp\\dropper.exe`,
      }),
    ).toEqual([
      'IPV4 10.0.0.5 DESTINATION',
      'IPV4 185.22.13.9 SOURCE',
      'DOMAIN c2.example.net RELATED',
      'DOMAIN evil.example.com RELATED',
      'URL https://evil.example.com/Pay URL',
      `SHA256 ${SHA256} FILE`,
      'USERNAME Administrator TARGET_USER',
      'USERNAME CORP\\Alice USER',
      'HOSTNAME win-dc01 HOST',
    ]);
  });

  it('a file yields nothing unless it carries a digest', () => {
    expect(extract('', { file: '/tmp/evil.sh' })).toEqual([]);
    expect(extract('', { file: `/samples/${MD5}.bin` })).toEqual([`MD5 ${MD5} FILE`]);
  });

  it('classifies host values: address, public name, single label', () => {
    expect(hostIoc('LabSZ', 'HOST')).toEqual({ type: 'HOSTNAME', value: 'labsz', role: 'HOST' });
    expect(hostIoc('ns.marryaldkfaczcz.com', 'HOST')).toEqual({ type: 'DOMAIN', value: 'ns.marryaldkfaczcz.com', role: 'HOST' });
    expect(hostIoc('web01.corp.local', 'HOST')).toEqual({ type: 'HOSTNAME', value: 'web01.corp.local', role: 'HOST' });
    expect(hostIoc('192.168.1.10', 'HOST')).toMatchObject({ type: 'IPV4', value: '192.168.1.10', ip: { private: true } });
    expect(hostIoc('[2001:db8::10]', 'HOST')).toMatchObject({ type: 'IPV6', value: '2001:db8::10' });
    for (const none of ['localhost', '-', '12345', 'a b', '']) expect(hostIoc(none, 'HOST'), none).toBeUndefined();
  });
});

describe('fields by key', () => {
  it('recognises ECS, CEF, Windows and Wazuh keys', () => {
    expect(slotOf('source.ip')).toEqual(['host', 'SOURCE']);
    expect(slotOf('winlog.event_data.TargetUserName')).toEqual(['user', 'TARGET_USER']);
    expect(slotOf('destination.user.name')).toEqual(['user', 'TARGET_USER']);
    expect(slotOf('source.user.name')).toEqual(['user', 'USER']);
    expect(slotOf('data.srcip')).toEqual(['host', 'SOURCE']);
    expect(slotOf('host.ip.0')).toEqual(['host', 'HOST']);
    expect(slotOf('dns.question.name')).toEqual(['domain', 'RELATED']);
    expect(slotOf('event.action')).toBeUndefined();
  });

  it('extracts from recognised keys and scans the other string values as text', () => {
    const found = extractIocs({
      format: 'UNKNOWN',
      message: '',
      fields: {
        shost: 'WS-042',
        dhost: 'files.example.com',
        'winlog.event_data.IpAddress': '::ffff:203.0.113.50',
        'winlog.event_data.TargetUserName': 'svc.backup@corp.example.com',
        'process.hash.sha256': SHA256,
        'msg.reason': 'beacon to 198.51.100.23',
        'source.port': 4242,
      },
    });
    expect(render(found)).toEqual([
      'IPV4 198.51.100.23 DESTINATION',
      'IPV4 203.0.113.50 SOURCE',
      'DOMAIN files.example.com DESTINATION',
      `SHA256 ${SHA256} FILE`,
      'USERNAME svc.backup@corp.example.com TARGET_USER',
      'HOSTNAME ws-042 SOURCE',
    ]);
  });

  it('caps the text read from fields', () => {
    const fields: Record<string, string> = {};
    for (let i = 0; i < 100; i++) fields[`f${i}`] = `${'x'.repeat(4000)} 8.8.${i}.1`;
    const found = extractIocs({ format: 'UNKNOWN', message: '', fields });
    // 64 KiB over 4 KiB values: only the first sixteen fields are read, and each whole.
    expect(found.length).toBeLessThanOrEqual(16);
    expect(found.length).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { parseExtension } from '../../../src/engine/normalize/cef.js';
import { normalize } from '../../../src/engine/normalize/index.js';
import { AlertFormat } from '../../../src/engine/types.js';

const NOW = Date.UTC(2024, 2, 12, 12, 0, 0);
const log = (text: string) => normalize({ kind: 'log', text }, { now: NOW });

describe('CEF', () => {
  it('parses the specification example', () => {
    expect(log('CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232')).toEqual({
      format: AlertFormat.CEF,
      message: 'worm successfully stopped',
      vendor: 'Security',
      product: 'threatmanager',
      eventId: '100',
      severity: '10',
      srcIp: '10.0.0.1',
      srcPort: 1232,
      dstIp: '2.1.2.2',
      fields: {
        'cef.version': '0',
        'cef.deviceVendor': 'Security',
        'cef.deviceProduct': 'threatmanager',
        'cef.deviceVersion': '1.0',
        'cef.signatureId': '100',
        'cef.name': 'worm successfully stopped',
        'cef.severity': '10',
        src: '10.0.0.1',
        dst: '2.1.2.2',
        spt: '1232',
      },
    });
  });

  it('parses a firewall event behind an RFC 3164 header with the usual extensions', () => {
    const event = log(
      '<134>Mar 12 10:15:30 fw-edge-01 CEF:0|Palo Alto Networks|PAN-OS|10.2.4|url|THREAT|3|rt=Mar 12 2024 10:15:29 GMT src=10.20.30.40 spt=51512 dst=198.51.100.80 dpt=443 suser=corp\\\\jdoe duser=svc-web shost=LAPTOP-17 dhost=evil.example.net request=https://evil.example.net/payload.exe?x\\=1 fname=payload.exe fileHash=44d88612fea8a8f36de82e1278abb02f act=block-url outcome=blocked dvchost=fw-edge-01 msg=Blocked download of a known bad file',
    );
    expect(event).toMatchObject({
      format: AlertFormat.CEF,
      message: 'THREAT: Blocked download of a known bad file',
      timestamp: Date.UTC(2024, 2, 12, 10, 15, 29),
      host: 'fw-edge-01',
      facility: 'local0',
      severity: '3',
      vendor: 'Palo Alto Networks',
      product: 'PAN-OS',
      eventId: 'url',
      srcIp: '10.20.30.40',
      srcPort: 51512,
      dstIp: '198.51.100.80',
      dstPort: 443,
      user: 'corp\\jdoe',
      targetUser: 'svc-web',
      url: 'https://evil.example.net/payload.exe?x=1',
      domain: 'evil.example.net',
      file: 'payload.exe',
      hash: '44d88612fea8a8f36de82e1278abb02f',
      action: 'block-url',
      outcome: 'blocked',
    });
    expect(event.fields).toMatchObject({ shost: 'LAPTOP-17', dhost: 'evil.example.net', 'syslog.pri': 134 });
  });

  it('parses CEF behind an RFC 5424 header and uses the header time when rt is absent', () => {
    const event = log('<132>1 2024-03-12T09:00:00Z ids-1 snort - - - CEF:0|Snort|IDS|2.9|1:2019401|ET POLICY Suspicious DNS|7|src=192.0.2.5 dst=203.0.113.9 dpt=53');
    expect(event).toMatchObject({
      format: AlertFormat.CEF,
      timestamp: Date.UTC(2024, 2, 12, 9),
      host: 'ids-1',
      program: 'snort',
      eventId: '1:2019401',
      severity: '7',
      dstPort: 53,
    });
  });

  it('unescapes pipes and backslashes in the header', () => {
    const event = log('CEF:0|Ven\\|dor|Prod\\\\uct|1|sig|name with \\| pipe|5|act=x');
    expect(event).toMatchObject({ vendor: 'Ven|dor', product: 'Prod\\uct', message: 'name with | pipe', action: 'x' });
  });

  it('keeps spaces, escaped equals and unescaped pipes in extension values', () => {
    expect(parseExtension('msg=a b\\=c | d cs1Label=Rule Name cs1=Block all  src=1.2.3.4')).toEqual([
      ['msg', 'a b=c | d'],
      ['cs1Label', 'Rule Name'],
      ['cs1', 'Block all'],
      ['src', '1.2.3.4'],
    ]);
    expect(parseExtension('a= b=2 c=line\\none')).toEqual([
      ['a', ''],
      ['b', '2'],
      ['c', 'line\none'],
    ]);
    expect(parseExtension('')).toEqual([]);
  });

  it('reads epoch milliseconds in rt and ignores invalid addresses', () => {
    const event = log('CEF:0|V|P|1|2|n|Low|rt=1710238530000 src=not-an-ip spt=99999');
    expect(event).toMatchObject({ timestamp: 1710238530000, severity: 'Low', fields: { src: 'not-an-ip' } });
    expect(event.srcIp).toBeUndefined();
    expect(event.srcPort).toBeUndefined();
  });

  it('does not treat a header with too few pipes as CEF', () => {
    expect(log('CEF:0|Security|threatmanager|1.0|100')).toEqual({ format: AlertFormat.UNKNOWN, message: 'CEF:0|Security|threatmanager|1.0|100', fields: {} });
    const behindSyslog = log('Mar 12 10:00:00 fw CEF:0|a|b|c');
    expect(behindSyslog).toMatchObject({ format: AlertFormat.SYSLOG_RFC3164, host: 'fw', message: 'CEF:0|a|b|c' });
  });
});

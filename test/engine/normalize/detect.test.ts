import { describe, expect, it } from 'vitest';
import { detectJsonFormat, LineKind, lineCandidates, normalize } from '../../../src/engine/normalize/index.js';
import { AlertFormat } from '../../../src/engine/types.js';
import { fixtureJson, NOW } from './helpers.js';

const format = (text: string) => normalize({ kind: 'log', text }, { now: NOW }).format;

describe('format detection', () => {
  it('orders line candidates by specificity', () => {
    expect(lineCandidates('{"a":1}')).toEqual([LineKind.JSON]);
    expect(lineCandidates('<13>Mar 12 10:00:00 h CEF:0|a|b|c|d|e|f|')).toEqual([LineKind.CEF, LineKind.SYSLOG_RFC3164]);
    expect(lineCandidates('<13>1 2024-03-12T10:00:00Z h a - - - x')).toEqual([LineKind.SYSLOG_RFC5424, LineKind.SYSLOG_RFC3164]);
    expect(lineCandidates('hello')).toEqual([]);
  });

  it('tells the log formats apart', () => {
    expect(format('CEF:0|a|b|c|d|e|f|')).toBe(AlertFormat.CEF);
    expect(format('<13>Mar 12 10:00:00 host CEF:0|a|b|c|d|e|5|src=1.2.3.4')).toBe(AlertFormat.CEF);
    expect(format('<13>1 2024-03-12T10:00:00Z host app - - - CEF:0|a|b|c|d|e|5|')).toBe(AlertFormat.CEF);
    expect(format('<13>1 2024-03-12T10:00:00Z host app - - - hello')).toBe(AlertFormat.SYSLOG_RFC5424);
    expect(format('1 2024-03-12T10:00:00Z host app - - - hello')).toBe(AlertFormat.SYSLOG_RFC5424);
    expect(format('<13>Mar 12 10:00:00 host app: hello')).toBe(AlertFormat.SYSLOG_RFC3164);
    expect(format('Mar 12 10:00:00 host app[1]: hello')).toBe(AlertFormat.SYSLOG_RFC3164);
    expect(format('Mar 12 10:00 host app: hello')).toBe(AlertFormat.UNKNOWN);
    expect(format('Foo 12 10:00:00 host app: hello')).toBe(AlertFormat.UNKNOWN);
    expect(format('1 is the loneliest number')).toBe(AlertFormat.UNKNOWN);
    expect(format('GET /index.html HTTP/1.1 200')).toBe(AlertFormat.UNKNOWN);
  });

  it('parses a line that is itself JSON as JSON of its kind', () => {
    const wazuh = fixtureJson('normalize/wazuh-sshd-5712.json');
    const ecs = fixtureJson('normalize/ecs-filebeat-sshd.json');
    expect(format(JSON.stringify(wazuh))).toBe(AlertFormat.WAZUH);
    expect(format(`  ${JSON.stringify(ecs)}\n`)).toBe(AlertFormat.ECS);
    expect(format('{"msg":"hi","src_ip":"192.0.2.1"}')).toBe(AlertFormat.JSON);
    expect(normalize({ kind: 'log', text: '{"msg":"hi","src_ip":"192.0.2.1"}' })).toMatchObject({ message: 'hi', srcIp: '192.0.2.1' });
  });

  it('tells the JSON formats apart', () => {
    expect(detectJsonFormat(fixtureJson('normalize/wazuh-windows-60122.json'))).toBe(AlertFormat.WAZUH);
    expect(detectJsonFormat(fixtureJson('normalize/ecs-winlogbeat-4625.json'))).toBe(AlertFormat.ECS);
    expect(detectJsonFormat(fixtureJson('normalize/ecs-dotted.json'))).toBe(AlertFormat.ECS);
    // A rule without agent, full_log or decoder is just some JSON with a rule in it.
    expect(detectJsonFormat({ rule: { level: 3, description: 'x' } })).toBe(AlertFormat.JSON);
    expect(detectJsonFormat({ rule: 'x', agent: { name: 'a' } })).toBe(AlertFormat.JSON);
    expect(detectJsonFormat({ '@timestamp': '2024-03-12T00:00:00Z', message: 'x' })).toBe(AlertFormat.JSON);
    expect(detectJsonFormat({ EventID: 4624, Channel: 'Security' })).toBe(AlertFormat.JSON);
  });
});

describe('UNKNOWN lines', () => {
  it('keeps the line and still reads a bare sshd message', () => {
    expect(normalize({ kind: 'log', text: ' Failed password for root from 185.22.13.9 port 22 ssh2 ' })).toEqual({
      format: AlertFormat.UNKNOWN,
      message: 'Failed password for root from 185.22.13.9 port 22 ssh2',
      user: 'root',
      srcIp: '185.22.13.9',
      srcPort: 22,
      action: 'ssh_login',
      outcome: 'failure',
      fields: { 'msg.authMethod': 'password' },
    });
  });
});

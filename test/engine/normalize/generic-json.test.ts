import { describe, expect, it } from 'vitest';
import { normalize } from '../../../src/engine/normalize/index.js';
import { AlertFormat, type NormalizedEvent } from '../../../src/engine/types.js';
import { fixtureLines, NOW } from './helpers.js';

const json = (value: Record<string, unknown>) => normalize({ kind: 'json', value }, { now: NOW });

describe('Windows event JSON (OTRF Security-Datasets, cmd_lsass_memory_dumpert_syscalls)', () => {
  const events = fixtureLines('otrf/cmd_lsass_memory_dumpert_syscalls.sample.jsonl').map((line) => JSON.parse(line) as Record<string, unknown>);
  const byId = (id: number, channel = 'Security'): NormalizedEvent => {
    const raw = events.find((e) => e.EventID === id && String(e.Channel).startsWith(channel));
    if (!raw) throw new Error(`no event ${id} in fixture`);
    return json(raw);
  };

  it('maps every sample to a JSON event with host, event id and time', () => {
    expect(events).toHaveLength(7);
    for (const raw of events) {
      const event = json(raw);
      expect(event.format).toBe(AlertFormat.JSON);
      expect(event.host).toBe('WORKSTATION5');
      expect(event.eventId).toBe(String(raw.EventID));
      expect(event.vendor).toBe('Microsoft');
      expect(event.timestamp).toBeGreaterThan(Date.UTC(2020, 9, 18));
      expect(event.message.length).toBeGreaterThan(10);
    }
  });

  it('maps 4688 process creation with user, hex pid and command line', () => {
    expect(byId(4688)).toMatchObject({
      user: 'wardog',
      process: 'C:\\Users\\wardog\\Desktop\\Outflank-Dumpert.exe',
      pid: 0x1a74,
      commandLine: 'Outflank-Dumpert.exe',
      action: 'created-process',
      timestamp: Date.UTC(2020, 9, 18, 10, 56, 14, 283),
      fields: { ParentProcessName: 'C:\\Windows\\System32\\cmd.exe', TargetUserName: '-' },
    });
    expect(byId(4688).targetUser).toBeUndefined();
  });

  it('maps Sysmon 1 with the SHA-256 out of Hashes and UtcTime as time', () => {
    expect(byId(1, 'Microsoft-Windows-Sysmon')).toMatchObject({
      product: 'Microsoft-Windows-Sysmon',
      user: 'WORKSTATION5\\wardog',
      process: 'C:\\Users\\wardog\\Desktop\\Outflank-Dumpert.exe',
      pid: 6772,
      hash: 'D286348DE31501385A3A8F57A08AF602722913C36AAA4AA9FCB9EE129A7680C0',
      timestamp: Date.UTC(2020, 9, 19, 2, 56, 14, 283),
      action: 'process-created',
    });
  });

  it('maps Sysmon 10 access to lsass with the target in fields', () => {
    const event = byId(10, 'Microsoft-Windows-Sysmon');
    expect(event).toMatchObject({ process: 'C:\\Users\\wardog\\Desktop\\Outflank-Dumpert.exe', pid: 6772, action: 'process-accessed' });
    expect(String(event.fields.TargetImage).toLowerCase()).toContain('lsass.exe');
    expect(event.fields.GrantedAccess).toBe('0x1fffff');
  });

  it('maps 5156 network connections to source and destination', () => {
    expect(byId(5156)).toMatchObject({ srcIp: '192.168.2.5', dstIp: '168.63.129.16', dstPort: 80 });
  });

  it('maps Sysmon 11 file creation and 1102 log clearing', () => {
    expect(byId(11, 'Microsoft-Windows-Sysmon').file).toMatch(/\.pf$/);
    expect(byId(1102).action).toBe('audit-log-cleared');
  });

  it('synthesises a message for NXLog-style records without Message', () => {
    const event = json({
      EventTime: '2024-03-12 11:02:44',
      Hostname: 'DC01.corp.example.com',
      EventType: 'AUDIT_FAILURE',
      EventID: 4625,
      SourceName: 'Microsoft-Windows-Security-Auditing',
      Channel: 'Security',
      SubjectUserName: '-',
      TargetUserName: 'svc_backup',
      LogonType: '3',
      IpAddress: '::ffff:198.51.100.66',
      IpPort: '50311',
      RuleName: 'technique_id=T1110,technique_name=Brute Force',
    });
    expect(event).toMatchObject({
      format: AlertFormat.JSON,
      message: 'EventID 4625 (Security): An account failed to log on - user=svc_backup, from 198.51.100.66, logon type 3',
      host: 'DC01.corp.example.com',
      user: 'svc_backup',
      targetUser: 'svc_backup',
      srcIp: '198.51.100.66',
      srcPort: 50311,
      outcome: 'failure',
      action: 'logon-failed',
      mitreTechniques: ['T1110'],
      timestamp: Date.UTC(2024, 2, 12, 11, 2, 44),
    });
  });

  it('keeps acting and target users apart for account management events', () => {
    const event = json({ EventID: '4720', Channel: 'Security', Computer: 'DC01', SubjectUserName: 'admin.jane', TargetUserName: 'backdoor$' });
    expect(event).toMatchObject({ user: 'admin.jane', targetUser: 'backdoor$', action: 'added-user-account' });
    expect(event.message).toBe('EventID 4720 (Security): A user account was created - user=admin.jane, target=backdoor$');
  });
});

describe('generic JSON', () => {
  it('maps common application field names', () => {
    expect(
      json({ time: '2024-03-12T10:00:00Z', hostname: 'api-3', msg: 'login failed', src_ip: '192.0.2.10', src_port: '5555', dest_ip: '10.0.0.5', dst_port: 443, username: 'bob', action: 'deny', sha256: 'ab'.repeat(32) }),
    ).toMatchObject({
      format: AlertFormat.JSON,
      message: 'login failed',
      timestamp: Date.UTC(2024, 2, 12, 10),
      host: 'api-3',
      srcIp: '192.0.2.10',
      srcPort: 5555,
      dstIp: '10.0.0.5',
      dstPort: 443,
      user: 'bob',
      action: 'deny',
      hash: 'ab'.repeat(32),
      fields: { src_port: '5555', dst_port: 443 },
    });
  });

  it('maps a Suricata EVE alert', () => {
    const event = json({
      timestamp: '2024-03-12T10:15:30.123456+0000',
      flow_id: 1234567890123456,
      in_iface: 'eth0',
      event_type: 'alert',
      src_ip: '10.0.5.20',
      src_port: 49152,
      dest_ip: '198.51.100.23',
      dest_port: 80,
      proto: 'TCP',
      alert: { action: 'allowed', gid: 1, signature_id: 2013028, rev: 7, signature: 'ET POLICY curl User-Agent Outbound', category: 'Attempted Information Leak', severity: 2 },
      http: { hostname: 'dl.example.org', url: '/x.sh', http_user_agent: 'curl/8.5.0' },
    });
    expect(event).toMatchObject({
      message: 'ET POLICY curl User-Agent Outbound',
      timestamp: Date.UTC(2024, 2, 12, 10, 15, 30, 123),
      srcIp: '10.0.5.20',
      dstIp: '198.51.100.23',
      dstPort: 80,
      ruleId: '2013028',
      ruleDescription: 'ET POLICY curl User-Agent Outbound',
      action: 'allowed',
      severity: '2',
      fields: { 'http.hostname': 'dl.example.org' },
    });
  });

  it('extracts sshd facts from a wrapped message and accepts epoch times', () => {
    expect(json({ ts: 1710238541, message: 'Failed password for root from 192.0.2.1 port 22 ssh2', host: { name: 'h1' } })).toMatchObject({
      timestamp: 1710238541000,
      user: 'root',
      srcIp: '192.0.2.1',
      host: 'h1',
    });
  });

  it('ignores values of the wrong type and invalid addresses', () => {
    const event = json({ message: { nested: true }, src_ip: 'localhost', user: ['a'], host: 42, severity: null });
    expect(event.srcIp).toBeUndefined();
    expect(event.user).toBeUndefined();
    expect(event.host).toBe('42');
    expect(event.message).toBe('message.nested=true src_ip=localhost user.0=a host=42');
  });

  it('names an empty object plainly', () => {
    expect(json({})).toEqual({ format: AlertFormat.JSON, message: '', fields: {} });
  });
});

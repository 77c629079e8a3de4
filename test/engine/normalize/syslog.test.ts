import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalize } from '../../../src/engine/normalize/index.js';
import { AlertFormat } from '../../../src/engine/types.js';

const NOW = Date.UTC(2024, 2, 12, 12, 0, 0);
const log = (text: string, now = NOW) => normalize({ kind: 'log', text }, { now });

describe('RFC 3164 syslog', () => {
  const lines = readFileSync(new URL('../../fixtures/ecs_syslog/beats_filebeat_system_auth_test.log', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');

  it('parses every line of the Filebeat system/auth test log', () => {
    expect(lines).toHaveLength(10);
    for (const line of lines) {
      const event = log(line);
      expect(event.format).toBe(AlertFormat.SYSLOG_RFC3164);
      expect(event.host).toMatch(/^(localhost|slave22|precise32)$/);
      expect(event.timestamp).toBeTypeOf('number');
    }
  });

  it('reads header and sshd publickey login', () => {
    expect(log(lines[0] ?? '')).toMatchObject({
      format: AlertFormat.SYSLOG_RFC3164,
      timestamp: Date.UTC(2024, 1, 21, 21, 54, 44),
      host: 'localhost',
      program: 'sshd',
      pid: 3402,
      message: 'Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2: RSA 39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84',
      user: 'vagrant',
      srcIp: '10.0.2.2',
      srcPort: 63673,
      action: 'ssh_login',
      outcome: 'success',
      fields: { 'msg.authMethod': 'publickey' },
    });
  });

  it('reads failed password, invalid user and sudo lines of the fixture', () => {
    expect(log(lines[2] ?? '')).toMatchObject({ user: 'test', srcIp: '10.0.2.2', outcome: 'failure' });
    expect(log(lines[3] ?? '')).toMatchObject({ host: 'slave22', user: 'root', srcIp: '216.160.83.57', srcPort: 29160, outcome: 'failure' });
    expect(log(lines[4] ?? '')).toMatchObject({
      program: 'sudo',
      user: 'vagrant',
      targetUser: 'root',
      commandLine: '/bin/ls',
      fields: { 'msg.pwd': '/home/vagrant', 'msg.tty': 'pts/0' },
    });
    expect(log(lines[6] ?? '')).toMatchObject({ commandLine: '/bin/cat /var/log/secure' });
    expect(log(lines[7] ?? '')).toMatchObject({
      user: 'tsg',
      targetUser: 'root',
      outcome: 'failure',
      message: 'tsg : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls',
      fields: { 'msg.reason': 'user NOT in sudoers' },
    });
    expect(log(lines[9] ?? '')).toMatchObject({ program: 'useradd', pid: 6995, targetUser: 'apache' });
  });

  it('reads OpenSSH lines in the Loghub format', () => {
    expect(log('Dec 10 09:14:03 LabSZ sshd[28411]: Failed password for invalid user oracle from 203.0.113.77 port 51744 ssh2')).toMatchObject({
      timestamp: Date.UTC(2023, 11, 10, 9, 14, 3),
      host: 'LabSZ',
      program: 'sshd',
      pid: 28411,
      user: 'oracle',
      srcIp: '203.0.113.77',
      srcPort: 51744,
      fields: { 'msg.invalidUser': 'true' },
    });
    expect(log('Dec 10 09:14:01 LabSZ sshd[28411]: reverse mapping checking getaddrinfo for host-77.example.net [203.0.113.77] failed - POSSIBLE BREAK-IN ATTEMPT!'))
      .toMatchObject({ srcIp: '203.0.113.77', fields: { 'msg.rhost': 'host-77.example.net' } });
    expect(log('Dec 10 09:14:05 LabSZ sshd[28411]: Received disconnect from 203.0.113.77: 11: Bye Bye [preauth]')).toMatchObject({ srcIp: '203.0.113.77' });
    expect(log('Dec 10 09:15:40 LabSZ sshd[28420]: Connection closed by 198.51.100.4 [preauth]')).toMatchObject({ srcIp: '198.51.100.4' });
    expect(log('Dec 10 09:15:41 LabSZ sshd[28421]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.4  user=root'))
      .toMatchObject({ srcIp: '198.51.100.4', user: 'root', action: 'authentication', outcome: 'failure' });
  });

  it('reads Linux PAM lines with `program(module)[pid]` tags', () => {
    const event = log('Jul  2 04:17:22 combo sshd(pam_unix)[31245]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=dsl-61.example.org  user=root');
    expect(event).toMatchObject({
      format: AlertFormat.SYSLOG_RFC3164,
      timestamp: Date.UTC(2023, 6, 2, 4, 17, 22),
      host: 'combo',
      program: 'sshd(pam_unix)',
      pid: 31245,
      user: 'root',
      fields: { 'msg.rhost': 'dsl-61.example.org' },
    });
    expect(event.srcIp).toBeUndefined();
    expect(log('Jul  2 04:20:01 combo su(pam_unix)[31300]: session opened for user news by (uid=0)')).toMatchObject({
      program: 'su(pam_unix)',
      user: 'news',
      action: 'session_opened',
    });
    expect(log('Jul  2 04:20:02 combo logrotate: ALERT exited abnormally with [1]')).toMatchObject({
      program: 'logrotate',
      message: 'ALERT exited abnormally with [1]',
    });
  });

  it('decodes PRI into facility and severity', () => {
    expect(log("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8")).toMatchObject({
      format: AlertFormat.SYSLOG_RFC3164,
      facility: 'auth',
      severity: 'crit',
      host: 'mymachine',
      program: 'su',
      message: "'su root' failed for lonvick on /dev/pts/8",
      fields: { 'syslog.pri': 34 },
    });
  });

  it('accepts a missing host, a year after the day, and RFC 3339 timestamps', () => {
    expect(log('Oct 11 22:14:15 su: failed')).toMatchObject({ program: 'su', message: 'failed' });
    expect(log('Oct 11 22:14:15 su: failed').host).toBeUndefined();
    expect(log('<189>Mar 1 2021 10:00:00 fw01 kernel: up').timestamp).toBe(Date.UTC(2021, 2, 1, 10, 0, 0));
    expect(log('2024-03-12T10:15:30.123+01:00 web-01 sshd[12]: Accepted password for bob from 192.0.2.9 port 22 ssh2')).toMatchObject({
      format: AlertFormat.SYSLOG_RFC3164,
      timestamp: Date.UTC(2024, 2, 12, 9, 15, 30, 123),
      host: 'web-01',
      user: 'bob',
    });
  });

  it('keeps a PRI-only line as syslog with its text', () => {
    expect(log('<13>hello world')).toMatchObject({ format: AlertFormat.SYSLOG_RFC3164, severity: 'notice', message: 'hello world' });
  });
});

describe('RFC 3164 year inference', () => {
  const line = (date: string) => `${date} host prog: x`;

  it('uses the year of `now`', () => {
    expect(log(line('Mar 12 11:00:00')).timestamp).toBe(Date.UTC(2024, 2, 12, 11));
    expect(log(line('Jan  1 00:00:00')).timestamp).toBe(Date.UTC(2024, 0, 1));
  });

  it('allows up to a day in the future for clock skew', () => {
    expect(log(line('Mar 13 11:00:00')).timestamp).toBe(Date.UTC(2024, 2, 13, 11));
  });

  it('takes the previous year when the date would be further in the future', () => {
    expect(log(line('Mar 13 12:00:01')).timestamp).toBe(Date.UTC(2023, 2, 13, 12, 0, 1));
    expect(log(line('Dec 31 23:59:59'), Date.UTC(2025, 0, 1, 0, 5)).timestamp).toBe(Date.UTC(2024, 11, 31, 23, 59, 59));
  });

  it('handles Feb 29 from a non-leap year', () => {
    expect(log(line('Feb 29 10:00:00'), Date.UTC(2025, 2, 1)).timestamp).toBe(Date.UTC(2024, 1, 29, 10));
  });

  it('defaults `now` to the current clock', () => {
    const event = normalize({ kind: 'log', text: line('Jan  1 00:00:00') });
    expect(new Date(event.timestamp ?? 0).getUTCFullYear()).toBe(new Date().getUTCFullYear());
  });
});

describe('RFC 5424 syslog', () => {
  it('parses the RFC example with structured data and BOM', () => {
    const event = log(
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...',
    );
    expect(event).toEqual({
      format: AlertFormat.SYSLOG_RFC5424,
      message: 'An application event log entry...',
      timestamp: Date.UTC(2003, 9, 11, 22, 14, 15, 3),
      host: 'mymachine.example.com',
      program: 'evntslog',
      facility: 'local4',
      severity: 'notice',
      fields: {
        'syslog.pri': 165,
        'syslog.facility': 'local4',
        'syslog.severity': 'notice',
        'syslog.version': 1,
        'syslog.msgid': 'ID47',
        'sd.exampleSDID@32473.iut': '3',
        'sd.exampleSDID@32473.eventSource': 'Application',
        'sd.exampleSDID@32473.eventID': '1011',
      },
    });
  });

  it('parses several SD elements with escapes, a procid and sshd message fields', () => {
    const event = log(
      '<38>1 2024-03-12T10:15:30.512+00:00 bastion-2 sshd 4121 - [origin ip="10.1.2.3" software="openssh"][meta note="a \\"quoted\\" \\] value"] Failed password for admin from 198.51.100.23 port 40022 ssh2',
    );
    expect(event).toMatchObject({
      format: AlertFormat.SYSLOG_RFC5424,
      facility: 'auth',
      severity: 'info',
      host: 'bastion-2',
      program: 'sshd',
      pid: 4121,
      user: 'admin',
      srcIp: '198.51.100.23',
      srcPort: 40022,
      message: 'Failed password for admin from 198.51.100.23 port 40022 ssh2',
      fields: { 'sd.origin.ip': '10.1.2.3', 'sd.meta.note': 'a "quoted" ] value', 'syslog.procid': '4121' },
    });
  });

  it('accepts nil values and a missing PRI', () => {
    const event = log('1 - - - - - - just text');
    expect(event).toMatchObject({ format: AlertFormat.SYSLOG_RFC5424, message: 'just text' });
    expect(event.host).toBeUndefined();
    expect(event.timestamp).toBeUndefined();
  });

  it('keeps malformed structured data as message text', () => {
    const event = log('<14>1 2024-03-12T10:15:30Z h app - - [broken no="end');
    expect(event).toMatchObject({ format: AlertFormat.SYSLOG_RFC5424, message: '[broken no="end' });
  });

  it('falls back when the timestamp is invalid', () => {
    expect(log('<14>1 2024-13-45T99:99:99Z h app - - - x').format).not.toBe(AlertFormat.SYSLOG_RFC5424);
  });
});

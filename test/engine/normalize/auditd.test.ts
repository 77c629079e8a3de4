import { describe, expect, it } from 'vitest';
import { normalize } from '../../../src/engine/normalize/index.js';
import { AlertFormat } from '../../../src/engine/types.js';
import { fixtureLines, NOW } from './helpers.js';

const log = (text: string) => normalize({ kind: 'log', text }, { now: NOW });

describe('Linux audit lines (OTRF Security-Datasets, sh_arp_cache)', () => {
  const lines = fixtureLines('otrf/sh_arp_cache.sample.log');

  it('keeps every record UNKNOWN with its line and time', () => {
    expect(lines).toHaveLength(12);
    for (const line of lines) {
      const event = log(line);
      expect(event.format).toBe(AlertFormat.UNKNOWN);
      expect(event.message).toBe(line.trim());
      expect(event.timestamp).toBe(1604994496155);
      expect(event.program).toBe('auditd');
    }
  });

  it('reads the SYSCALL record', () => {
    expect(log(lines[0] ?? '')).toMatchObject({
      pid: 1631,
      process: '/usr/sbin/arp',
      outcome: 'success',
      fields: { 'audit.type': 'SYSCALL', 'audit.serial': '92733', 'audit.comm': 'arp', 'audit.auid': '1000', 'audit.ppid': '29002' },
    });
  });

  it('builds the command line from EXECVE and hex PROCTITLE', () => {
    expect(log(lines[1] ?? '').commandLine).toBe('arp -a');
    expect(log(lines[5] ?? '').commandLine).toBe('arp -a');
    expect(log(lines[7] ?? '').commandLine).toBe('grep -v ^?');
    expect(log(lines[11] ?? '').commandLine).toBe('grep -v ^?');
  });

  it('reads paths and login records', () => {
    expect(log(lines[3] ?? '').file).toBe('/usr/sbin/arp');
    const login = log(
      'type=USER_AUTH msg=audit(1710238541.120:4412): pid=2235 uid=0 auid=4294967295 ses=4294967295 msg=\'op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=203.0.113.45 addr=203.0.113.45 terminal=ssh res=failed\'',
    );
    expect(log(`node=build-7 ${lines[1] ?? ''}`)).toMatchObject({ host: 'build-7', commandLine: 'arp -a' });
    expect(login).toMatchObject({ user: 'root', srcIp: '203.0.113.45', outcome: 'failure', process: '/usr/sbin/sshd', timestamp: 1710238541120 });
  });
});

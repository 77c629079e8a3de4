import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareIocs, EXTRACT_LIMITS, extractIocs } from '../../../src/engine/extract/index.js';
import { event, extract, render } from './helpers.js';

describe('seed examples', () => {
  it.each(['Failed password for root from 185.22.13.9 port 22 ssh2', 'Failed SSH login from 185.22.13.9 user root'])('%s', (message) => {
    const found = extractIocs(event(message));
    expect(found).toEqual([
      { type: 'IPV4', value: '185.22.13.9', role: 'SOURCE', ip: { private: false, loopback: false, reserved: false, range: 'unicast' } },
      { type: 'USERNAME', value: 'root', role: 'USER' },
    ]);
  });
});

describe('OpenSSH lines in Loghub format', () => {
  it.each([
    [
      'Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!',
      ['IPV4 173.234.31.186 SOURCE', 'DOMAIN ns.marryaldkfaczcz.com SOURCE'],
    ],
    [
      'Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186  user=root',
      ['IPV4 173.234.31.186 SOURCE', 'USERNAME root USER'],
    ],
    ['Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186', ['IPV4 173.234.31.186 SOURCE', 'USERNAME webmaster USER']],
    ['Dec 10 07:02:47 LabSZ sshd[24203]: Connection closed by 212.47.254.145 [preauth]', ['IPV4 212.47.254.145 SOURCE']],
    ['Dec 10 09:32:20 LabSZ sshd[24680]: Accepted password for fztu from 119.137.62.142 port 49116 ssh2', ['IPV4 119.137.62.142 SOURCE', 'USERNAME fztu USER']],
    ['Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): check pass; user unknown', []],
  ])('%s', (message, expected) => {
    expect(extract(message)).toEqual(expected);
  });

  it('reads the host of a normalized event as HOSTNAME', () => {
    expect(extract('Invalid user webmaster from 173.234.31.186', { host: 'LabSZ' })).toEqual([
      'IPV4 173.234.31.186 SOURCE',
      'USERNAME webmaster USER',
      'HOSTNAME labsz HOST',
    ]);
  });
});

describe("filebeat's auth log", () => {
  const lines = readFileSync(new URL('../../fixtures/ecs_syslog/beats_filebeat_system_auth_test.log', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const expected: string[][] = [
    ['IPV4 10.0.2.2 SOURCE', 'USERNAME vagrant USER'],
    ['IPV4 192.168.33.1 SOURCE', 'USERNAME vagrant USER'],
    ['IPV4 10.0.2.2 SOURCE', 'USERNAME test USER'],
    ['IPV4 216.160.83.57 SOURCE', 'USERNAME root USER'],
    ['USERNAME root TARGET_USER', 'USERNAME vagrant USER'],
    ['IPV4 2.125.160.217 SOURCE'],
    ['USERNAME root TARGET_USER', 'USERNAME vagrant USER'],
    ['USERNAME root TARGET_USER', 'USERNAME tsg USER'],
    [],
    ['USERNAME apache TARGET_USER'],
  ];

  it('has the ten lines the expectations describe', () => {
    expect(lines).toHaveLength(expected.length);
  });

  it.each(lines.map((line, i) => [line, expected[i] ?? []] as const))('%s', (line, want) => {
    expect(extract(line)).toEqual(want);
  });

  it('flags the private sources', () => {
    const first = extractIocs(event(lines[0] ?? ''));
    expect(first[0]?.ip).toEqual({ private: true, loopback: false, reserved: false, range: 'private' });
  });
});

describe('roles from context', () => {
  it.each([
    ['Connection from 203.0.113.4 port 5122 on 10.0.0.2 port 22', ['IPV4 10.0.0.2 DESTINATION', 'IPV4 203.0.113.4 SOURCE']],
    ['kernel: [UFW BLOCK] IN=eth0 SRC=198.51.100.9 DST=10.0.0.3 PROTO=TCP', ['IPV4 10.0.0.3 DESTINATION', 'IPV4 198.51.100.9 SOURCE']],
    ['ftpd[29504]: connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri Jun 17', ['IPV4 24.54.76.216 SOURCE', 'DOMAIN 24-54-76-216.bflony.adelphia.net SOURCE']],
    ['postfix/smtpd: connect from mail.example.com[203.0.113.25], client=unknown[198.51.100.3]', ['IPV4 198.51.100.3 SOURCE', 'IPV4 203.0.113.25 SOURCE', 'DOMAIN mail.example.com SOURCE']],
    ['pam_unix(sshd:auth): authentication failure; rhost=LabSZ-Gateway user=root', ['USERNAME root USER', 'HOSTNAME labsz-gateway SOURCE']],
    ['beacon to c2.example.net every 60s', ['DOMAIN c2.example.net DESTINATION']],
  ])('%s', (message, expected) => {
    expect(extract(message)).toEqual(expected);
  });
});

describe('dedup and role precedence', () => {
  it('keeps the structured role over RELATED, and each (type, value, role) once', () => {
    expect(extract('alert: 185.22.13.9 seen; again 185.22.13.9; root and root', { srcIp: '185.22.13.9', user: 'root' })).toEqual([
      'IPV4 185.22.13.9 SOURCE',
      'USERNAME root USER',
    ]);
  });

  it('keeps several specific roles of one value', () => {
    expect(extract('from 10.1.1.1 to 10.1.1.1', { srcIp: '10.1.1.1' })).toEqual(['IPV4 10.1.1.1 SOURCE', 'IPV4 10.1.1.1 DESTINATION']);
  });

  it('upgrades a RELATED found first when a specific role follows', () => {
    expect(extract('203.0.113.9 then from 203.0.113.9')).toEqual(['IPV4 203.0.113.9 SOURCE']);
  });

  it('sorts deterministically by type, value, role', () => {
    const found = extractIocs(event(`CVE-2021-44228 z.example.com a.example.com 9.9.9.9 1.1.1.1 user=zed user=Amy ${'a1'.repeat(16)}`));
    expect([...found].sort(compareIocs)).toEqual(found);
    expect(render(found)).toEqual([
      'IPV4 1.1.1.1 RELATED',
      'IPV4 9.9.9.9 RELATED',
      'DOMAIN a.example.com RELATED',
      'DOMAIN z.example.com RELATED',
      `MD5 ${'a1'.repeat(16)} RELATED`,
      'USERNAME Amy USER',
      'USERNAME zed USER',
      'CVE CVE-2021-44228 RELATED',
    ]);
  });
});

describe('caps', () => {
  it(`returns at most ${EXTRACT_LIMITS.iocs} IOCs, structured ones first`, () => {
    const ips: string[] = [];
    for (let i = 0; i < 2000; i++) ips.push(`11.${(i >> 8) & 255}.${i & 255}.1`);
    const found = extractIocs(event(ips.join(' '), { user: 'victim', srcIp: '203.0.113.200' }));
    expect(found).toHaveLength(EXTRACT_LIMITS.iocs);
    expect(render(found)).toContain('USERNAME victim USER');
    expect(render(found)).toContain('IPV4 203.0.113.200 SOURCE');
  });

  it(`reads at most ${EXTRACT_LIMITS.messageChars} characters of a message`, () => {
    const message = `${'x'.repeat(EXTRACT_LIMITS.messageChars - 20)} 8.8.8.8 ${' '.repeat(40)} 9.9.9.9`;
    expect(extract(message)).toEqual(['IPV4 8.8.8.8 RELATED']);
  });

  it('survives events with missing or odd fields', () => {
    const odd = { format: 'UNKNOWN', message: 'from 8.8.8.8', fields: null } as unknown as Parameters<typeof extractIocs>[0];
    expect(render(extractIocs(odd))).toEqual(['IPV4 8.8.8.8 SOURCE']);
  });
});

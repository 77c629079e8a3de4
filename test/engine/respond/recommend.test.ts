import { describe, expect, it } from 'vitest';
import { recommend, recommendedActionLine, type RecommendationInput } from '../../../src/engine/respond/recommend.js';

const ioc = (type: string, value: string, role: string, isIndicator = true, verdict = 'UNKNOWN') => ({ type, value, role, isIndicator, verdict });
const base: RecommendationInput = { category: 'BRUTE_FORCE', level: 'HIGH', score: 45, event: { format: 'SYSLOG_RFC3164', message: '', host: 'web-01', program: 'sshd', fields: {} }, classification: { detections: [] }, iocs: [] };
const actions = (input: Partial<RecommendationInput>) => recommend({ ...base, ...input }).map((r) => `${r.action}${r.target ? ` ${r.target}` : ''}`);

describe('response recommendations', () => {
  it("answers the seed's brute force with a block of the source and rate limiting, but never blocks an internal source", () => {
    const list = recommend({ ...base, iocs: [ioc('IPV4', '185.22.13.9', 'SOURCE'), ioc('USERNAME', 'root', 'USER', false)] });
    expect(list.map((r) => r.action)).toEqual(['BLOCK_IP', 'ENABLE_RATE_LIMITING']);
    expect(list[1]!.reason).toBe('limit authentication attempts to sshd on web-01 (e.g. fail2ban, MaxAuthTries)');
    expect(recommendedActionLine(list)).toBe('Block IP + enable rate limiting');
    expect(actions({ iocs: [ioc('IPV4', '10.1.2.3', 'SOURCE', false)] })).toEqual(['MONITOR 10.1.2.3', 'ENABLE_RATE_LIMITING sshd']);
  });

  it('contains accounts after a successful guess, and isolates, quarantines and blocks for malware', () => {
    const access = actions({ category: 'SUSPICIOUS_ACCESS', classification: { detections: [{ detector: 'success-after-failures' } as never] }, iocs: [ioc('USERNAME', 'alice', 'USER', false), ioc('IPV4', '185.22.13.9', 'SOURCE', true, 'MALICIOUS')] });
    expect(access).toEqual(['RESET_PASSWORD alice', 'REVOKE_SESSIONS alice', 'BLOCK_IP 185.22.13.9']);
    const malware = actions({ category: 'MALWARE', level: 'CRITICAL', score: 88, iocs: [ioc('SHA256', 'a'.repeat(64), 'FILE'), ioc('IPV4', '91.240.118.5', 'DESTINATION'), ioc('DOMAIN', 'evil.example', 'RELATED')] });
    expect(malware).toEqual(['ISOLATE_ENDPOINT web-01', `QUARANTINE_FILE ${'a'.repeat(64)}`, 'BLOCK_IP 91.240.118.5', 'BLOCK_DOMAIN evil.example', 'ESCALATE_TIER2']);
  });

  it('blocks phishing links and domains, protects privileged accounts from being disabled, and isolates only a HIGH beacon', () => {
    expect(actions({ category: 'PHISHING', iocs: [ioc('URL', 'https://login.evil.example/x', 'URL'), ioc('DOMAIN', 'login.evil.example', 'RELATED'), ioc('USERNAME', 'bob', 'USER', false)] })).toEqual([
      'BLOCK_URL https://login.evil.example/x',
      'BLOCK_DOMAIN login.evil.example',
      'RESET_PASSWORD bob',
    ]);
    expect(actions({ category: 'PRIVILEGE_MISUSE', iocs: [ioc('USERNAME', 'root', 'USER', false), ioc('USERNAME', 'mallory', 'USER', false), ioc('USERNAME', 'CORP\\ceo', 'TARGET_USER', false)], protectedUsers: ['ceo@corp.example'] })).toEqual([
      'REVOKE_SESSIONS root',
      'DISABLE_USER mallory',
      'REVOKE_SESSIONS CORP\\ceo',
      'ESCALATE_TIER2',
    ]);
    expect(actions({ category: 'BEACONING', level: 'MEDIUM', iocs: [ioc('IPV4', '91.240.118.5', 'DESTINATION')] })).toEqual(['BLOCK_IP 91.240.118.5']);
    expect(actions({ category: 'BEACONING', level: 'HIGH', iocs: [ioc('IPV4', '91.240.118.5', 'DESTINATION')] })).toEqual(['ISOLATE_ENDPOINT web-01', 'BLOCK_IP 91.240.118.5']);
  });

  it('only monitors LOW and BENIGN alerts', () => {
    expect(actions({ level: 'LOW', score: 12, iocs: [ioc('IPV4', '185.22.13.9', 'SOURCE')] })).toEqual(['MONITOR']);
    expect(recommend({ ...base, category: 'BENIGN' })[0]!.reason).toBe('classified BENIGN: no threat seen');
  });
});

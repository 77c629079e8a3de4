/**
 * Network packs (netfilter/UFW/pf firewalls, Cisco ASA, Suricata/Snort, DNS) on lines written in the real
 * formats: kernel LOG lines, ASA syslog, Suricata EVE JSON, Snort fast alerts, BIND and dnsmasq query logs.
 */
import { describe, expect, it } from 'vitest';
import { expectHarmless, expectNotCategory, expectTop, matches } from './helpers.js';

const kernel = (prefix: string, rest: string) => `Mar 12 10:00:01 fw1 kernel: [12345.678901] ${prefix} ${rest}`;
const INBOUND = 'IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.5 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=243 ID=54321 PROTO=TCP SPT=48123';
const asa = (message: string) => `<164>Mar 12 2024 10:00:01 asa-edge : ${message}`;
const eve = (alert: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  timestamp: '2024-03-12T10:15:30.123456+0000',
  flow_id: 1180462950471209,
  in_iface: 'eth0',
  event_type: 'alert',
  src_ip: '10.0.5.20',
  src_port: 49152,
  dest_ip: '198.51.100.23',
  dest_port: 443,
  proto: 'TCP',
  alert: { action: 'allowed', gid: 1, rev: 3, severity: 1, ...alert },
  ...extra,
});

describe('netfilter, UFW and pf', () => {
  it('files inbound blocks as low-confidence suspicious access, higher for admin ports', () => {
    const web = expectTop(kernel('[UFW BLOCK]', `${INBOUND} DPT=8080 WINDOW=1024 RES=0x00 SYN URGP=0`), 'SUSPICIOUS_ACCESS', 'fw-inbound-blocked');
    expect(web.confidence).toBeLessThanOrEqual(0.4);
    expectTop(kernel('[UFW BLOCK]', `${INBOUND} DPT=3389 WINDOW=1024 RES=0x00 SYN URGP=0`), 'SUSPICIOUS_ACCESS', 'fw-inbound-blocked-admin-port');
    expectTop(kernel('IPTABLES-DROP:', `${INBOUND} DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0`), 'SUSPICIOUS_ACCESS', 'fw-inbound-blocked-admin-port');
    expectTop(kernel('filter_IN_public_REJECT:', `${INBOUND} DPT=445 WINDOW=1024 RES=0x00 SYN URGP=0`), 'SUSPICIOUS_ACCESS');
    expectTop('Mar 12 10:00:01 opnsense filterlog[4411]: 5,,,1000000103,igb0,match,block,in,4,0x0,,241,54321,0,none,6,tcp,44,203.0.113.5,192.0.2.10,48123,22,0,S,3605217934,,1024,,mss', 'SUSPICIOUS_ACCESS', 'pf-inbound-blocked');
  });

  it('files UFW rate-limit blocks as brute force and outbound blocks with a connection signal', () => {
    expectTop(kernel('[UFW LIMIT BLOCK]', `${INBOUND} DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0`), 'BRUTE_FORCE', 'fw-ufw-rate-limit');
    const out = expectTop(kernel('[UFW BLOCK]', 'IN= OUT=eth0 SRC=10.0.0.23 DST=198.51.100.66 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=4242 DF PROTO=TCP SPT=40000 DPT=4444 WINDOW=64240 RES=0x00 SYN URGP=0'), 'SUSPICIOUS_ACCESS', 'fw-outbound-blocked');
    expect(out.signals).toEqual(['NETWORK_CONNECTION']);
  });

  it('near miss: blocked then allowed traffic is never MALWARE, and the allowed line is BENIGN', () => {
    const blocked = kernel('[UFW BLOCK]', `${INBOUND} DPT=443 WINDOW=1024 RES=0x00 SYN URGP=0`);
    const allowed = kernel('[UFW ALLOW]', `${INBOUND} DPT=443 WINDOW=64240 RES=0x00 SYN URGP=0`);
    expectNotCategory(blocked, 'MALWARE');
    const found = expectHarmless(allowed);
    expect(found).toEqual([expect.objectContaining({ ruleId: 'fw-allowed', signals: ['NETWORK_CONNECTION'] })]);
    expectHarmless('Mar 12 10:00:01 opnsense filterlog[4411]: 7,,,1000000105,igb1,match,pass,out,4,0x0,,64,0,0,DF,6,tcp,60,10.0.0.23,198.51.100.80,40000,443,0,S,1,,64240,,mss');
  });

  it('does not read netfilter fields into other logs', () => {
    expect(matches('Mar 12 10:00:01 app1 billing[12]: BLOCKED payment IN=GBP amount=12')).toEqual([]);
  });
});

describe('Cisco ASA', () => {
  it('files denies as suspicious access and threat detection as scanning', () => {
    expectTop(asa('%ASA-4-106023: Deny tcp src outside:203.0.113.5/4444 dst inside:192.0.2.10/445 by access-group "outside_in" [0x0, 0x0]'), 'SUSPICIOUS_ACCESS', 'asa-connection-denied');
    expectTop(asa('%ASA-2-106001: Inbound TCP connection denied from 203.0.113.5/4444 to 192.0.2.10/3389 flags SYN  on interface outside'), 'SUSPICIOUS_ACCESS', 'asa-connection-denied');
    expectTop(asa('%ASA-4-733100: [ Scanning] drop rate-1 exceeded. Current burst rate is 12 per second, max configured rate is 10; Current average rate is 9 per second, max configured rate is 5; Cumulative total count is 5512'), 'SUSPICIOUS_ACCESS', 'asa-threat-detection-scan');
  });

  it('files rejected VPN/management logins as brute force and accepted ones as BENIGN', () => {
    expectTop(asa('%ASA-6-113015: AAA user authentication Rejected : reason = Invalid password : local database : user = admin : user IP = 203.0.113.5'), 'BRUTE_FORCE', 'asa-auth-failed');
    expect(expectHarmless(asa('%ASA-6-113004: AAA user authentication Successful : server =  10.0.0.8 : user = alice'))[0]?.signals).toEqual(['AUTH_SUCCESS']);
  });

  it('near miss: a built connection is BENIGN with a connection signal', () => {
    const found = expectHarmless(asa('%ASA-6-302013: Built inbound TCP connection 88231 for outside:198.51.100.7/51000 (198.51.100.7/51000) to dmz:192.0.2.80/443 (192.0.2.80/443)'));
    expect(found[0]?.signals).toEqual(['NETWORK_CONNECTION']);
  });
});

describe('Suricata and Snort', () => {
  it('files ET TROJAN / ET MALWARE as MALWARE and CnC signatures as BEACONING', () => {
    expectTop(eve({ signature_id: 2019401, signature: 'ET TROJAN Possible Win32/Emotet Downloader Request', category: 'A Network Trojan was detected' }), 'MALWARE', 'ids-malware-traffic');
    expectTop(eve({ signature_id: 2035595, signature: 'ET MALWARE Observed Cobalt Strike User-Agent', category: 'A Network Trojan was detected' }), 'MALWARE', 'ids-malware-traffic');
    const cnc = expectTop(eve({ signature_id: 2027000, signature: 'ET MALWARE Win32/AgentTesla CnC Exfil via SMTP', category: 'Malware Command and Control Activity Detected' }), 'BEACONING', 'ids-cnc-traffic');
    expect(matches(eve({ signature_id: 2027000, signature: 'ET MALWARE Win32/AgentTesla CnC Exfil via SMTP' })).map((m) => m.category)).toContain('MALWARE');
    expect(cnc.techniques).toEqual(['T1071']);
    expectTop(eve({ signature_id: 2404000, signature: 'ET CNC Feodo Tracker Reported CnC Server group 1', category: 'A Network Trojan was detected' }), 'BEACONING', 'ids-cnc-traffic');
  });

  it('files ET SCAN, exploit and phishing signatures by category', () => {
    expectTop(eve({ signature_id: 2001219, signature: 'ET SCAN Potential SSH Scan', category: 'Attempted Information Leak', severity: 2 }, { src_ip: '203.0.113.5', dest_ip: '192.0.2.10', dest_port: 22 }), 'SUSPICIOUS_ACCESS', 'ids-scan');
    expectTop(eve({ signature_id: 2034647, signature: 'ET EXPLOIT Apache log4j RCE Attempt (http ldap) (CVE-2021-44228)', category: 'Attempted Administrator Privilege Gain' }), 'SUSPICIOUS_ACCESS', 'ids-exploit-attempt');
    expectTop(eve({ signature_id: 2031000, signature: 'ET PHISHING Successful Microsoft Account Phish 2021-06-04', category: 'Possible Social Engineering Attempted' }), 'PHISHING', 'ids-phishing');
    expectTop(eve({ signature_id: 2018000, signature: 'ET CURRENT_EVENTS Possible Phishing Landing Page 2024-01-10', category: 'Possible Social Engineering Attempted' }), 'PHISHING', 'ids-phishing');
  });

  it('files ET POLICY as low-weight suspicious access', () => {
    const policy = expectTop(eve({ signature_id: 2013028, signature: 'ET POLICY curl User-Agent Outbound', category: 'Attempted Information Leak', severity: 2 }), 'SUSPICIOUS_ACCESS', 'ids-policy');
    expect(policy.confidence).toBeLessThanOrEqual(0.4);
  });

  it('reads Snort fast alerts and syslog lines', () => {
    expectTop('03/12-10:15:30.123456  [**] [1:2008578:6] ET SCAN Sipvicious Scan [**] [Classification: Attempted Information Leak] [Priority: 2] {UDP} 203.0.113.5:5060 -> 192.0.2.10:5060', 'SUSPICIOUS_ACCESS', 'ids-scan');
    expectTop('Mar 12 10:15:30 ids1 snort[2211]: [1:2014819:3] ET TROJAN Zeus Bot GET to Google checkin [Classification: A Network Trojan was detected] [Priority: 1] {TCP} 10.0.5.20:49200 -> 198.51.100.23:80', 'BEACONING', 'ids-cnc-traffic');
  });

  it('files DNS tunnel signatures as BEACONING', () => {
    expectTop(eve({ signature_id: 2018438, signature: 'ET POLICY DNS Tunnel iodine handshake', category: 'Potential Corporate Privacy Violation' }), 'BEACONING', 'ids-dns-tunnel');
  });
});

describe('DNS', () => {
  const bind = (name: string, type = 'A') => `Mar 12 10:00:01 ns1 named[931]: client @0x7f3b2c0a1b10 10.0.0.23#53211 (${name}): query: ${name} IN ${type} +E(0)K (10.0.0.1)`;
  const dnsmasq = (name: string, type = 'A') => `Mar 12 10:00:01 gw dnsmasq[612]: query[${type}] ${name} from 10.0.0.23`;
  const encoded = 'mzxw6ytboi2gk3tfojzwk4tbmvwgc5dfmfzxizlsnfxgo5lmorsw4zlsn5zxeylt';

  it('files very long encoded labels (tunnelling) as BEACONING', () => {
    const top = expectTop(bind(`${encoded.slice(0, 52)}.t.tunnel-example.net`), 'BEACONING', 'dns-tunnel-long-label');
    expect(top.techniques).toEqual(['T1071.004', 'T1572']);
    expectTop(dnsmasq(`${encoded.slice(0, 45)}.x.tunnel-example.net`), 'BEACONING', 'dns-tunnel-long-label');
    expectTop(
      { timestamp: '2024-03-12T10:15:30.1+0000', event_type: 'dns', src_ip: '10.0.5.20', dest_ip: '10.0.0.2', dest_port: 53, proto: 'UDP', dns: { type: 'query', id: 5511, rrname: `${encoded.slice(0, 48)}.c2.tunnel-example.net`, rrtype: 'A' } },
      'BEACONING',
      'dns-tunnel-long-label',
    );
  });

  it('files TXT queries for encoded names as BEACONING, with higher confidence', () => {
    const top = expectTop(dnsmasq(`${encoded.slice(0, 30)}.t.tunnel-example.net`, 'TXT'), 'BEACONING', 'dns-tunnel-txt-encoded');
    expect(top.confidence).toBeGreaterThan(0.7);
    expectTop(bind(`${encoded.slice(0, 28)}.t.tunnel-example.net`, 'TXT'), 'BEACONING', 'dns-tunnel-txt-encoded');
  });

  it('files DGA-looking names as low-confidence BEACONING', () => {
    const top = expectTop(dnsmasq('qxvtrbplmnkwz.com'), 'BEACONING', 'dns-dga-like-name');
    expect(top.confidence).toBeLessThan(0.5);
    expectTop({ EventID: 22, Channel: 'Microsoft-Windows-Sysmon/Operational', SourceName: 'Microsoft-Windows-Sysmon', Computer: 'WS1', QueryName: 'kdjwqzrtxplvbn.net', Image: 'C:\\Users\\bob\\AppData\\Local\\Temp\\svch0st.exe' }, 'BEACONING', 'dns-dga-like-name');
  });

  it('files zone transfer attempts as suspicious access', () => {
    expectTop("Mar 12 10:00:01 ns1 named[931]: client @0x7f3b2c0a1b10 203.0.113.5#41234 (example.com): zone transfer 'example.com/AXFR/IN' denied", 'SUSPICIOUS_ACCESS', 'dns-zone-transfer');
  });

  it('near miss: normal queries are BENIGN (with a connection signal), even TXT lookups for mail', () => {
    for (const line of [bind('www.example.com'), dnsmasq('www.example.com'), dnsmasq('selector1._domainkey.example.com', 'TXT'), bind('ocsp.digicert.com')]) {
      const found = expectHarmless(line);
      expect(found.map((m) => m.ruleId)).toEqual(['dns-query']);
      expect(found[0]?.signals).toEqual(['NETWORK_CONNECTION']);
    }
    expectHarmless({ timestamp: '2024-03-12T10:15:30.1+0000', event_type: 'dns', src_ip: '10.0.5.20', dest_ip: '10.0.0.2', dest_port: 53, proto: 'UDP', dns: { type: 'query', id: 1, rrname: 'www.example.com', rrtype: 'A' } });
  });

  it('near miss: reverse lookups and security-vendor hash lookups are not tunnels', () => {
    expectHarmless(bind('4.3.2.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa', 'PTR'));
    expectHarmless(dnsmasq('3d2f1a0c9b8e7d6f5a4b3c2d1e0f9a8b7c6d5e4f.p.03.s.sophosxl.net', 'TXT'));
  });
});

import { describe, expect, it } from 'vitest';
import {
  parseFeodoCsv,
  parseFeodoJson,
  parseMispEvent,
  parseMispManifest,
  parseNetset,
  parseOpenPhish,
  parsePhishTank,
  parsePlainList,
  parseStixBundle,
  parseThreatFoxCsv,
  parseThreatFoxJson,
  parseUrlhausCsv,
  parseUrlhausJson,
  parseWarningList,
  type ParseResult,
} from '../../../../src/engine/enrich/feeds/index.js';
import { fixture, T0 } from './helpers.js';

const pairs = (r: ParseResult) => r.indicators.map((i) => `${i.type} ${i.value}`);
const reasons = (r: ParseResult) => r.skipped.map((s) => `${s.line ?? '-'}: ${s.reason}`);

describe('plain lists', () => {
  it('detects each value type, normalizes (refang, lower-case) and skips comments', () => {
    const r = parsePlainList(fixture('vigil/plain-mixed.txt'));
    expect(pairs(r)).toEqual([
      'IPV4 185.220.101.33',
      'IPV6 2a0e:1c80:1::5',
      'DOMAIN evil-updates.example-bad.com',
      'URL https://evil-updates.example-bad.com/kit.zip',
      'EMAIL ops@evil-updates.example-bad.com',
      'MD5 44d88612fea8a8f36de82e1278abb02f',
      'SHA1 3395856ce81f2b7382dee72602f798b642f14140',
    ]);
    expect(reasons(r)).toEqual(['10: more than one value on the line', '11: not an IP, CIDR, domain, URL, email or hash: "not_a_domain"']);
  });

  it('OpenPhish keeps URLs only and says why a line is not one', () => {
    const r = parseOpenPhish(fixture('vigil/openphish-feed.txt'));
    expect(pairs(r)).toContain('URL https://account-update.m1crosoft-support.com/login.php');
    expect(pairs(r)).toContain('URL http://203.0.113.77/wp-includes/secure/index.html');
    expect(r.indicators[0]?.meta.threat).toBe('phishing');
    expect(reasons(r)).toEqual(['4: more than one value on the line']);
    expect(parseOpenPhish('evil.com\n').skipped[0]?.reason).toMatch(/not a valid URL/);
  });

  it('refuses a document over the size cap as a whole', () => {
    const r = parsePlainList('x'.repeat(64 * 1024 * 1024 + 1));
    expect(r.error).toMatch(/larger than/);
    expect(r.indicators).toEqual([]);
  });
});

describe('netsets', () => {
  it('reads Spamhaus DROP with SBL references, IPv6 blocks, and refuses bogons and bad prefixes', () => {
    const r = parseNetset(fixture('vigil/spamhaus-drop.txt'));
    expect(pairs(r)).toEqual(['CIDR 1.10.16.0/20', 'CIDR 5.134.128.0/19', 'CIDR 2a06:e480::/29']);
    expect(r.indicators[0]?.meta.reference).toBe('SBL256894');
    expect(reasons(r)).toEqual(['8: private or reserved block (bogon), not a threat indicator: "10.0.0.0/8"', '9: not a valid CIDR block: "1.2.3.4/99"']);
  });

  it('reads FireHOL netsets: blocks and single addresses', () => {
    const r = parseNetset(fixture('vigil/firehol.netset'));
    expect(pairs(r)).toEqual(['CIDR 5.188.10.0/23', 'CIDR 31.184.196.0/24', 'CIDR 45.143.200.0/22', 'IPV4 5.188.11.7', 'IPV4 185.220.101.33']);
    expect(r.skippedCount).toBe(3);
    expect(reasons(r)[1]).toMatch(/block wider than \/8/);
  });

  it('clears host bits, reads /32 as an address, Spamhaus NDJSON lines and first-last ranges', () => {
    const r = parseNetset(['1.10.16.77/20', '5.6.7.8/32', '{"cidr":"1.19.0.0/16","sblid":"SBL434604","rir":"apnic"}', '{"type":"metadata","timestamp":1}', '5.1.0.0-5.1.2.255'].join('\n'));
    expect(pairs(r)).toEqual(['CIDR 1.10.16.0/20', 'IPV4 5.6.7.8', 'CIDR 1.19.0.0/16', 'CIDR 5.1.0.0/23', 'CIDR 5.1.2.0/24']);
    expect(r.indicators[2]?.meta.reference).toBe('SBL434604');
  });
});

describe('abuse.ch', () => {
  it('Feodo Tracker JSON', () => {
    const r = parseFeodoJson(fixture('vigil/feodo-ipblocklist.json'));
    expect(pairs(r)).toEqual(['IPV4 45.77.120.14', 'IPV4 91.215.85.17']);
    expect(r.indicators[0]?.meta).toMatchObject({ threat: 'C2', malware: 'Emotet', firstSeen: '2026-11-01 08:12:40', port: '443' });
    expect(reasons(r)).toEqual(['-: not an IP address: "999.1.2.3"', '-: record 3: no ip_address']);
    expect(parseFeodoJson('{"not": "an array"}').error).toMatch(/array/);
    expect(parseFeodoJson('[{').error).toMatch(/invalid JSON/);
  });

  it('Feodo Tracker CSV with its # header', () => {
    const r = parseFeodoCsv(fixture('vigil/feodo-ipblocklist.csv'));
    expect(pairs(r)).toEqual(['IPV4 45.77.120.14', 'IPV4 91.215.85.17']);
    expect(r.indicators[1]?.meta).toMatchObject({ malware: 'QakBot', status: 'offline' });
    expect(reasons(r)).toEqual(['12: not an IP address: "not-an-ip"', '13: unterminated quoted field']);
  });

  it('URLhaus CSV: quoted fields with commas, header taken from the file', () => {
    const r = parseUrlhausCsv(fixture('vigil/urlhaus.csv'));
    expect(pairs(r)).toEqual(['URL http://182.126.77.40:41522/Mozi.m', 'URL https://invoice-portal.example-cdn.com/docs/INV-2291.zip']);
    expect(r.indicators[0]?.meta).toMatchObject({ threat: 'malware_download', tags: ['elf', 'Mozi'], reference: 'https://urlhaus.abuse.ch/url/3310001/' });
    expect(reasons(r)).toEqual(['12: not a valid URL: "javascript:alert(1)"', '13: expected 9 fields, found 3']);
    // An older dump without last_online: the header in the file decides.
    const old = parseUrlhausCsv('# id,dateadded,url,url_status,threat,tags,urlhaus_link,reporter\n"1","2019-02-26 13:34:12","http://a.example-bad.com/x","online","malware_download","elf","https://urlhaus.abuse.ch/url/1/","r"\n');
    expect(old.indicators[0]?.meta).toMatchObject({ threat: 'malware_download', tags: ['elf'] });
  });

  it('URLhaus JSON dump and API reply', () => {
    const r = parseUrlhausJson(fixture('vigil/urlhaus.json'));
    expect(pairs(r)).toEqual(['URL http://182.126.77.40:41522/Mozi.m', 'URL https://invoice-portal.example-cdn.com/docs/INV-2291.zip']);
    expect(reasons(r)).toEqual(['-: not a valid URL: "not a url"']);
    const api = parseUrlhausJson('{"query_status":"ok","urls":[{"url":"http://b.example-bad.com/p","threat":"malware_download","tags":["x"]}]}');
    expect(pairs(api)).toEqual(['URL http://b.example-bad.com/p']);
  });

  it('ThreatFox JSON export: ip:port, domain, hash; unsupported types skipped', () => {
    const r = parseThreatFoxJson(fixture('vigil/threatfox.json'));
    expect(pairs(r)).toEqual(['IPV4 80.66.88.145', 'DOMAIN update-check.cloudsync-portal.com', 'MD5 d41d8cd98f00b204e9800998ecf8427e']);
    expect(r.indicators[0]?.meta).toMatchObject({ malware: 'Remcos', threat: 'botnet_cc', port: '2404', confidence: 100, tags: ['Remcos', 'RAT'] });
    expect(reasons(r)).toEqual(['-: entry 1650004: unsupported ioc_type "sha3_384_hash"', '-: not an IP address: "300.1.1.1"']);
  });

  it('ThreatFox CSV export with ", " separators', () => {
    const r = parseThreatFoxCsv(fixture('vigil/threatfox.csv'));
    expect(pairs(r)).toEqual([
      'IPV4 80.66.88.145',
      'DOMAIN update-check.cloudsync-portal.com',
      'URL http://185.244.25.9/bins/x86',
      'SHA256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ]);
    expect(r.indicators[1]?.meta.tags).toBeUndefined();
    expect(reasons(r)).toEqual(['14: not a valid SHA256: "nothex"']);
  });
});

describe('PhishTank', () => {
  it('reads online-valid JSON with the target brand', () => {
    const r = parsePhishTank(fixture('vigil/phishtank-online-valid.json'));
    expect(pairs(r)).toEqual(['URL https://secure-login.paypa1-verify.com/signin?session=a1', 'URL https://docs.google.com/forms/d/e/1FAIpQLSf-example/viewform']);
    expect(r.indicators[0]?.meta).toMatchObject({ threat: 'phishing', description: 'phishing targeting PayPal' });
    expect(reasons(r)).toEqual(['-: not a valid URL: "mailto:someone"']);
  });
});

describe('MISP', () => {
  it('takes to_ids attributes of the PyMISP sample event and says why the others are skipped', () => {
    const r = parseMispEvent(fixture('misp/57c4445b-c548-4654-af0b-4be3950d210f.json'));
    expect(pairs(r)).toEqual([
      'MD5 0749bae92ca336a02c83d126e04ec628',
      'SHA1 77b0c41b7d340b8a3d903f21347bbf06aa766b5b',
      'SHA256 b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68',
    ]);
    expect(r.indicators[0]?.meta).toMatchObject({ description: 'Ransomware - Xorist', org: 'CIRCL', firstSeen: '2016-08-29', category: 'Payload delivery' });
    expect(r.indicators[0]?.meta.tags).toContain('tlp:white');
    expect(reasons(r)).toContain('-: attribute 0 (link): to_ids is false (context, not for detection)');
    expect(reasons(r)).toContain('-: attribute 4 (filename): type not matched by Vigil');
  });

  it('maps composite types and object attributes', () => {
    const event = {
      Event: {
        info: 'Phishing wave',
        date: '2026-11-20',
        Attribute: [
          { type: 'ip-dst|port', value: '45.9.148.10|443', to_ids: true },
          { type: 'domain|ip', value: 'Login-Portal.example-bad.com|45.9.148.11', to_ids: true },
          { type: 'filename|sha256', value: 'inv.exe|E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', to_ids: '1' },
          { type: 'email-src', value: 'billing@example-bad.com', to_ids: true },
          { type: 'ip-src', value: '5.188.10.0/23', to_ids: true },
          { type: 'url', value: 'http://example-bad.com/x', to_ids: true, deleted: true },
          { type: 'ip-src', value: 'nonsense', to_ids: true },
        ],
        Object: [{ name: 'file', Attribute: [{ type: 'md5', value: '0749bae92ca336a02c83d126e04ec628', to_ids: true }] }],
      },
    };
    const r = parseMispEvent(JSON.stringify(event));
    expect(pairs(r)).toEqual([
      'IPV4 45.9.148.10',
      'DOMAIN login-portal.example-bad.com',
      'IPV4 45.9.148.11',
      'SHA256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'EMAIL billing@example-bad.com',
      'CIDR 5.188.10.0/23',
      'MD5 0749bae92ca336a02c83d126e04ec628',
    ]);
    expect(r.indicators[6]?.meta.object).toBe('file');
    expect(reasons(r)).toEqual(['-: not an IP address: "nonsense"']);
    expect(parseMispEvent('{"Event": {"info": "x"}}').error).toMatch(/not a MISP event/);
  });

  it('reads a manifest and drops keys that are no event uuid', () => {
    const m = parseMispManifest(JSON.stringify({ '57c4445b-c548-4654-af0b-4be3950d210f': { info: 'x', date: '2016-08-29' }, '../../etc/passwd': {} }));
    expect(m.events).toEqual([{ uuid: '57c4445b-c548-4654-af0b-4be3950d210f', info: 'x', date: '2016-08-29' }]);
    expect(m.dropped).toBe(1);
    expect(parseMispManifest(fixture('misp/manifest.json')).events).toHaveLength(1);
  });
});

describe('STIX 2.1', () => {
  it('reads the OASIS example bundle, naming the malware the indicator points to', () => {
    const r = parseStixBundle(fixture('stix21/indicators-for-C2-with-COA.json'), { now: T0 });
    expect(pairs(r)).toEqual(['IPV4 10.0.0.0', 'SHA256 ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']);
    expect(r.indicators[1]?.meta).toMatchObject({ malware: 'Poison Ivy', description: 'File hash for Poison Ivy variant', reference: 'indicator--a932fcc6-e032-476c-826f-cb970a5a1ade' });
    expect(parseStixBundle(fixture('stix21/indicator-to-campaign-relationship.json'), { now: T0 }).indicators[0]?.meta.malware).toBe('Operation Omega');
  });

  it('skips patterns it cannot read as single IOCs, with the reason', () => {
    const r = parseStixBundle(fixture('stix21/malicious-email-indicator-with-attachment.json'), { now: T0 });
    expect(r.indicators).toEqual([]);
    expect(reasons(r)).toEqual([
      '-: indicator--8cf9236f-1b96-493d-98be-0c1c1e8b62d7: operator MATCHES on email-message:subject is not supported',
      '-: indicator--2e17f6fe-3a4d-438a-911a-e509ba1b9933: operator MATCHES on email-message:body_multipart[*].body_raw_ref.name is not supported',
    ]);
  });

  it('honours revoked, valid_until and pattern_type', () => {
    const ind = (id: string, extra: Record<string, unknown>) => ({ type: 'indicator', spec_version: '2.1', id: `indicator--${id}`, pattern_type: 'stix', pattern: "[domain-name:value = 'x-bad.com']", valid_from: '2026-01-01T00:00:00Z', ...extra });
    const bundle = {
      type: 'bundle',
      id: 'bundle--1',
      objects: [
        ind('a', { revoked: true }),
        ind('b', { valid_until: '2026-11-01T00:00:00Z' }),
        ind('c', { valid_until: '2027-01-01T00:00:00Z', pattern: "[domain-name:value = 'still-valid.example-bad.com']" }),
        ind('d', { pattern_type: 'yara', pattern: 'rule x {}' }),
        ind('e', { pattern: "[url:value = 'http://x.example-bad.com/a'] OR [email-addr:value = 'a@example-bad.com']" }),
      ],
    };
    const r = parseStixBundle(JSON.stringify(bundle), { now: T0 });
    expect(pairs(r)).toEqual(['DOMAIN still-valid.example-bad.com', 'URL http://x.example-bad.com/a', 'EMAIL a@example-bad.com']);
    expect(reasons(r)).toEqual(['-: indicator--a: revoked', '-: indicator--b: expired (valid_until 2026-11-01T00:00:00Z)', '-: indicator--d: pattern_type yara is not read']);
    expect(parseStixBundle('{"type":"identity"}', { now: T0 }).error).toMatch(/not a STIX bundle/);
  });
});

describe('warning lists', () => {
  it('reads Vigil groups and MISP warninglists (leading dot = subdomains)', () => {
    const r = parseWarningList(JSON.stringify({ name: 'x', groups: [{ reason: 'public DNS resolver (Google)', values: ['8.8.8.8', '2001:4860:4860::8888'] }] }));
    expect(pairs(r)).toEqual(['IPV4 8.8.8.8', 'IPV6 2001:4860:4860::8888']);
    expect(r.indicators[0]?.meta.reason).toBe('public DNS resolver (Google)');
    const misp = parseWarningList(JSON.stringify({ name: 'List of known google domains', description: 'Known Google domains', type: 'hostname', list: ['.google.com', 'gstatic.com', 42] }));
    expect(pairs(misp)).toEqual(['DOMAIN google.com', 'DOMAIN gstatic.com']);
    expect(misp.indicators[0]?.meta.reason).toBe('Known Google domains');
    expect(misp.skippedCount).toBe(1);
  });
});

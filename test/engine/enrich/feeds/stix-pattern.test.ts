import { describe, expect, it } from 'vitest';
import { parseStixPattern } from '../../../../src/engine/enrich/feeds/index.js';

const values = (p: string) => {
  const r = parseStixPattern(p);
  return r.ok ? r.comparisons.map((c) => `${c.kind} ${c.value}`) : `refused: ${r.reason}`;
};

describe('STIX patterns', () => {
  it('reads single comparisons on the supported paths', () => {
    expect(values("[ipv4-addr:value = '1.2.3.4']")).toEqual(['IP 1.2.3.4']);
    expect(values("[ ipv4-addr:value = '10.0.0.0' ]")).toEqual(['IP 10.0.0.0']);
    expect(values("[ipv6-addr:value = '2001:db8::1']")).toEqual(['IP 2001:db8::1']);
    expect(values("[domain-name:value = 'x.example.com']")).toEqual(['HOST x.example.com']);
    expect(values("[url:value = 'http://x.example.com/a\\'b']")).toEqual(["URL http://x.example.com/a'b"]);
    expect(values("[file:hashes.'SHA-256' = 'ef53']")).toEqual(['SHA256 ef53']);
    expect(values("[file:hashes.MD5 = 'd41d']")).toEqual(['MD5 d41d']);
    expect(values("[file:hashes.'SHA-1' = 'aa']")).toEqual(['SHA1 aa']);
    expect(values("[email-message:from_ref.value = 'a@b.com']")).toEqual(['EMAIL a@b.com']);
  });

  it('reads OR inside and across observations, IN lists and ISSUBSET blocks', () => {
    expect(values("[ipv4-addr:value = '1.2.3.4' OR ipv4-addr:value = '5.6.7.8'] OR [domain-name:value = 'x.com']")).toEqual(['IP 1.2.3.4', 'IP 5.6.7.8', 'HOST x.com']);
    expect(values("([url:value = 'http://a.com/'] OR ([file:hashes.MD5 = 'ab']))")).toEqual(['URL http://a.com/', 'MD5 ab']);
    expect(values("[ipv4-addr:value IN ('1.1.1.1', '2.2.2.2')]")).toEqual(['IP 1.1.1.1', 'IP 2.2.2.2']);
    expect(values("[ipv4-addr:value ISSUBSET '198.51.100.0/24']")).toEqual(['IP 198.51.100.0/24']);
    // An unreadable member of an OR loses coverage but never over-matches.
    expect(values("[file:name = 'x.exe' OR file:hashes.MD5 = 'ab']")).toEqual(['MD5 ab']);
  });

  it('takes the digest from a file described by digest AND name', () => {
    expect(values("[file:hashes.MD5 = 'ab' AND file:name = 'x.exe']")).toEqual(['MD5 ab']);
  });

  it('refuses what one IOC cannot satisfy, with a reason', () => {
    expect(values("[ipv4-addr:value = '1.2.3.4' AND network-traffic:dst_port = 443]")).toMatch(/refused: AND-ed/);
    expect(values("[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = 'x.com']")).toMatch(/refused: FOLLOWEDBY/);
    expect(values("[ipv4-addr:value = '1.2.3.4'] REPEATS 5 TIMES")).toMatch(/refused: REPEATS/);
    expect(values("[ipv4-addr:value = '1.2.3.4'] WITHIN 300 SECONDS")).toMatch(/refused: WITHIN/);
    expect(values("[ipv4-addr:value != '1.2.3.4']")).toMatch(/refused: operator !=/);
    expect(values("[process:name = 'evil.exe']")).toMatch(/refused: no comparison Vigil can match \(process:name\)/);
    expect(values("[ipv4-addr:value = '1.2.3.4'")).toMatch(/refused: unbalanced/);
    expect(values("[ipv4-addr:value = '1.2.3.4]")).toMatch(/refused: unterminated string/);
    expect(values('')).toMatch(/refused: empty pattern/);
  });

  it('stays linear on hostile input', () => {
    const hostile = `[${"ipv4-addr:value = '1.2.3.4' OR ".repeat(400)}ipv4-addr:value = '1.2.3.5'`;
    const started = performance.now();
    expect(values(hostile)).toMatch(/refused/);
    expect(values("'".repeat(16_000))).toMatch(/refused/);
    expect(values('['.repeat(16_000))).toMatch(/refused/);
    expect(values('x'.repeat(20_000))).toMatch(/too long/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

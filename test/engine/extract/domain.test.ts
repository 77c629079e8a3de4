import { describe, expect, it } from 'vitest';
import { FILE_EXTENSION_TLDS, normalizeDomain } from '../../../src/engine/extract/index.js';
import { extract, values } from './helpers.js';

describe('normalizeDomain', () => {
  it('lower-cases, strips the trailing dot and keeps the full name', () => {
    expect(normalizeDomain('NS.MarryAldkfaczcz.COM.')).toBe('ns.marryaldkfaczcz.com');
    expect(normalizeDomain('a.b.example.co.uk')).toBe('a.b.example.co.uk');
  });

  it('stores IDNs as punycode', () => {
    expect(normalizeDomain('Bücher.de')).toBe('xn--bcher-kva.de');
    expect(normalizeDomain('пример.рф')).toBe('xn--e1afmkfd.xn--p1ai');
  });

  it('requires an ICANN suffix and a registrable part', () => {
    for (const bad of ['co.uk', 'com', 'a.b', 'host.local', 'web01.corp.internal', 'x.example', 'sshd.service', 'java.lang.String', '1.2.3.4', 'a..com', '-a.com', 'a_b.com', '4.3.2.1.in-addr.arpa']) {
      expect(normalizeDomain(bad), bad).toBeUndefined();
    }
  });

  it('accepts file-extension TLDs where the syntax vouches for a domain, not in bare text', () => {
    expect(normalizeDomain('invoice.zip')).toBe('invoice.zip');
    expect(normalizeDomain('invoice.zip', { bareText: true })).toBeUndefined();
    expect(FILE_EXTENSION_TLDS.has('sh')).toBe(true);
  });
});

describe('domain extraction from text', () => {
  it('finds domains and keeps their case-folded full names', () => {
    expect(values('resolved Evil.Example.COM and cdn.example.net.', 'DOMAIN')).toEqual(['cdn.example.net', 'evil.example.com']);
  });

  it('has no false positives on files, modules, units and identifiers', () => {
    const text = [
      'file.exe a.b index.php sshd.service libc.so.6 libc.so java.lang.String kernel.core_uses_pid',
      'install.sh setup.py update.zip app.js data.json auth.log evil.dll run.bat README.md id_rsa.pub',
      'multi-user.target com.example.app org.apache.catalina.core rpc.statd e.g. i.e. U.S.',
      '/usr/lib/x86_64-linux-gnu/libssl.example.com C:\\Users\\bob\\evil.com console.log(x) os.system(y)',
    ].join('\n');
    expect(values(text, 'DOMAIN')).toEqual([]);
  });

  it('accepts a file-extension TLD inside a URL or an email', () => {
    expect(extract('get http://update.zip/a.sh or mail bob@evil.sh')).toEqual([
      'DOMAIN evil.sh RELATED',
      'DOMAIN update.zip RELATED',
      'URL http://update.zip/a.sh RELATED',
      'EMAIL bob@evil.sh RELATED',
    ]);
  });

  it('reports the domain of URLs and emails as a DOMAIN', () => {
    expect(values('see https://login.example.org/x and ops@corp.example.net', 'DOMAIN')).toEqual(['corp.example.net', 'login.example.org']);
  });

  it('never turns a username into a domain', () => {
    expect(extract('Invalid user admin.example.com from 203.0.113.9')).toEqual([
      'IPV4 203.0.113.9 SOURCE',
      'USERNAME admin.example.com USER',
    ]);
    expect(extract('pam: user=alice@corp.com')).toEqual(['EMAIL alice@corp.com RELATED', 'USERNAME alice@corp.com USER']);
  });
});

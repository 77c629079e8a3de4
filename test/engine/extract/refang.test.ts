import { describe, expect, it } from 'vitest';
import { refang } from '../../../src/engine/extract/index.js';
import { extract } from './helpers.js';

describe('refang', () => {
  it('restores schemes, dots, at-signs and colons', () => {
    expect(refang('hxxps://evil[.]example[.]com/login')).toBe('https://evil.example.com/login');
    expect(refang('hXXp[://]evil(.)example{.}com')).toBe('http://evil.example.com');
    expect(refang('fxp://files[dot]example(dot)net')).toBe('ftp://files.example.net');
    expect(refang('john[@]corp[.]com jane(at)corp{dot}com ops[at]corp[.]com')).toBe('john@corp.com jane@corp.com ops@corp.com');
    expect(refang('http[:]//a[.]example[.]com[/]x')).toBe('http://a.example.com/x');
  });

  it('joins spelled-out dots only when the result is a registrable domain', () => {
    expect(refang('visit evil dot example dot com now')).toBe('visit evil.example.com now');
    expect(refang('connect the dots dot by dot carefully')).toBe('connect the dots dot by dot carefully');
  });

  it('leaves ordinary text alone', () => {
    const text = 'sshd[24200]: pam_unix(sshd:auth): check pass; user unknown (uid=0)';
    expect(refang(text)).toBe(text);
  });

  it('feeds the extractors: defanged URL, domain and email', () => {
    expect(extract('hxxps://evil[.]example[.]com/login bad(dot)example(dot)org john[@]corp[.]com')).toEqual([
      'DOMAIN bad.example.org RELATED',
      'DOMAIN corp.com RELATED',
      'DOMAIN evil.example.com RELATED',
      'URL https://evil.example.com/login RELATED',
      'EMAIL john@corp.com RELATED',
    ]);
  });

  it('refangs defanged addresses', () => {
    expect(extract('beacon to 185[.]22[.]13[.]9')).toEqual(['IPV4 185.22.13.9 DESTINATION']);
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizeUrl } from '../../../src/engine/extract/index.js';
import { extract, values } from './helpers.js';

describe('URLs', () => {
  it('stores the WHATWG serialization: lower-case scheme and host, path kept', () => {
    expect(normalizeUrl('HTTPS://Evil.Example.COM:443/Login?a=B#F')?.value).toBe('https://evil.example.com/Login?a=B#F');
    expect(normalizeUrl('http://evil.example.com')?.value).toBe('http://evil.example.com/');
    expect(normalizeUrl('ftp://files.example.net/pub/x.bin')?.value).toBe('ftp://files.example.net/pub/x.bin');
    expect(normalizeUrl('mailto:a@b.com')).toBeUndefined();
    expect(normalizeUrl('javascript:alert(1)')).toBeUndefined();
  });

  it('stops at whitespace, quotes and angle brackets and trims trailing punctuation', () => {
    const text = 'see (https://a.example.com/x). "http://b.example.com/y" <http://c.example.com/z>, ftp://d.example.com/f; http://e.example.com/q?x=1!';
    expect(values(text, 'URL')).toEqual([
      'ftp://d.example.com/f',
      'http://b.example.com/y',
      'http://c.example.com/z',
      'http://e.example.com/q?x=1',
      'https://a.example.com/x',
    ]);
  });

  it('keeps a closing parenthesis the URL opened', () => {
    expect(values('ref https://en.wikipedia.org/wiki/Foo_(bar).', 'URL')).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
  });

  it('refangs hxxp and reports the host as an IP when it is one', () => {
    expect(extract('hxxp://203.0.113.7:8080/payload')).toEqual(['IPV4 203.0.113.7 RELATED', 'URL http://203.0.113.7:8080/payload RELATED']);
    expect(extract('hxxps://[2001:db8::7]/x')).toEqual(['IPV6 2001:db8::7 RELATED', 'URL https://[2001:db8::7]/x RELATED']);
  });

  it('does not read the user-info of a URL as an email', () => {
    expect(values('http://paypal.com@evil.example.com/login', 'EMAIL')).toEqual([]);
    expect(values('http://paypal.com@evil.example.com/login', 'DOMAIN')).toEqual(['evil.example.com']);
  });
});

describe('emails', () => {
  it('normalizes to lower case and validates both halves', () => {
    expect(normalizeEmail('John.Smith@Corp.COM')).toEqual({ value: 'john.smith@corp.com', domain: 'corp.com' });
    expect(normalizeEmail('mailto:a+tag@example.org')?.value).toBe('a+tag@example.org');
    for (const bad of ['root@localhost', '.a@example.com', 'a..b@example.com', 'a@b', 'a@file.exe', `${'x'.repeat(65)}@example.com`]) {
      expect(normalizeEmail(bad), bad).toBeUndefined();
    }
  });

  it('finds emails in text with their domains, sender role from context', () => {
    expect(extract('postfix/qmgr: 4F1: from=<Billing@Invoices.example.com>, size=1234 to=<bob@corp.example.org>')).toEqual([
      'DOMAIN corp.example.org RELATED',
      'DOMAIN invoices.example.com RELATED',
      'EMAIL billing@invoices.example.com SENDER',
      'EMAIL bob@corp.example.org RELATED',
    ]);
  });

  it('does not truncate an over-long local part into a shorter address', () => {
    expect(values(`${'x'.repeat(80)}@example.com`, 'EMAIL')).toEqual([]);
  });
});

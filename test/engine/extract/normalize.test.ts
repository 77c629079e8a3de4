import { describe, expect, it } from 'vitest';
import { detectIoc, extractIocs, normalizeIocValue } from '../../../src/engine/extract/index.js';
import { event } from './helpers.js';

describe('normalizeIocValue', () => {
  it.each([
    ['IPV4', ' 185.22.13.9 ', '185.22.13.9'],
    ['IPV4', '185[.]22[.]13[.]9', '185.22.13.9'],
    ['IPV4', '::ffff:10.0.0.1', '10.0.0.1'],
    ['IPV6', '2001:0DB8::0001', '2001:db8::1'],
    ['DOMAIN', 'Evil[.]Example[.]COM.', 'evil.example.com'],
    ['URL', 'hxxps://Evil[.]Example[.]com/Login', 'https://evil.example.com/Login'],
    ['EMAIL', 'John[@]Corp[.]com', 'john@corp.com'],
    ['MD5', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['USERNAME', '  Admin ', 'Admin'],
    ['USERNAME', 'odd[.]name', 'odd[.]name'],
    ['HOSTNAME', 'WIN-DC01', 'win-dc01'],
    ['CVE', 'cve-2021-44228', 'CVE-2021-44228'],
  ] as const)('%s %s -> %s', (type, input, expected) => {
    expect(normalizeIocValue(type, input)).toBe(expected);
  });

  it.each([
    ['IPV6', '::ffff:10.0.0.1'],
    ['IPV4', '1.2.3.4.5'],
    ['DOMAIN', 'localhost'],
    ['MD5', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['USERNAME', 'unknown'],
    ['URL', 'evil.example.com/login'],
    ['CVE', 'CVE-21-1'],
  ] as const)('%s %s is invalid', (type, input) => {
    expect(normalizeIocValue(type, input)).toBeUndefined();
  });

  it('gives the value extraction stores, so lookups by user input find it', () => {
    for (const ioc of extractIocs(event('hxxp://Evil[.]Example[.]com/X from 2001:DB8::1 user=Root md5=D41D8CD98F00B204E9800998ECF8427E'))) {
      expect(normalizeIocValue(ioc.type, ioc.value), `${ioc.type} ${ioc.value}`).toBe(ioc.value);
    }
  });
});

describe('detectIoc', () => {
  it.each([
    ['8.8.8.8', 'IPV4', '8.8.8.8'],
    ['fe80::1', 'IPV6', 'fe80::1'],
    ['hxxp://a[.]example[.]com', 'URL', 'http://a.example.com/'],
    ['a@example.com', 'EMAIL', 'a@example.com'],
    ['CVE-2021-44228', 'CVE', 'CVE-2021-44228'],
    ['da39a3ee5e6b4b0d3255bfef95601890afd80709', 'SHA1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['Example.org', 'DOMAIN', 'example.org'],
  ])('%s', (input, type, value) => {
    expect(detectIoc(input)).toEqual({ type, value });
  });

  it('leaves ambiguous names to an explicit type', () => {
    expect(detectIoc('root')).toBeUndefined();
  });
});

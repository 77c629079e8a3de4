import { describe, expect, it } from 'vitest';
import { hashTypeOf, normalizeCve } from '../../../src/engine/extract/index.js';
import { extract } from './helpers.js';

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA512 = 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';

describe('hashes', () => {
  it('classifies by length', () => {
    expect([MD5, SHA1, SHA256, SHA512, 'abc'].map(hashTypeOf)).toEqual(['MD5', 'SHA1', 'SHA256', 'SHA512', undefined]);
  });

  it('finds every length side by side, lower-cased, each once', () => {
    const text = `md5=${MD5.toUpperCase()} sha1:${SHA1} ${SHA256},${SHA512}`;
    expect(extract(text)).toEqual([`MD5 ${MD5} FILE`, `SHA1 ${SHA1} FILE`, `SHA256 ${SHA256} RELATED`, `SHA512 ${SHA512} RELATED`]);
  });

  it('takes hex runs whole: no MD5 inside a SHA-256, nothing from runs of other lengths', () => {
    expect(extract(SHA256)).toEqual([`SHA256 ${SHA256} RELATED`]);
    expect(extract(`${MD5}a ${SHA1.slice(1)} ${SHA512}${SHA512}`)).toEqual([]);
  });

  it('ignores tokens glued to letters, numbers, placeholders and import hashes', () => {
    expect(extract(`x${MD5} ${MD5}g ${'0'.repeat(32)} ${'f'.repeat(64)} ${'1234567890'.repeat(4)}`)).toEqual([]);
    expect(extract(`Hashes=MD5=${MD5},IMPHASH=0aef2e8d5c3b0a1c9e7d2f4b6a8c0e1d`)).toEqual([`MD5 ${MD5} FILE`]);
  });
});

describe('CVE ids', () => {
  it('finds and upper-cases them', () => {
    expect(extract('exploit for cve-2021-44228 and CVE-2023-1234567, not CVE-21-1 or XCVE-2021-44228')).toEqual([
      'CVE CVE-2021-44228 RELATED',
      'CVE CVE-2023-1234567 RELATED',
    ]);
    expect(normalizeCve('CVE-1988-0001')).toBeUndefined();
  });
});

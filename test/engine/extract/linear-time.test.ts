/**
 * Every extractor must stay linear on hostile input: 64 KiB strings built to make backtracking
 * regexes explode. Each run must finish well under a second (milliseconds on a small machine).
 */
import { describe, expect, it } from 'vitest';
import { findContextHosts, roleBefore } from '../../../src/engine/extract/context.js';
import { findCves } from '../../../src/engine/extract/cve.js';
import { findDomains } from '../../../src/engine/extract/domain.js';
import { findEmails } from '../../../src/engine/extract/email.js';
import { findHashes } from '../../../src/engine/extract/hash.js';
import { extractIocs, EXTRACT_LIMITS, refang } from '../../../src/engine/extract/index.js';
import { findIps } from '../../../src/engine/extract/ip.js';
import { findUrls } from '../../../src/engine/extract/url.js';
import { findUsernames } from '../../../src/engine/extract/username.js';
import { event } from './helpers.js';

const SIZE = 64 * 1024;
const fill = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

const INPUTS: Record<string, string> = {
  'digits and dots': fill('1.'),
  'four octets glued': fill('1.1.1.1.'),
  'long number': fill('9'),
  'labels': fill('a.'),
  'hyphens': fill('a-'),
  'one word': fill('a'),
  'at signs': fill('a@'),
  'dotted ats': fill('a.a@'),
  'long local part': `${'a'.repeat(SIZE - 12)}@example.com`,
  'hex run': fill('f'),
  'hex and digits': fill('a1'),
  'hash-sized runs': fill(`${'a1'.repeat(16)} `),
  'colons': fill(':'),
  'hex colons': fill('a:'),
  'double colons': fill('1::'),
  'hxxp schemes': fill('hxxp://'),
  'http glued': fill('http://a'),
  'URL with closers': `http://x.example.com/${')'.repeat(SIZE - 21)}`,
  'bracket dots': fill('[.]'),
  'paren dots': fill('(dot)'),
  'spelled dots': fill('a dot '),
  'spelled dot words': fill('dot '),
  'user words': fill('user '),
  'user keys': fill('user='),
  'invalid users': fill('for invalid user '),
  'password for': fill('password for '),
  'sudo heads': fill('a : '),
  'CVE prefixes': fill('CVE-2021-'),
  'rhost keys': fill('rhost='),
  'getaddrinfo': fill('getaddrinfo for '),
  'from addresses': fill('from 1.2.3.4 ('),
  'spaces': fill(' '),
  'unicode letters': fill('ж.'),
};

const EXTRACTORS: Record<string, (text: string) => unknown> = {
  refang,
  findIps: (t) => findIps(t, EXTRACT_LIMITS.candidatesPerKind),
  findDomains: (t) => findDomains(t, EXTRACT_LIMITS.candidatesPerKind),
  findUrls: (t) => findUrls(t, EXTRACT_LIMITS.candidatesPerKind),
  findEmails: (t) => findEmails(t, EXTRACT_LIMITS.candidatesPerKind),
  findHashes: (t) => findHashes(t, EXTRACT_LIMITS.candidatesPerKind),
  findCves: (t) => findCves(t, EXTRACT_LIMITS.candidatesPerKind),
  findUsernames: (t) => findUsernames(t, EXTRACT_LIMITS.candidatesPerKind),
  findContextHosts: (t) => findContextHosts(t, EXTRACT_LIMITS.candidatesPerKind),
  roleBefore: (t) => roleBefore(t, t.length, 'IPV4'),
  extractIocs: (t) => extractIocs(event(t, { commandLine: t, fields: { a: t, b: t } })),
};

describe('linear time on adversarial input', () => {
  it.each(Object.entries(INPUTS))('%s', (_name, input) => {
    expect(input.length).toBeGreaterThanOrEqual(SIZE - 8);
    const slow: string[] = [];
    for (const [name, run] of Object.entries(EXTRACTORS)) {
      const started = performance.now();
      run(input);
      const ms = performance.now() - started;
      if (ms >= 1000) slow.push(`${name}: ${ms.toFixed(0)} ms`);
    }
    expect(slow).toEqual([]);
  });

  it('ignores text beyond the cap instead of scanning it', () => {
    const started = performance.now();
    const found = extractIocs(event(`${fill('1.')}${'8.8.8.8 '.repeat(100_000)}`));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(found).toEqual([]);
  });
});

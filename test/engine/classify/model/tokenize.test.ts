/**
 * The text model's tokenizer: volatile values become placeholders, text is capped, and hostile input
 * stays linear (64 KiB strings built to make backtracking patterns explode).
 */
import { describe, expect, it } from 'vitest';
import { featureBuckets } from '../../../../src/engine/classify/model/features.js';
import { MAX_INPUT_CHARS, MAX_TOKENS, tokenize } from '../../../../src/engine/classify/model/tokenize.js';

describe('tokenize', () => {
  it('lower-cases words and replaces addresses, numbers and ports', () => {
    expect(tokenize('Failed password for invalid user Admin from 185.22.13.9 port 52144 ssh2')).toEqual([
      'failed', 'password', 'for', 'invalid', 'user', 'admin', 'from', '<ip>', 'port', '<num>', 'ssh0',
    ]);
    expect(tokenize('connect to 10.0.0.1:8443 and [2001:db8::1] and fe80::1%eth0')).toEqual(['connect', 'to', '<ip>', 'and', '<ip>', 'and', '<ip>', 'eth0']);
  });

  it('replaces hashes by length, hex ids, GUIDs, SIDs, times and timestamps', () => {
    const text =
      'md5 5aa8b93e9b40c04d6d9d0cc8cd3975ed sha1 a4a7343f1879c37fb6f22bca23f633a36bfedfab ' +
      'sha256 0b3beaa1e49cee79a9c9f518979a5481139390d297fa5acd5427a4cdb60d6d00 ' +
      'ptr 0x00007FFB929DC890 id c000003e guid {39e4a257-ff60-5f8c-2f04-000000000700} ' +
      'sid S-1-5-21-3940915590-64593676-1414006259-500 at 21:54:44 on 2020-10-18T10:56:18.799Z ' +
      'key 39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84';
    expect(tokenize(text)).toEqual([
      'md0', '<md5>', 'sha0', '<sha1>', 'sha0', '<sha256>', 'ptr', '<hex>', 'id', '<hex>', 'guid', '<uuid>',
      'sid', '<sid>', 'at', '<time>', 'on', '<ts>', 'key', '<hex>',
    ]);
  });

  it('keeps the words of domains and file names, drops e-mail addresses and blobs', () => {
    expect(tokenize('GET https://login.micros0ft-verify.xyz/owa/auth.php by alice@example.com')).toEqual([
      'get', 'https', '<domain>', 'login', 'micros0ft-verify', '.xyz', 'owa', 'auth.php', 'by', '<email>',
    ]);
    expect(tokenize(`powershell.exe -enc ${'SQBFAFgAIAAoAE4AZQB3AC0ATwBi'.repeat(4)}`)).toEqual(['powershell.exe', 'enc', '<b64>']);
    expect(tokenize(`x ${'a.b-'.repeat(40)}`)).toEqual(['x', '<long>']);
  });

  it('gives host names and counters the same shape whatever their digits', () => {
    expect(tokenize('slave22 web-01 pts/0')).toEqual(tokenize('slave7 web-93 pts/4'));
  });

  it('reads at most MAX_INPUT_CHARS characters and MAX_TOKENS tokens', () => {
    const head = 'alpha '.repeat(MAX_INPUT_CHARS / 6);
    expect(tokenize(`${head}omega`)).not.toContain('omega');
    expect(tokenize('w '.repeat(MAX_INPUT_CHARS)).length).toBeLessThanOrEqual(MAX_TOKENS);
    expect(tokenize('')).toEqual([]);
  });
});

describe('linear time on hostile input', () => {
  const SIZE = 64 * 1024;
  const fill = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
  const INPUTS: Record<string, string> = {
    'one word': fill('a'),
    'edge characters': fill('.-_:@'),
    'edge run then letter': `${'-'.repeat(SIZE - 1)}a`,
    'digits and dots': fill('1.'),
    'hex run': fill('f1'),
    colons: fill('a:'),
    'double colons': fill('1::'),
    'dotted labels': fill('a-b.'),
    'at signs': fill('a.a@'),
    'base64-ish': fill('Ab0+'),
    'time-ish': fill('12:3'),
    delimiters: fill('()[]{}'),
    'unicode letters': fill('ж.'),
  };
  for (const [name, input] of Object.entries(INPUTS)) {
    it(`tokenizes and hashes ${name} quickly`, () => {
      const started = performance.now();
      tokenize(input);
      featureBuckets(input);
      expect(performance.now() - started).toBeLessThan(1000);
    });
  }
});

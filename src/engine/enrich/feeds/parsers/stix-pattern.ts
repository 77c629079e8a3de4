/**
 * The part of the STIX 2.1 patterning language that maps onto single IOCs: `=` (and `IN`, and
 * `ISSUBSET` for address blocks) comparisons on address, domain, URL, email and file-hash paths,
 * joined by OR, inside and across observations. A union of such comparisons is matched by any one
 * value, which is what a lookup can answer. AND, FOLLOWEDBY, NOT and qualifiers (WITHIN, REPEATS,
 * START/STOP) express conditions one IOC cannot satisfy alone, so they are refused with a reason;
 * the one exception is `[file:hashes.X = '...' AND file:name = '...']`, where the digest already
 * identifies the file. A single pass over the characters, no backtracking.
 */
import { IocType } from '../../../types.js';
import type { ValueKind } from '../collector.js';

type Token =
  | { t: 'open' | 'close' | 'lparen' | 'rparen' | 'comma' }
  | { t: 'op'; v: string }
  | { t: 'string'; v: string }
  | { t: 'word'; v: string }
  | { t: 'path'; v: string };

export interface StixComparison {
  kind: ValueKind;
  value: string;
  path: string;
}

export type PatternOutcome = { ok: true; comparisons: StixComparison[] } | { ok: false; reason: string };

const MAX_PATTERN = 16_384;
const HASHES: Readonly<Record<string, ValueKind>> = {
  MD5: IocType.MD5,
  'SHA-1': IocType.SHA1,
  SHA1: IocType.SHA1,
  'SHA-256': IocType.SHA256,
  SHA256: IocType.SHA256,
  'SHA-512': IocType.SHA512,
  SHA512: IocType.SHA512,
};
const PATHS: Readonly<Record<string, ValueKind>> = {
  'ipv4-addr:value': 'IP',
  'ipv6-addr:value': 'IP',
  'domain-name:value': 'HOST',
  'url:value': IocType.URL,
  'email-addr:value': IocType.EMAIL,
  'email-message:from_ref.value': IocType.EMAIL,
  'email-message:sender_ref.value': IocType.EMAIL,
};

function kindOfPath(path: string): ValueKind | undefined {
  const direct = PATHS[path];
  if (direct) return direct;
  const m = /^(?:file|artifact):hashes\.(.+)$/.exec(path);
  return m ? HASHES[(m[1] ?? '').toUpperCase()] : undefined;
}

const WORD_CHAR = /[A-Za-z0-9_-]/;
const PUNCTUATION: Readonly<Record<string, 'open' | 'close' | 'lparen' | 'rparen' | 'comma'>> = { '[': 'open', ']': 'close', '(': 'lparen', ')': 'rparen', ',': 'comma' };

function tokenize(p: string): Token[] | string {
  const out: Token[] = [];
  let i = 0;
  const readQuoted = (): string | undefined => {
    // At the opening quote; STIX escapes only \' and \\.
    let s = '';
    for (i++; i < p.length; i++) {
      const ch = p[i];
      if (ch === '\\' && i + 1 < p.length) s += p[++i];
      else if (ch === "'") {
        i++;
        return s;
      } else s += ch;
    }
    return undefined;
  };
  while (i < p.length) {
    const ch = p[i] ?? '';
    const punct = PUNCTUATION[ch];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') i++;
    else if (punct !== undefined) {
      out.push({ t: punct });
      i++;
    } else if (ch === "'") {
      const s = readQuoted();
      if (s === undefined) return 'unterminated string';
      out.push({ t: 'string', v: s });
    } else if ('=!<>'.includes(ch)) {
      const two = p.slice(i, i + 2);
      const op = two === '!=' || two === '<=' || two === '>=' ? two : ch;
      if (op === '!') return 'unexpected "!"';
      out.push({ t: 'op', v: op });
      i += op.length;
    } else if (WORD_CHAR.test(ch)) {
      let w = '';
      while (i < p.length && WORD_CHAR.test(p[i] ?? '')) w += p[i++];
      if (p[i] === "'" && (w === 'h' || w === 'b' || w === 't')) {
        const s = readQuoted();
        if (s === undefined) return 'unterminated string';
        out.push({ t: 'string', v: s });
        continue;
      }
      if (p[i] !== ':') {
        out.push({ t: 'word', v: w });
        continue;
      }
      // An object path: `type:prop.sub`, with quoted keys (`hashes.'SHA-256'`) and list indexes (`[*]`).
      let path = w;
      while (i < p.length) {
        const c = p[i] ?? '';
        if (WORD_CHAR.test(c) || c === ':' || c === '.') {
          path += c;
          i++;
        } else if (c === "'" && path.endsWith('.')) {
          const s = readQuoted();
          if (s === undefined) return 'unterminated string';
          path += s;
        } else if (c === '[') {
          const end = p.indexOf(']', i);
          if (end < 0 || end - i > 12) return 'bad list index in object path';
          path += p.slice(i, end + 1);
          i = end + 1;
        } else break;
      }
      out.push({ t: 'path', v: path });
    } else return `unexpected character ${JSON.stringify(ch)}`;
  }
  return out;
}

export function parseStixPattern(pattern: string): PatternOutcome {
  if (pattern.length > MAX_PATTERN) return { ok: false, reason: 'pattern too long' };
  const tokens = tokenize(pattern);
  if (typeof tokens === 'string') return { ok: false, reason: tokens };
  const found: StixComparison[] = [];
  const unsupported: string[] = [];
  const joiners = new Set<string>();
  const paths: string[] = [];
  let observations = 0;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (!tok) break;
    if (tok.t === 'open') {
      observations++;
      depth++;
    } else if (tok.t === 'close' || tok.t === 'rparen') depth--;
    else if (tok.t === 'lparen') depth++;
    else if (tok.t === 'word') {
      const w = tok.v.toUpperCase();
      if (w === 'OR' || w === 'AND' || w === 'FOLLOWEDBY') joiners.add(w);
      else return { ok: false, reason: `${w} is not supported (a condition one IOC cannot meet)` };
    } else if (tok.t === 'path') {
      paths.push(tok.v);
      const next = tokens[i + 1];
      const values: string[] = [];
      const operator = next?.t === 'op' || next?.t === 'word' ? next.v.toUpperCase() : '';
      if (operator === '=' && tokens[i + 2]?.t === 'string') {
        const v = tokens[i + 2];
        if (v?.t === 'string') values.push(v.v);
        i += 2;
      } else if (operator === 'ISSUBSET' && tokens[i + 2]?.t === 'string') {
        const v = tokens[i + 2];
        if (v?.t === 'string' && v.v.includes('/')) values.push(v.v);
        i += 2;
      } else if (operator === 'IN' && tokens[i + 2]?.t === 'lparen') {
        let j = i + 3;
        for (; j < tokens.length; j++) {
          const v = tokens[j];
          if (v?.t === 'string') values.push(v.v);
          else if (v?.t === 'rparen') break;
          else if (v?.t !== 'comma') return { ok: false, reason: 'malformed IN list' };
        }
        i = j;
      } else if (next?.t === 'op' || next?.t === 'word') {
        // Another operator (!=, <, LIKE, MATCHES, NOT ...) or a non-string literal: consumed, not matched.
        const literal = tokens[i + 2];
        if (literal?.t !== 'string' && literal?.t !== 'word') return { ok: false, reason: 'malformed comparison' };
        unsupported.push(literal.t === 'word' ? `${tok.v} compared to a non-string value is not supported` : `operator ${operator} on ${tok.v} is not supported`);
        i += 2;
        continue;
      } else {
        return { ok: false, reason: 'malformed comparison' };
      }
      const kind = kindOfPath(tok.v);
      if (kind === undefined || values.length === 0) unsupported.push(`no comparison Vigil can match (${tok.v})`);
      else for (const value of values) found.push({ kind, value, path: tok.v });
    } else if (tok.t === 'comma' || tok.t === 'op' || tok.t === 'string') return { ok: false, reason: 'malformed comparison' };
    if (depth < 0) return { ok: false, reason: 'unbalanced brackets' };
  }
  if (depth !== 0) return { ok: false, reason: 'unbalanced brackets' };
  if (joiners.has('FOLLOWEDBY')) return { ok: false, reason: 'FOLLOWEDBY is not supported (a sequence of events)' };
  if (joiners.has('AND')) {
    // Only a file described by its digest plus other file properties reduces to the digest.
    const hashes = found.filter((c) => c.path.includes(':hashes.'));
    const onlyFile = paths.every((p) => p.startsWith('file:'));
    if (joiners.has('OR') || observations !== 1 || !onlyFile || hashes.length === 0) return { ok: false, reason: 'AND-ed comparisons are not supported (a condition one IOC cannot meet)' };
    return { ok: true, comparisons: hashes };
  }
  if (found.length === 0) return { ok: false, reason: unsupported[0] ?? 'empty pattern' };
  return { ok: true, comparisons: found };
}

/**
 * Builds data/training/corpus.jsonl, deterministically, from:
 *  - data/training/templates/<category>.txt: event templates written for this project, expanded with
 *    a seeded PRNG that fills users, hosts, addresses, ports, paths, hashes;
 *  - data/training/upstream/: verbatim excerpts of Apache-2.0 test logs, labelled by the rules in
 *    data/training/upstream/labels.tsv (first matching pattern wins; unmatched lines are left out).
 * Run: npx tsx scripts/build-training-corpus.ts   (then `npm run train`)
 *
 * Template syntax: `## name` starts a template group, every other non-blank line not starting with `#`
 * is a template. `{{filler}}` draws from a filler list below, `{{a|b|c}}` picks one alternative (which
 * may hold fillers). A line starting `@win <EventID> <Channel>|` becomes a Windows event JSON object
 * whose Message is the rest (`\n`, `\t` escapes); `@json ` lines are JSON objects, fillers escaped.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES, type Category } from '../src/engine/classify/types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TRAINING = join(ROOT, 'data/training');
const SEED = 0x5eed2026;
/** Expansions per category: templates in a category share it, each gets at least MIN_PER_TEMPLATE. */
const PER_CATEGORY = 700;
const MIN_PER_TEMPLATE = 4;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(SEED);
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CONS = 'bcdfghjklmnpqrstvwxz';
const VOW = 'aeiou';
const randomWord = (n: number): string => Array.from({ length: n }, (_, i) => (i % 2 ? pick([...VOW]) : pick([...CONS]))).join('');
const randomLabel = (n: number): string => Array.from({ length: n }, () => pick([...'abcdefghijklmnopqrstuvwxyz0123456789'])).join('');

/** Word lists the fillers draw from (names, hosts, domains, lures, malware names, paths, user agents). */
const LISTS = JSON.parse(readFileSync(join(TRAINING, 'templates', 'fillers.json'), 'utf8')) as Record<string, string[]>;
const list = (name: string): string[] => {
  const values = LISTS[name];
  if (!values?.length) throw new Error(`fillers.json: missing list ${name}`);
  return values;
};
const [USERS, BAD_USERS, WIN_USERS, HOSTS, WIN_HOSTS, DOMAINS, BRANDS, LURES, BAD_TLDS, MALWARE, PATHS, SUBJECTS, UAS] = [
  'users', 'badUsers', 'winUsers', 'hosts', 'winHosts', 'domains', 'brands', 'lures', 'badTlds', 'malware', 'paths', 'subjects', 'userAgents',
].map(list) as [string[], string[], string[], string[], string[], string[], string[], string[], string[], string[], string[], string[], string[]];

const FILLERS: Record<string, () => string> = {
  ts: () => `${pick(MONTHS)} ${String(int(1, 28)).padStart(2, ' ')} ${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}`,
  iso: () => `202${int(2, 5)}-${pad(int(1, 12))}-${pad(int(1, 28))}T${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}Z`,
  isoms: () => `202${int(2, 5)}-${pad(int(1, 12))}-${pad(int(1, 28))}T${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}.${pad(int(0, 999), 3)}Z`,
  clf: () => `${pad(int(1, 28))}/${pick(MONTHS)}/202${int(2, 5)}:${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))} +0000`,
  epoch: () => `${int(1600000000, 1760000000)}.${pad(int(0, 999), 3)}`,
  time: () => `${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}`,
  host: () => pick(HOSTS),
  winhost: () => pick(WIN_HOSTS),
  pid: () => String(int(200, 65000)),
  port: () => String(int(1024, 65535)),
  num: () => String(int(1, 999)),
  small: () => String(int(2, 9)),
  bytes: () => String(int(120, 250000)),
  ip: () => `${pick([23, 31, 45, 61, 77, 89, 103, 112, 117, 125, 141, 159, 176, 185, 193, 203, 212, 218, 221])}.${int(1, 254)}.${int(0, 254)}.${int(1, 254)}`,
  lan: () => pick([`10.${int(0, 40)}.${int(0, 254)}.${int(1, 254)}`, `192.168.${int(0, 5)}.${int(1, 254)}`, `172.${int(16, 31)}.${int(0, 254)}.${int(1, 254)}`]),
  user: () => pick(USERS),
  baduser: () => pick(BAD_USERS),
  winuser: () => pick(WIN_USERS),
  domain: () => pick(DOMAINS),
  baddomain: () => `${pick(BRANDS)}-${pick(LURES)}${pick(['', '-' + pick(LURES), String(int(1, 99))])}.${pick(BAD_TLDS)}`,
  c2domain: () => `${randomWord(int(6, 10))}.${pick(BAD_TLDS.concat(['com', 'net', 'org']))}`,
  dga: () => `${randomLabel(int(12, 22))}.${pick(BAD_TLDS.concat(['com', 'net']))}`,
  email: () => `${pick(USERS)}@${pick(['example.com', 'corp.example.com', 'acme.org', 'contoso.com'])}`,
  bademail: () => `${pick(['no-reply', 'security', 'support', 'billing', 'admin', 'service', 'it-helpdesk', 'payroll', 'hr'])}@${FILLERS.baddomain!()}`,
  brand: () => pick(BRANDS),
  path: () => expand(pick(PATHS), (v) => v),
  subject: () => expand(pick(SUBJECTS), (v) => v),
  b64: () => Array.from({ length: int(60, 160) }, () => pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'])).join('') + pick(['', '=', '==']),
  ua: () => pick(UAS),
  md5: () => hex(32),
  sha1: () => hex(40),
  sha256: () => hex(64),
  hex8: () => hex(8),
  hex4: () => hex(4),
  hexid: () => `0x${hex(int(3, 6))}`,
  guid: () => `{${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}}`,
  uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${hex(4)}-${hex(12)}`,
  sid: () => `S-1-5-21-${int(1000000000, 4000000000)}-${int(100000000, 999999999)}-${int(1000000000, 2000000000)}-${int(500, 1500)}`,
  malware: () => pick(MALWARE),
  acct: () => String(int(100000000000, 999999999999)),
  rand: () => randomLabel(int(5, 9)),
};

/** Expands fillers and alternatives; `escape` applies to filler values (JSON templates). */
function expand(template: string, escape: (s: string) => string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) return out + template.slice(i);
    out += template.slice(i, open);
    let depth = 0;
    let j = open;
    for (; j < template.length; j++) {
      if (template.startsWith('{{', j)) (depth++, j++);
      else if (template.startsWith('}}', j) && --depth === 0) break;
      else if (template.startsWith('}}', j)) j++;
    }
    if (j >= template.length) throw new Error(`unbalanced {{ in: ${template}`);
    const body = template.slice(open + 2, j);
    const filler = FILLERS[body];
    if (filler) out += escape(filler());
    else out += expand(pick(splitAlternatives(body)), escape);
    i = j + 2;
  }
  return out;
}

function splitAlternatives(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body.startsWith('{{', i)) (depth++, i++);
    else if (body.startsWith('}}', i)) (depth--, i++);
    else if (body[i] === '|' && depth === 0) (parts.push(body.slice(start, i)), (start = i + 1));
  }
  parts.push(body.slice(start));
  if (parts.length < 2) throw new Error(`unknown filler {{${body}}}`);
  return parts;
}

const jsonEscape = (s: string): string => JSON.stringify(s).slice(1, -1);
/** Template text escapes: `\\` a backslash, `\n` a Windows line break, `\t` a tab; anything else stays. */
const unescape = (s: string): string => s.replace(/\\([\\nt])/g, (_, c: string) => (c === 'n' ? '\r\n' : c === 't' ? '\t' : '\\'));

function render(template: string): string {
  if (template.startsWith('@win ')) {
    const bar = template.indexOf('|');
    const [eventId, channel] = template.slice(5, bar).trim().split(/\s+/);
    const message = unescape(expand(template.slice(bar + 1).trim(), (s) => s));
    const sysmon = channel === 'Sysmon';
    return JSON.stringify({
      EventID: Number(eventId),
      SourceName: sysmon ? 'Microsoft-Windows-Sysmon' : channel === 'Security' ? 'Microsoft-Windows-Security-Auditing' : channel,
      Channel: sysmon ? 'Microsoft-Windows-Sysmon/Operational' : channel,
      Hostname: FILLERS.winhost!(),
      TimeCreated: FILLERS.iso!().replace('T', ' ').replace('Z', ''),
      Message: message,
    });
  }
  if (template.startsWith('@json ')) return JSON.stringify(JSON.parse(expand(template.slice(6), jsonEscape)));
  return unescape(expand(template, (s) => s));
}

interface Group {
  name: string;
  templates: string[];
}

function readTemplates(category: Category): Group[] {
  const groups: Group[] = [];
  const text = readFileSync(join(TRAINING, 'templates', `${category.toLowerCase()}.txt`), 'utf8');
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) groups.push({ name: line.slice(3).trim(), templates: [] });
    else if (line.trim() !== '' && !line.startsWith('#')) {
      if (!groups.length) throw new Error(`${category}: template before the first ## group`);
      groups.at(-1)!.templates.push(line.trim());
    }
  }
  return groups;
}

interface Record_ {
  text: string;
  category: Category;
  source: string;
}

function generated(): Record_[] {
  const out: Record_[] = [];
  for (const category of CATEGORIES) {
    const groups = readTemplates(category);
    const count = groups.reduce((n, g) => n + g.templates.length, 0);
    const each = Math.max(MIN_PER_TEMPLATE, Math.ceil(PER_CATEGORY / count));
    for (const group of groups) {
      for (const template of group.templates) {
        const seen = new Set<string>();
        for (let attempt = 0; attempt < each * 3 && seen.size < each; attempt++) seen.add(render(template));
        for (const text of seen) out.push({ text, category, source: `generated:${category.toLowerCase()}/${group.name}` });
      }
    }
  }
  return out;
}

/** Upstream excerpts, labelled line by line by labels.tsv: `<file>\t<category>\t<regex>`. */
function upstream(): Record_[] {
  const dir = join(TRAINING, 'upstream');
  const sources = JSON.parse(readFileSync(join(dir, 'sources.json'), 'utf8')) as Record<string, string>;
  const rules = readFileSync(join(dir, 'labels.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [file, category, pattern] = l.split('\t');
      if (!file || !CATEGORIES.includes(category as Category) || !pattern) throw new Error(`labels.tsv: bad line ${l}`);
      return { file, category: category as Category, re: new RegExp(pattern) };
    });
  const out: Record_[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.log')).sort()) {
    const source = sources[file];
    if (!source) throw new Error(`upstream/${file} has no entry in sources.json`);
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const rule = rules.find((r) => (r.file === file || r.file === '*') && r.re.test(line));
      if (rule) out.push({ text: line, category: rule.category, source });
    }
  }
  return out;
}

const records = [...upstream(), ...generated()];
const unique = new Map<string, Record_>();
for (const r of records) {
  const prior = unique.get(r.text);
  if (prior && prior.category !== r.category) throw new Error(`conflicting labels for: ${r.text}`);
  if (!prior) unique.set(r.text, r);
}
const corpus = [...unique.values()];
writeFileSync(join(TRAINING, 'corpus.jsonl'), corpus.map((r) => JSON.stringify(r)).join('\n') + '\n');
const counts = Object.fromEntries(CATEGORIES.map((c) => [c, corpus.filter((r) => r.category === c).length]));
const upstreamCount = corpus.filter((r) => !r.source.startsWith('generated:')).length;
console.log(`wrote ${corpus.length} examples (${upstreamCount} from upstream logs):`, counts);

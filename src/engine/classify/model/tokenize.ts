/**
 * Text to normalized tokens for the text model. Values that change from one event to the next (IPs,
 * numbers, hex ids, hashes, times, SIDs, GUIDs, e-mail addresses, domains) become placeholders, so
 * the model learns the shape of a message rather than the addresses and ids of the training set.
 *
 * Linear time by construction: one pass splits on delimiter characters, and every regex below is
 * anchored and runs on a single token of at most MAX_TOKEN_CHARS characters.
 */

/** The model reads at most this much of a message (UTF-16 code units). */
export const MAX_INPUT_CHARS = 4096;
/** Longer tokens are blobs (base64, packed arguments): their content is noise, their presence is not. */
export const MAX_TOKEN_CHARS = 64;
/** A 4 KiB message rarely has more; the cap bounds feature extraction whatever the input. */
export const MAX_TOKENS = 600;

/** Every placeholder starts with `<`, which the splitter never leaves inside a token. */
export const Placeholder = {
  IP: '<ip>',
  NUM: '<num>',
  HEX: '<hex>',
  MD5: '<md5>',
  SHA1: '<sha1>',
  SHA256: '<sha256>',
  SHA512: '<sha512>',
  TIME: '<time>',
  TS: '<ts>',
  UUID: '<uuid>',
  SID: '<sid>',
  EMAIL: '<email>',
  DOMAIN: '<domain>',
  B64: '<b64>',
  LONG: '<long>',
} as const;

export function isPlaceholder(token: string): boolean {
  return token.charCodeAt(0) === 60; // '<'
}

// Delimiters split; '.', ':', '-', '_' and '@' stay inside tokens so that IPs, times, file names,
// e-mail addresses and snake_case identifiers survive as units and are classified below.
const DELIMS = new Uint8Array(128);
for (const ch of ' \t\r\n\f\v()[]{}<>"\'`,;=|\\/!?*&^%$#+~') DELIMS[ch.charCodeAt(0)] = 1;

const DIGITS = /^\d+$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$/;
const IPV6 = /^[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%[a-z0-9]{1,16})?$/;
const IPV4_MAPPED = /^[0-9a-f:]{2,30}:\d{1,3}(?:\.\d{1,3}){3}$/;
const DOTTED_NUMBER = /^\d+(?:\.\d+)+$/;
const TIME = /^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:t[0-9:.,+z-]{0,40})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SID = /^s-1-\d{1,12}(?:-\d{1,12}){1,14}$/;
const HEX_PREFIXED = /^0x[0-9a-f]+$/;
const HEX = /^[0-9a-f]+$/;
const HAS_DIGIT = /\d/;
const HAS_LETTER = /[a-z]/;
const COLON_HEX = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5,}$/;
const EMAIL = /^[a-z0-9._%-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+$/;
const DOMAIN = /^[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+$/;
const ALPHA = /^[a-z]{2,24}$/;
const BASE64 = /^[a-z0-9+/]{24,}={0,2}$/;
const DIGIT_RUNS = /\d+/g;

/** Extensions that make `name.ext` a file name rather than a host name. */
const FILE_EXTENSIONS = new Set(
  ('exe dll sys scr com bat cmd ps1 psm1 vbs vbe js jse wsf hta lnk msi msp jar py sh pl rb php phtml asp aspx jsp cgi ' +
    'doc docx docm xls xlsx xlsm ppt pptx pdf rtf txt csv log conf cfg ini xml json yml yaml html htm zip rar 7z gz tgz tar ' +
    'iso img dmg apk elf so bin dat tmp dmp pf db sql bak old swp key pem crt pub out enc encrypted locked ' +
    'png jpg jpeg gif svg ico css map woff woff2 ttf mp4 service socket target timer mount d').split(' '),
);

const HASHES: Readonly<Record<number, string>> = { 32: Placeholder.MD5, 40: Placeholder.SHA1, 64: Placeholder.SHA256, 128: Placeholder.SHA512 };

function pushDomain(out: string[], token: string): void {
  out.push(Placeholder.DOMAIN);
  const labels = token.split('.');
  const tld = labels.pop()!;
  // The labels carry what lookalike and DGA domains are made of; the values themselves are dropped.
  for (const label of labels) if (label !== 'www' && label.length > 1) out.push(label.replace(DIGIT_RUNS, '0'));
  out.push(`.${tld}`);
}

function isEdge(c: number): boolean {
  return c === 46 || c === 58 || c === 45 || c === 95 || c === 64; // . : - _ @
}

/** Trailing `:` of `sshd:`, the dot ending a sentence, leading `-` of flags: a loop, not a regex, to stay linear. */
function trimEdges(raw: string): string {
  let start = 0;
  let end = raw.length;
  while (start < end && isEdge(raw.charCodeAt(start))) start++;
  while (end > start && isEdge(raw.charCodeAt(end - 1))) end--;
  return start === 0 && end === raw.length ? raw : raw.slice(start, end);
}

/** 0: letters only (a plain word), 1: digits only, 2: anything else. */
function shape(token: string): number {
  let letters = 0;
  let digits = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 97 && c <= 122) letters++;
    else if (c >= 48 && c <= 57) digits++;
    else return 2;
  }
  return digits === 0 ? 0 : letters === 0 ? 1 : 2;
}

/** Classifies one raw token (lower-case, no delimiter) and appends what it stands for. */
function pushToken(out: string[], raw: string, depth = 0): void {
  const token = trimEdges(raw);
  if (token === '') return;
  // Most tokens are plain words or numbers: settle them without running the patterns below.
  const kind = token.length <= MAX_TOKEN_CHARS ? shape(token) : 2;
  if (kind === 0) return void out.push(token);
  if (kind === 1) return void out.push(Placeholder.NUM);
  if (token.length > MAX_TOKEN_CHARS) {
    out.push(BASE64.test(token) ? Placeholder.B64 : Placeholder.LONG);
    return;
  }
  if (DIGITS.test(token)) return void out.push(Placeholder.NUM);
  if (IPV4.test(token)) return void out.push(Placeholder.IP);
  if (DOTTED_NUMBER.test(token)) return void out.push(Placeholder.NUM);
  if (TIME.test(token)) return void out.push(Placeholder.TIME);
  if (DATE.test(token)) return void out.push(Placeholder.TS);
  if (UUID.test(token)) return void out.push(Placeholder.UUID);
  if (SID.test(token)) return void out.push(Placeholder.SID);
  if (HEX_PREFIXED.test(token) || COLON_HEX.test(token)) return void out.push(Placeholder.HEX);
  if (HEX.test(token)) {
    const hash = HASHES[token.length];
    if (hash) return void out.push(hash);
    if (token.length >= 6 && HAS_DIGIT.test(token)) return void out.push(Placeholder.HEX);
  }
  if (token.includes(':')) {
    if (IPV6.test(token) || IPV4_MAPPED.test(token)) return void out.push(Placeholder.IP);
    if (depth === 0) for (const part of token.split(':')) pushToken(out, part, 1);
    else out.push(token.replace(DIGIT_RUNS, '0'));
    return;
  }
  if (token.includes('@')) {
    if (EMAIL.test(token)) return void out.push(Placeholder.EMAIL);
  }
  if (token.includes('.') && DOMAIN.test(token)) {
    const ext = token.slice(token.lastIndexOf('.') + 1);
    if (!FILE_EXTENSIONS.has(ext) && ALPHA.test(ext)) return pushDomain(out, token);
  }
  if (token.length >= 24 && HAS_DIGIT.test(token) && BASE64.test(token)) return void out.push(Placeholder.B64);
  // Host names, versions and counters inside words keep their shape: `slave22` and `slave7` agree.
  out.push(HAS_DIGIT.test(token) && HAS_LETTER.test(token) ? token.replace(DIGIT_RUNS, '0') : token);
}

/** Lower-cased, normalized tokens of `text`, in order, at most MAX_TOKENS of them. */
export function tokenize(text: string): string[] {
  const s = (text.length > MAX_INPUT_CHARS ? text.slice(0, MAX_INPUT_CHARS) : text).toLowerCase();
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length && out.length < MAX_TOKENS; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    const delim = c < 128 ? DELIMS[c] === 1 || c < 32 : false;
    if (delim) {
      if (start >= 0) pushToken(out, s.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  return out.length > MAX_TOKENS ? out.slice(0, MAX_TOKENS) : out;
}

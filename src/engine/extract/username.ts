/**
 * Account names: from user fields and from the phrases sshd, PAM, sudo and useradd write. Values are
 * only trimmed, never lower-cased: Unix account names are case-sensitive (`Admin` is not `admin`).
 */
import { IocRole, IocType } from '../types.js';
import type { Candidate } from './candidate.js';

/** What systems write when there is no account to name. */
const PLACEHOLDERS = new Set(['-', '--', '?', '*', 'unknown', '(unknown)', '<unknown>', 'none', '(none)', 'null', '(null)', 'nil', 'n/a', 'invalid', 'undefined', '""', "''"]);

/** English words that follow `user ` in messages (`user NOT in sudoers`, `due to user request`). */
const STOPWORDS = new Set([
  'a', 'an', 'and', 'account', 'at', 'authentication', 'by', 'did', 'does', 'for', 'from', 'has', 'had', 'id',
  'in', 'is', 'logged', 'login', 'name', 'not', 'on', 'or', 'port', 'request', 'session', 'the', 'to', 'was',
  'with',
]);

const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_USERNAME = 256;

/** A trimmed account name, or undefined for placeholders, control characters and absurd lengths. */
export function normalizeUsername(value: string): string | undefined {
  let text = value.trim();
  if (text.length >= 2 && ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'")))) {
    text = text.slice(1, -1).trim();
  }
  if (text === '' || text.length > MAX_USERNAME || CONTROL.test(text)) return undefined;
  return PLACEHOLDERS.has(text.toLowerCase()) ? undefined : text;
}

/** Letters, digits and the punctuation of `DOMAIN\user`, `user@realm`, `first.last`, `HOST$`. */
const TOK = String.raw`([\p{L}\p{N}._@\\$+-]{1,128})`;
const END = String.raw`[ \t]{0,4}(?:$|[\r\n])`;
const THEN_FROM = String.raw`[ \t]{1,4}(?:from\b|\[preauth\])`;

interface UserPattern {
  re: RegExp;
  /** Role of the captured name; a function when the key decides (sudo's `USER=` is the target). */
  role: IocRole | ((key: string) => IocRole);
  /** Free-standing words need the stop-word filter; key=value captures do not. */
  filterWords: boolean;
  /** Capture group of the name; group 1 holds the key where there is one. */
  group: 1 | 2;
}

const TARGET_KEYS = new Set(['duser', 'dstuser', 'dst_user', 'targetuser', 'target_user', 'targetusername']);

/**
 * Each pattern starts at a literal keyword (or, for sudo, a token bounded by whitespace), and every
 * repetition is a bounded single class, so the cost per start position is a small constant.
 */
const PATTERNS: readonly UserPattern[] = [
  {
    // sshd: `Failed password for [invalid user ]root from`, `Too many authentication failures for admin [preauth]`.
    re: new RegExp(
      String.raw`\b(?:password|publickey|none|keyboard-interactive(?:/pam)?|hostbased|gssapi-with-mic|gssapi-keyex|failures?)[ \t]{1,4}for[ \t]{1,4}(?:(?:invalid|illegal)[ \t]{1,4}user[ \t]{1,4})?${TOK}(?=${THEN_FROM}|${END})`,
      'dgiu',
    ),
    role: IocRole.USER,
    filterWords: true,
    group: 1,
  },
  {
    // sshd: `Invalid user test from`, `input_userauth_request: invalid user webmaster [preauth]`.
    re: new RegExp(String.raw`\b(?:invalid|illegal)[ \t]{1,4}user[ \t]{1,4}${TOK}(?=${THEN_FROM}|${END})`, 'dgiu'),
    role: IocRole.USER,
    filterWords: true,
    group: 1,
  },
  {
    // `session opened for user root by`, `user alice logged in`, `Failed SSH login from 1.2.3.4 user root`:
    // only before a clear end, so `user NOT in sudoers` names nobody.
    re: new RegExp(
      String.raw`\buser[ \t]{1,4}${TOK}(?=${END}|[ \t]{0,4}[;,\[(]|[ \t]{1,4}(?:from|by|on|port|to|at|logged|login|failed|authenticated|successfully)\b|\.(?:[ \t\r\n]|$))`,
      'dgiu',
    ),
    role: IocRole.USER,
    filterWords: true,
    group: 1,
  },
  {
    // PAM `user=root`, auditd `acct="root"`, sudo `USER=root`, CEF `suser=`/`duser=`. No space after `=`:
    // `logname= uid=0` names nobody.
    re: new RegExp(
      String.raw`(?<![\p{L}\p{N}_.-])(user|ruser|logname|username|user_name|acct|suser|duser|srcuser|src_user|dstuser|dst_user|targetuser|target_user|targetusername|subjectusername)="?${TOK}`,
      'dgiu',
    ),
    role: (key) => (key === 'USER' || TARGET_KEYS.has(key.toLowerCase()) ? IocRole.TARGET_USER : IocRole.USER),
    filterWords: false,
    group: 2,
  },
  {
    // sudo: `vagrant : TTY=pts/0 ; ...`, `tsg : user NOT in sudoers ; ...`.
    re: new RegExp(
      String.raw`(?<![^\s:])${TOK}[ \t]{1,4}:[ \t]{1,4}(?=TTY=|user NOT in sudoers|command not allowed|\d{1,4} incorrect password attempts?)`,
      'dgu',
    ),
    role: IocRole.USER,
    filterWords: false,
    group: 1,
  },
  {
    // useradd: `new user: name=apache, UID=48`: the account acted upon.
    re: new RegExp(String.raw`\bnew user: name=${TOK}`, 'dgu'),
    role: IocRole.TARGET_USER,
    filterWords: false,
    group: 1,
  },
];

function fromMatch(m: RegExpExecArray, pattern: UserPattern): Candidate | undefined {
  const raw = m[pattern.group] ?? '';
  const span = m.indices?.[pattern.group];
  if (span === undefined) return undefined;
  let token = raw;
  while (token.endsWith('.')) token = token.slice(0, -1);
  const value = normalizeUsername(token);
  if (value === undefined) return undefined;
  if (pattern.filterWords && STOPWORDS.has(value.toLowerCase())) return undefined;
  const role = typeof pattern.role === 'function' ? pattern.role(m[1] ?? '') : pattern.role;
  const start = span[0];
  return { type: IocType.USERNAME, value, role, start, end: start + token.length };
}

export function findUsernames(text: string, limit: number): Candidate[] {
  const out: Candidate[] = [];
  for (const pattern of PATTERNS) {
    pattern.re.lastIndex = 0;
    for (let m = pattern.re.exec(text); m !== null && out.length < limit; m = pattern.re.exec(text)) {
      const candidate = fromMatch(m, pattern);
      if (candidate) out.push(candidate);
    }
  }
  return out;
}

/**
 * Undoes the usual defanging of indicators (`hxxp://evil[.]com`, `john[@]corp(dot)com`) so the
 * extractors see plain syntax. Every pass is one linear-time regex over the text, and every
 * replacement is no longer than what it replaces, so the output never outgrows the input.
 */
import { parse } from 'tldts';

const BRACKETED_TOKENS: Readonly<Record<string, string>> = {
  '[.]': '.',
  '(.)': '.',
  '{.}': '.',
  '[dot]': '.',
  '(dot)': '.',
  '{dot}': '.',
  '[@]': '@',
  '(@)': '@',
  '{@}': '@',
  '[at]': '@',
  '(at)': '@',
  '{at}': '@',
  '[://]': '://',
  '[:]': ':',
  '(:)': ':',
  '[/]': '/',
};

// Fixed literals only: at each position the engine tries a handful of short alternatives, no repetition.
const BRACKETED = /\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\[@\]|\(@\)|\{@\}|\[at\]|\(at\)|\{at\}|\[:\/\/\]|\[:\]|\(:\)|\[\/\]/gi;

const HTTP_SCHEME = /\b(?:hxxp|hxtp|htxp|h\*\*p)(s?)(?=:\/\/)/gi;
const FTP_SCHEME = /\bfxp(s?)(?=:\/\/)/gi;

const LABEL = String.raw`[\p{L}\p{N}-]{1,63}`;
/**
 * `example dot com`: labels joined by a spelled-out ` dot `. Each repetition starts with the literal
 * ` dot `, so there is only one way to split a match and backtracking stays within one label.
 */
const SPELLED_DOT = new RegExp(
  String.raw`(?<![\p{L}\p{N}-])${LABEL}(?:[ ](?:dot|DOT|Dot)[ ]${LABEL}){1,10}(?![\p{L}\p{N}-])`,
  'gu',
);
const SPELLED_DOT_SEPARATOR = / (?:dot|DOT|Dot) /g;

/** ` dot ` is ordinary English too: it only becomes `.` when the result is a registrable domain. */
function joinSpelledDots(match: string): string {
  const joined = match.replace(SPELLED_DOT_SEPARATOR, '.');
  const parsed = parse(joined, { allowPrivateDomains: false, extractHostname: false });
  return parsed.isIcann === true && parsed.domain !== null ? joined : match;
}

export function refang(text: string): string {
  let out = text;
  if (out.includes('[') || out.includes('(') || out.includes('{')) {
    out = out.replace(BRACKETED, (m) => BRACKETED_TOKENS[m.toLowerCase()] ?? m);
  }
  out = out.replace(HTTP_SCHEME, 'http$1').replace(FTP_SCHEME, 'ftp$1');
  if (/ dot /i.test(out)) out = out.replace(SPELLED_DOT, joinSpelledDots);
  return out;
}

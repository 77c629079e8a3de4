/**
 * Linux audit records (`type=SYSCALL msg=audit(1604994496.155:92733): key=value ...`). The event model
 * has no format for them, so they stay UNKNOWN with the line as message, but their key/value pairs,
 * time, process, command line and login facts are read, which is what detection rules need.
 */
import { AlertFormat, type NormalizedEvent } from '../types.js';
import { asInt, asIp, asString, FieldBag } from './fields.js';

const AUDIT = /^(?:node=(\S{1,255}) )?type=([A-Z0-9_]{1,40}) msg=audit\((\d{1,12})(?:\.(\d{1,6}))?:(\d{1,20})\): ?/;
const KEY = /^[A-Za-z0-9_-]{1,40}$/;
const HEX = /^[0-9A-F]{2,8192}$/;
const MAX_ARGS = 64;

/** Values auditd could not print safely are hex-encoded, arguments joined by NUL. */
function decodeHex(value: string): string {
  return Buffer.from(value, 'hex').toString('utf8').replace(/\0/g, ' ').trim();
}

/** Space-separated `key=value`, values optionally in double quotes; USER_* records wrap theirs in msg='...'. */
function pairs(body: string): Map<string, { value: string; quoted: boolean }> {
  const out = new Map<string, { value: string; quoted: boolean }>();
  for (let token of body.split(/[ \u001d]/)) {
    if (token.startsWith("msg='")) token = token.slice(5);
    if (token.endsWith("'")) token = token.slice(0, -1);
    const eq = token.indexOf('=');
    if (eq <= 0) continue;
    const key = token.slice(0, eq);
    if (!KEY.test(key) || out.has(key)) continue;
    let value = token.slice(eq + 1);
    const quoted = value.length >= 2 && value.startsWith('"') && value.endsWith('"');
    if (quoted) value = value.slice(1, -1);
    out.set(key, { value, quoted });
    if (out.size >= 400) break;
  }
  return out;
}

function commandLine(type: string, kv: Map<string, { value: string; quoted: boolean }>): string | undefined {
  const text = (v: { value: string; quoted: boolean } | undefined): string | undefined =>
    v === undefined ? undefined : !v.quoted && v.value.length % 2 === 0 && HEX.test(v.value) ? decodeHex(v.value) : v.value;
  if (type === 'EXECVE') {
    const args: string[] = [];
    for (let n = 0; n < MAX_ARGS; n++) {
      const arg = text(kv.get(`a${n}`));
      if (arg === undefined) break;
      args.push(arg);
    }
    return args.length > 0 ? args.join(' ') : undefined;
  }
  if (type === 'PROCTITLE') return asString(text(kv.get('proctitle')));
  return undefined;
}

function outcomeOf(kv: Map<string, { value: string; quoted: boolean }>): string | undefined {
  const result = kv.get('success')?.value ?? kv.get('res')?.value;
  if (result === 'yes' || result === 'success') return 'success';
  if (result === 'no' || result === 'failed') return 'failure';
  return undefined;
}

export function parseAuditd(text: string): NormalizedEvent | undefined {
  const m = AUDIT.exec(text);
  if (!m) return undefined;
  const type = m[2] ?? '';
  const kv = pairs(text.slice(m[0].length));
  const bag = new FieldBag();
  bag.set('audit.type', type);
  bag.set('audit.serial', m[5]);
  for (const [key, { value }] of kv) bag.set(`audit.${key}`, value);
  const value = (key: string): string | undefined => {
    const v = kv.get(key)?.value;
    return v === '?' || v === '(null)' ? undefined : asString(v);
  };
  const seconds = Number(m[3]);
  const ms = m[4] ? Number((m[4] + '00').slice(0, 3)) : 0;
  return {
    format: AlertFormat.UNKNOWN,
    message: text,
    timestamp: seconds > 0 ? seconds * 1000 + ms : undefined,
    host: asString(m[1]),
    program: 'auditd',
    pid: asInt(value('pid')),
    process: value('exe') ?? value('comm'),
    commandLine: commandLine(type, kv),
    file: type === 'PATH' ? value('name') : undefined,
    user: value('acct'),
    srcIp: asIp(value('addr')),
    outcome: outcomeOf(kv),
    fields: bag.toRecord(),
  };
}

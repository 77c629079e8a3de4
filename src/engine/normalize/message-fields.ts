/**
 * Who/where fields hidden in the free text of common Unix programs (sshd, PAM, sudo, su, useradd).
 * One small table of anchored patterns with bounded repetitions, so each runs in linear time on
 * hostile input; the first pattern that matches wins.
 */
import type { NormalizedEvent } from '../types.js';
import { asIp, asPort, type FieldBag } from './fields.js';

export interface MessageFields {
  user?: string;
  targetUser?: string;
  srcIp?: string;
  srcPort?: number;
  commandLine?: string;
  action?: string;
  outcome?: string;
  /** Extra facts for `fields`, under `msg.*` keys. */
  extra: Array<[string, string]>;
}

/** `from X`: an address becomes srcIp; a name (sshd with UseDNS, PAM rhost) is kept as msg.rhost. */
function remote(out: MessageFields, host: string | undefined, port?: string): MessageFields {
  const ip = asIp(host);
  if (ip) out.srcIp = ip;
  else if (host) out.extra.push(['msg.rhost', host]);
  const p = asPort(port);
  if (p !== undefined) out.srcPort = p;
  return out;
}

function login(outcome: string, user: string | undefined): MessageFields {
  return { action: 'ssh_login', outcome, user: user || undefined, extra: [] };
}

const SUDO_HEAD = /^([^\s:;]{1,64}) : /;

/** `user : [reason ; ]TTY=pts/0 ; PWD=/x ; USER=root ; COMMAND=/bin/ls -l` */
function sudo(msg: string): MessageFields | undefined {
  const head = SUDO_HEAD.exec(msg);
  if (!head) return undefined;
  const body = msg.slice(head[0].length);
  const commandAt = body.indexOf('COMMAND=');
  const userAt = body.indexOf('USER=');
  if (commandAt < 0 && userAt < 0) return undefined;
  // COMMAND is last and may itself contain ` ; `, so only the part before it is split.
  const settings = commandAt < 0 ? body : body.slice(0, commandAt);
  const out: MessageFields = { action: 'sudo', user: head[1], extra: [] };
  let reason: string | undefined;
  for (const raw of settings.split(' ; ')) {
    const part = raw.trim();
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq) : '';
    const value = part.slice(eq + 1);
    if (key === 'USER') out.targetUser = value || undefined;
    else if (key === 'TTY') out.extra.push(['msg.tty', value]);
    else if (key === 'PWD') out.extra.push(['msg.pwd', value]);
    else if (eq < 0 && part !== '' && reason === undefined) reason = part;
  }
  if (commandAt >= 0) out.commandLine = body.slice(commandAt + 'COMMAND='.length).trim() || undefined;
  if (reason) out.extra.push(['msg.reason', reason]);
  out.outcome = reason ? 'failure' : 'success';
  return out;
}

type Rule = readonly [RegExp, (m: RegExpExecArray) => MessageFields | undefined];

const PAM_PREFIX = String.raw`(?:pam_unix\([\w-]{1,32}:\w{1,16}\): )?`;

const RULES: readonly Rule[] = [
  [
    /^(Failed|Accepted) (\S{1,40}) for (invalid user )?(\S{1,64}) from (\S{1,64}) port (\d{1,5})/,
    (m) => {
      const out = remote(login(m[1] === 'Accepted' ? 'success' : 'failure', m[4]), m[5], m[6]);
      out.extra.push(['msg.authMethod', m[2] ?? '']);
      if (m[3]) out.extra.push(['msg.invalidUser', 'true']);
      return out;
    },
  ],
  [
    /^Invalid user (\S{0,64}) from (\S{1,64})(?: port (\d{1,5}))?/,
    (m) => {
      const out = remote(login('failure', m[1]), m[2], m[3]);
      out.extra.push(['msg.invalidUser', 'true']);
      return out;
    },
  ],
  [
    /^(?:error: )?maximum authentication attempts exceeded for (?:invalid user )?(\S{1,64}) from (\S{1,64}) port (\d{1,5})/,
    (m) => remote(login('failure', m[1]), m[2], m[3]),
  ],
  [
    /^(?:Disconnected from|Connection closed by) (?:(?:invalid |authenticating )?user (\S{1,64}) )?(\S{1,64})(?: port (\d{1,5}))?/,
    (m) => remote({ action: 'ssh_disconnect', user: m[1], extra: [] }, m[2], m[3]),
  ],
  [/^Received disconnect from (\S{1,64}) port (\d{1,5})/, (m) => remote({ action: 'ssh_disconnect', extra: [] }, m[1], m[2])],
  [/^Received disconnect from ([\d.]{7,15}):/, (m) => remote({ action: 'ssh_disconnect', extra: [] }, m[1])],
  [
    /^Did not receive identification string from (\S{1,64})(?: port (\d{1,5}))?/,
    (m) => remote({ action: 'ssh_probe', extra: [] }, m[1], m[2]),
  ],
  [
    /^reverse mapping checking getaddrinfo for (\S{1,255}) \[([0-9A-Fa-f.:]{2,45})\] failed/,
    (m) => {
      const out = remote({ action: 'ssh_reverse_mapping_failed', extra: [] }, m[2]);
      out.extra.push(['msg.rhost', m[1] ?? '']);
      return out;
    },
  ],
  [
    new RegExp(`^${PAM_PREFIX}authentication failure;`),
    (m) => {
      const text = m.input;
      const user = / user=(\S{1,64})/.exec(text)?.[1];
      return remote({ action: 'authentication', outcome: 'failure', user, extra: [] }, / rhost=(\S{1,255})/.exec(text)?.[1]);
    },
  ],
  [
    new RegExp(`^${PAM_PREFIX}session (opened|closed) for user (\\S{1,64})`),
    (m) => ({ action: `session_${m[1] ?? 'opened'}`, user: m[2], extra: [] }),
  ],
  [
    /^(FAILED SU|Successful su) for (\S{1,64}) by (\S{1,64})/,
    (m) => ({ action: 'su', outcome: m[1] === 'FAILED SU' ? 'failure' : 'success', targetUser: m[2], user: m[3], extra: [] }),
  ],
  [/^new user: name=([^,\s]{1,64})/, (m) => ({ action: 'user_created', targetUser: m[1], extra: [] })],
];

export function extractMessageFields(message: string): MessageFields | undefined {
  const msg = message.trimStart();
  for (const [pattern, apply] of RULES) {
    const m = pattern.exec(msg);
    if (m) return apply(m);
  }
  return sudo(msg);
}

/** Fills only what the event does not have yet: structured sources stay authoritative. */
export function fillFromMessage(event: NormalizedEvent, bag: FieldBag, message: string | undefined): void {
  if (!message) return;
  const found = extractMessageFields(message);
  if (!found) return;
  event.user ??= found.user || undefined;
  event.targetUser ??= found.targetUser || undefined;
  event.srcIp ??= found.srcIp;
  event.srcPort ??= found.srcPort;
  event.commandLine ??= found.commandLine;
  event.action ??= found.action;
  event.outcome ??= found.outcome;
  for (const [key, value] of found.extra) bag.set(key, value);
}

/**
 * Notification channels and routes, from the file named by VIGIL_NOTIFY_FILE (YAML or JSON) or the dev-safe
 * default: one `outbox` file channel that receives every event. Validated when the configuration loads, so
 * a typo stops the start with a message naming the file, line, key and problem instead of silently
 * dropping notifications. Secrets may be written as `{ env: NAME }` to keep them out of the file.
 */
import { z } from 'zod';
import { formatPath, issuePath, readYamlFile, type YamlProblem } from '../yaml-document.js';
import { RISK_LEVELS } from '../score/model.js';

export const NOTIFY_SEVERITIES = RISK_LEVELS;
export type NotifySeverity = (typeof NOTIFY_SEVERITIES)[number];

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** `*`, `case.*` or an exact event name such as `case.created`. */
const EVENT_PATTERN = /^(\*|[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?)$/;

const name = z.string().regex(NAME, 'a name of letters, digits, - and _ (up to 63), starting with a letter or digit');
const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without user:password');
const email = z.string().max(320).regex(/^[^\s@<>",;]+@[^\s@<>",;]+$/, 'must be an email address (local@domain)');

const channelSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('file'), name, directory: z.string().min(1).max(1024) }),
  z.strictObject({ type: z.literal('webhook'), name, url: httpUrl, secret: z.string().min(16, 'the signing secret needs at least 16 characters') }),
  z.strictObject({ type: z.literal('slack'), name, url: httpUrl }),
  z.strictObject({ type: z.literal('teams'), name, url: httpUrl }),
  z.strictObject({
    type: z.literal('telegram'),
    name,
    baseUrl: httpUrl.default('https://api.telegram.org'),
    botToken: z.string().regex(/^[A-Za-z0-9:_-]{10,200}$/, 'a bot token looks like 123456:ABC-...'),
    chatId: z.union([z.string().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{4,64})$/, 'a numeric chat id or @channelname'), z.number().int()]).transform(String),
  }),
  z.strictObject({
    type: z.literal('email'),
    name,
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535).default(587),
    /** tls: TLS from the first byte (465); starttls: upgrade required (587); none: plain text, for a local relay only. */
    security: z.enum(['tls', 'starttls', 'none']).default('starttls'),
    user: z.string().min(1).max(320).optional(),
    password: z.string().min(1).max(1024).optional(),
    from: email,
    to: z.array(email).min(1).max(100),
    rejectUnauthorized: z.boolean().default(true),
  }),
]);

const routeSchema = z.strictObject({
  events: z.array(z.string().regex(EVENT_PATTERN, 'an event name (case.created), a prefix with .* (case.*) or *')).min(1).default(['*']),
  minSeverity: z.enum(NOTIFY_SEVERITIES).optional(),
  channels: z.array(name).min(1),
});

const fileSchema = z.strictObject({
  channels: z.array(channelSchema).max(100),
  routes: z.array(routeSchema).max(1000),
});

export type ChannelConfig = z.infer<typeof channelSchema>;
export type ChannelType = ChannelConfig['type'];
export interface RouteConfig {
  events: string[];
  minSeverity: NotifySeverity | null;
  channels: string[];
}
export interface NotifyRouting {
  /** Where the configuration came from: the file, or `default`. */
  source: string;
  channels: ChannelConfig[];
  routes: RouteConfig[];
}

/** Raised for a bad notification file; the message names the file, line, key and problem. */
export class NotifyConfigError extends Error {
  override name = 'NotifyConfigError';
}

/** Without a file: JSON files in `outboxDir` for every event, no credentials and nothing sent anywhere. */
export function defaultRouting(outboxDir: string): NotifyRouting {
  return {
    source: 'default',
    channels: [{ type: 'file', name: 'outbox', directory: outboxDir }],
    routes: [{ events: ['*'], minSeverity: null, channels: ['outbox'] }],
  };
}

/**
 * Replaces every `{ env: NAME }` object with that variable's value, so secrets can stay out of the file.
 * An unset variable is an error at that key.
 */
function resolveEnv(value: unknown, env: Record<string, string | undefined>, path: Array<string | number>, problems: Array<{ path: Array<string | number>; message: string }>): unknown {
  if (Array.isArray(value)) return value.map((item, i) => resolveEnv(item, env, [...path, i], problems));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'env') {
    const ref = (value as { env: unknown }).env;
    if (typeof ref !== 'string' || !ENV_NAME.test(ref)) {
      problems.push({ path: [...path, 'env'], message: 'env must name an environment variable (letters, digits, _)' });
      return undefined;
    }
    const resolved = env[ref];
    if (resolved === undefined || resolved === '') {
      problems.push({ path, message: `environment variable ${ref} is not set` });
      return undefined;
    }
    return resolved;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnv(v, env, [...path, k], problems)]));
}

function fail(file: string, problems: ReadonlyArray<YamlProblem | { line: number | undefined; message: string }>): never {
  const lines = problems.map((p) => `${file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  throw new NotifyConfigError(`invalid notification configuration (VIGIL_NOTIFY_FILE):\n  ${lines.join('\n  ')}`);
}

/** A notification file is a few channels and routes; aliases and size are bounded like rule packs'. */
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_ALIAS_COUNT = 100;

/** Reads, resolves and validates a notification file; throws a NotifyConfigError listing every problem. */
export function loadNotifyFile(file: string, env: Record<string, string | undefined>): NotifyRouting {
  const read = readYamlFile(file, { maxBytes: MAX_FILE_BYTES, maxAliasCount: MAX_ALIAS_COUNT, kind: 'notification file' });
  if ('problems' in read) fail(file, read.problems);
  const parsed = read.doc;

  const envProblems: Array<{ path: Array<string | number>; message: string }> = [];
  const data = resolveEnv(parsed.data, env, [], envProblems);
  if (envProblems.length) fail(file, envProblems.map((p) => ({ line: parsed.lineOf(p.path), message: `${formatPath(p.path)}: ${p.message}` })));

  const result = fileSchema.safeParse(data);
  if (!result.success) {
    fail(
      file,
      result.error.issues.map((issue) => {
        const where = issuePath(issue);
        return { line: parsed.lineOf(where), message: `${formatPath(where) || '(top level)'}: ${issue.message}` };
      }),
    );
  }

  const { channels, routes } = result.data;
  const problems: Array<{ line: number | undefined; message: string }> = [];
  const names = new Set<string>();
  channels.forEach((channel, i) => {
    if (names.has(channel.name)) problems.push({ line: parsed.lineOf(['channels', i, 'name']), message: `channels[${i}].name: ${channel.name} is used by an earlier channel` });
    names.add(channel.name);
  });
  routes.forEach((route, i) =>
    route.channels.forEach((target, j) => {
      if (!names.has(target)) problems.push({ line: parsed.lineOf(['routes', i, 'channels', j]), message: `routes[${i}].channels[${j}]: no channel is named ${target}` });
    }),
  );
  if (problems.length) fail(file, problems);
  return { source: file, channels, routes: routes.map((r) => ({ events: r.events, minSeverity: r.minSeverity ?? null, channels: r.channels })) };
}

/**
 * The parameters of each action kind, validated with zod before anything is stored. Values come from
 * playbook templates filled with alert text, so they are checked strictly: addresses through ipaddr.js,
 * host and account names against a plain character set (they end up in commands and API paths), and
 * every text bounded. A failure is a ValidationError naming the kind, the parameter and the problem.
 */
import { z } from 'zod';
import { ValidationError } from '../../../errors.js';
import { parseIp } from '../../extract/index.js';
import { ActionKind } from '../types.js';
import { parseTtl } from './ttl.js';
import { RISK_LEVELS } from '../../score/model.js';


const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const ip = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const parsed = parseIp(value);
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value.slice(0, 80))} is not an IPv4 or IPv6 address` });
      return z.NEVER;
    }
    return parsed.value;
  });

/** Letters, digits, dot, dash, underscore: a DNS name or a NetBIOS name, or an address. */
const HOST_CHARS = /^[A-Za-z0-9._-]{1,253}$/;
const host = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const parsed = parseIp(value);
    if (parsed) return parsed.value;
    // `dc01.corp.example.` (with the DNS root's dot) is the same host as `dc01.corp.example`: one spelling
    // only, or the protected-host check and the duplicate check could be sidestepped by the trailing dot.
    const name = value.endsWith('.') ? value.slice(0, -1) : value;
    if (!HOST_CHARS.test(name) || name.startsWith('-') || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value.slice(0, 80))} is not a host name (letters, digits, '.', '-', '_'; at most 253) or an address` });
      return z.NEVER;
    }
    return name.toLowerCase();
  });

/** Account names as directories spell them: `alice`, `CORP\alice`, `alice@corp.example`, `WS01$`. No spaces or quotes. */
const USER_CHARS = /^[\p{L}\p{N}._@\\$-]{1,256}$/u;
const user = z
  .string()
  .trim()
  .refine((value) => USER_CHARS.test(value) && !value.startsWith('-'), {
    message: "must be an account name of letters, digits and . _ @ \\ $ - (at most 256, not starting with '-')",
  });

const ttl = z
  .union([z.string(), z.number()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    const ms = parseTtl(value);
    if (typeof ms === 'string') {
      ctx.addIssue({ code: 'custom', message: ms });
      return z.NEVER;
    }
    return ms;
  });

export const PARAM_SCHEMAS = {
  BLOCK_IP: z.strictObject({ ip, ttl }),
  UNBLOCK_IP: z.strictObject({ ip }),
  ISOLATE_HOST: z.strictObject({ host, ttl }),
  RELEASE_HOST: z.strictObject({ host }),
  DISABLE_USER: z.strictObject({ user }),
  RESET_PASSWORD: z.strictObject({ user }),
  CREATE_TASK: z.strictObject({
    title: text(200),
    description: z.string().max(20_000, 'must be at most 20000 characters').optional(),
    assignee: text(200).optional(),
    assigneeGroup: text(100).optional(),
  }),
  ESCALATE: z.strictObject({ group: text(100).optional(), reason: text(2000) }),
  ADD_TAG: z.strictObject({ tag: text(64) }),
  SET_SEVERITY: z.strictObject({ severity: z.string().trim().toUpperCase().pipe(z.enum(RISK_LEVELS)) }),
  NOTIFY: z.strictObject({ title: text(200), text: text(20_000), event: z.string().trim().max(100, 'must be at most 100 characters').regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'must be a dotted lower-case event name like playbook.notify (letters, digits, _)').optional() }),
} as const satisfies Record<ActionKind, z.ZodType>;

export type ParamsOf<K extends ActionKind> = z.output<(typeof PARAM_SCHEMAS)[K]>;
export type AnyParams = { [K in ActionKind]: ParamsOf<K> }[ActionKind];

/** Kinds that change something outside Vigil: the allowlist and the blast radius apply to them. */
export const CONTAINMENT_KINDS: readonly ActionKind[] = [ActionKind.BLOCK_IP, ActionKind.ISOLATE_HOST, ActionKind.DISABLE_USER, ActionKind.RESET_PASSWORD];
/** Kinds that undo a containment: never refused by the rails (undoing is always safe), never counted. */
export const UNDO_KINDS: readonly ActionKind[] = [ActionKind.UNBLOCK_IP, ActionKind.RELEASE_HOST];
/** Kinds that revert after a TTL, and the kind that undoes each. */
export const REVERSIBLE: Partial<Record<ActionKind, ActionKind>> = { BLOCK_IP: ActionKind.UNBLOCK_IP, ISOLATE_HOST: ActionKind.RELEASE_HOST };
/** Kinds that act on the case itself through the case services. */
export const CASE_KINDS: readonly ActionKind[] = [ActionKind.CREATE_TASK, ActionKind.ESCALATE, ActionKind.ADD_TAG, ActionKind.SET_SEVERITY, ActionKind.NOTIFY];

export const isSideEffecting = (kind: string) => CONTAINMENT_KINDS.includes(kind as ActionKind) || UNDO_KINDS.includes(kind as ActionKind);

export function parseKind(kind: string): ActionKind {
  if (!Object.values(ActionKind).includes(kind as ActionKind)) {
    throw new ValidationError('INVALID_VALUE', 'kind', `unknown action kind ${JSON.stringify(String(kind).slice(0, 40))}; one of ${Object.values(ActionKind).join(', ')}`);
  }
  return kind as ActionKind;
}

/** Validates and normalises the parameters of `kind`; a ValidationError lists every problem. */
export function validateParams<K extends ActionKind>(kind: K, params: unknown): ParamsOf<K> {
  const result = PARAM_SCHEMAS[kind].safeParse(params ?? {});
  if (result.success) return result.data as ParamsOf<K>;
  const issues = result.error.issues;
  const field = issues[0]?.path.length ? `params.${issues[0].path.join('.')}` : 'params';
  const problems = issues.map((i) => (i.path.length ? `${i.path.join('.')} ${describe(i)}` : describe(i))).join('; ');
  throw new ValidationError('INVALID_VALUE', field, `${kind}: ${problems}`);
}

function describe(issue: z.core.$ZodIssue): string {
  // zod 4 leaves the input out of issues unless asked; its message names what it received.
  if (issue.code === 'invalid_type') return issue.message.endsWith('received undefined') ? 'is required' : `must be a ${issue.expected}`;
  if (issue.code === 'unrecognized_keys') return `unknown parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  return issue.message;
}

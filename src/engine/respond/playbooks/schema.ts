/**
 * The shape of a playbook file, as zod schemas. Objects are strict so a misspelt key (`retires:`,
 * `onEror:`) is an error with its line instead of a silently ignored setting. Cross-field rules (unique
 * step names, jump targets, template paths) are checked after parsing, in validate.ts.
 */
import { z } from 'zod';
import { CATEGORIES, SEVERITIES } from '../../classify/types.js';
import { IocRole, IocType } from '../../types.js';
import { ActionKind } from '../types.js';

export const PLAYBOOK_LIMITS = {
  fileBytes: 256 * 1024,
  steps: 50,
  /** Items one forEach step expands to; the rest are reported, not acted on. */
  forEachItems: 25,
  stringChars: 2000,
  listItems: 100,
  paramDepth: 4,
  approvers: 10,
} as const;

export const TriggerEvent = { CASE_OPENED: 'CASE_OPENED', CASE_UPDATED: 'CASE_UPDATED', ALERT_SCORED: 'ALERT_SCORED' } as const;
export type TriggerEvent = (typeof TriggerEvent)[keyof typeof TriggerEvent];

const DURATION = /^(\d{1,9})(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s`, `500ms`, `2m`, `24h`, `7d` to milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

/** 30000 to `30s`, for messages. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function duration(min: number, max: number) {
  return z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration: write a number and a unit (ms, s, m, h, d), e.g. 30s` });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `${text} is outside ${formatDuration(min)}..${formatDuration(max)}` });
      return z.NEVER;
    }
    return ms;
  });
}

const text = z.string().min(1).max(PLAYBOOK_LIMITS.stringChars);
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(PLAYBOOK_LIMITS.listItems);

/** The condition language of triggers and steps: every key given must hold. */
export const conditionSchema = z.strictObject({
  minSeverity: z.enum(SEVERITIES).optional(),
  categories: list(z.enum(CATEGORIES)).optional(),
  minScore: z.number().int().min(0).max(100).optional(),
  /** Any of these tags on the case. */
  tags: list(text).optional(),
  /** Any IOC (observable) of one of these types. */
  iocTypes: list(z.enum(Object.values(IocType) as [IocType, ...IocType[]])).optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

const iocSelector = z.strictObject({
  types: list(z.enum(Object.values(IocType) as [IocType, ...IocType[]])).optional(),
  roles: list(z.enum(Object.values(IocRole) as [IocRole, ...IocRole[]])).optional(),
  /** Only observables that are indicators (isIoc), never context such as private addresses. */
  onlyIndicators: z.boolean().default(false),
});
export type IocSelector = z.infer<typeof iocSelector>;

/** `forEach: iocs` (every observable) or `forEach: { iocs: { types, roles, onlyIndicators } }`. */
const forEachSchema = z.union([z.literal('iocs').transform(() => ({ iocs: { onlyIndicators: false } as IocSelector })), z.strictObject({ iocs: iocSelector })]);

const paramValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string().max(PLAYBOOK_LIMITS.stringChars), z.number(), z.boolean(), z.null(), z.array(paramValue).max(PLAYBOOK_LIMITS.listItems), z.record(z.string().max(100), paramValue)]),
);

export const ApprovalRole = ['ANALYST', 'RESPONDER', 'ADMIN'] as const;

const approvalSchema = z.strictObject({
  role: z.enum(ApprovalRole).default('RESPONDER'),
  count: z.number().int().min(1).max(PLAYBOOK_LIMITS.approvers).default(1),
  expires: duration(1000, 7 * 86_400_000).default(3_600_000),
  default: z.enum(['APPROVE', 'REJECT']).default('REJECT'),
});

const STEP_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const stepSchema = z.strictObject({
  name: z.string().regex(STEP_NAME, 'a step name is 1-64 characters: a-z 0-9 _ - (lower case, starting with a letter or digit)'),
  description: text.optional(),
  action: z.enum(Object.values(ActionKind) as [ActionKind, ...ActionKind[]]),
  params: z.record(z.string().max(100), paramValue).default({}),
  when: conditionSchema.optional(),
  forEach: forEachSchema.optional(),
  timeout: duration(10, 3_600_000).default(60_000),
  retries: z
    .strictObject({ count: z.number().int().min(0).max(10), backoff: duration(1, 3_600_000).default(2000) })
    .default({ count: 0, backoff: 2000 }),
  /** `fail` (default) ends the run FAILED; `continue` goes on; a later step's name jumps there. */
  onError: z.string().min(1).max(64).default('fail'),
  /** Runs only when an earlier step of the run failed, was refused or rejected (an error handler). */
  onlyOnError: z.boolean().default(false),
  approval: approvalSchema.optional(),
});
export type StepSpec = z.infer<typeof stepSchema>;

export const playbookSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a playbook name is 1-64 characters: a-z 0-9 - (lower case)'),
  description: text,
  enabled: z.boolean().default(true),
  trigger: z.strictObject({
    on: list(z.enum(Object.values(TriggerEvent) as [TriggerEvent, ...TriggerEvent[]])).default([TriggerEvent.CASE_OPENED]),
    when: conditionSchema.default({}),
  }),
  steps: z.array(z.unknown()).min(1, 'a playbook needs at least one step').max(PLAYBOOK_LIMITS.steps),
});
export type PlaybookHeader = z.infer<typeof playbookSchema>;

export interface PlaybookSpec extends Omit<PlaybookHeader, 'steps'> {
  steps: StepSpec[];
}

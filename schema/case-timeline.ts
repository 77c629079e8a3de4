/**
 * Case.timeline: the case's audit trail (audit_log rows about it), newest first, each with a one-line
 * summary. Newest first so that `first` keeps the latest activity of a long-running case.
 */
import type { CaseAuditRow } from '../src/store/task-store.js';
import { builder } from './builder.js';
import { CaseRef } from './refs.js';

const MAX_TIMELINE = 500;

type Entry = CaseAuditRow & { beforeValue: Record<string, unknown> | null; afterValue: Record<string, unknown> | null };
type Json = Record<string, unknown>;

const str = (value: unknown): string => (value == null ? 'none' : String(value));
const oneLine = (text: unknown, max = 120): string => {
  const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
};

/** Field changes as `severity HIGH -> LOW, title "New title"` (long text fields are named, not quoted). */
function fieldChanges(before: Json, after: Json, skip: readonly string[] = []): string {
  return Object.keys(after)
    .filter((k) => !skip.includes(k))
    .map((k) => (k === 'description' || k === 'body' ? k : k === 'title' ? `title "${oneLine(after[k], 80)}"` : `${k} ${str(before[k])} -> ${str(after[k])}`))
    .join(', ');
}

/** One line for people describing an audit row; unknown actions fall back to the action name. */
export function summarizeAudit(action: string, before: Json | null, after: Json | null, taskTitle: (taskId: string) => string | undefined): string {
  const b = before ?? {};
  const a = after ?? {};
  const task = () => {
    const title = typeof a.taskId === 'string' ? taskTitle(a.taskId) : undefined;
    return title ? `task "${oneLine(title, 80)}"` : `task ${str(a.taskId)}`;
  };
  switch (action) {
    case 'case.create':
      return `opened: ${oneLine(a.title)}`;
    case 'case.status':
      return `status ${str(b.status)} -> ${str(a.status)}${a.resolution ? ` as ${str(a.resolution)}` : ''}${a.comment ? `: ${oneLine(a.comment)}` : ''}`;
    case 'case.reopen':
      return `reopened (${str(b.status)} -> ${str(a.status)}): ${oneLine(a.reason)}`;
    case 'case.update':
      return `changed ${fieldChanges(b, a)}`;
    case 'case.assign':
      return a.assignee ? `assigned to ${str(a.assignee)}${b.assignee ? ` (was ${str(b.assignee)})` : ''}` : `unassigned (was ${str(b.assignee)})`;
    case 'case.tags': {
      const had = Array.isArray(b.tags) ? (b.tags as string[]) : [];
      const has = Array.isArray(a.tags) ? (a.tags as string[]) : [];
      const added = has.filter((t) => !had.includes(t));
      const removed = had.filter((t) => !has.includes(t));
      return [added.length ? `tagged ${added.join(', ')}` : '', removed.length ? `untagged ${removed.join(', ')}` : ''].filter(Boolean).join('; ') || 'tags unchanged';
    }
    case 'case.observable':
      return `observable ${str(a.iocId)} marked as ${a.isIoc ? 'an IOC' : 'context'}`;
    case 'case.alert.add':
      return `alert ${str(a.alertId)} added (${str(a.linkedBy)}): ${oneLine(a.reason)}`;
    case 'case.comment':
      return `commented: ${oneLine(a.body)}`;
    case 'task.create':
      return `${task()} added${a.assignee ? ` for ${str(a.assignee)}` : a.assigneeGroup ? ` for ${str(a.assigneeGroup)}` : ''}`;
    case 'task.update':
      return `${task()} changed: ${fieldChanges(b, a, ['taskId'])}`;
    case 'task.log':
      return `log on ${task()}: ${oneLine(a.message)}`;
    case 'case.merge':
      return Array.isArray(a.sourceCaseIds)
        ? `merged ${a.sourceCaseIds.length} case(s) in (${str(b.alertCount)} -> ${str(a.alertCount)} alerts, operation ${str(a.operationId)})`
        : `merged into ${str(a.mergedInto)} (operation ${str(a.operationId)})`;
    case 'case.split':
      return b.status === undefined
        ? `opened by splitting ${Array.isArray(a.alertIds) ? a.alertIds.length : '?'} alert(s) off ${str(a.sourceCaseId)} (operation ${str(a.operationId)})`
        : `split ${Array.isArray(a.alertIds) ? a.alertIds.length : '?'} alert(s) off into ${str(a.createdCaseId)} (operation ${str(a.operationId)})`;
    case 'case.move':
      return `alert ${str(a.alertId)} moved from ${str(a.fromCaseId)} to ${str(a.toCaseId)} (operation ${str(a.operationId)})`;
    case 'case.undo':
      return `${str(a.kind).toLowerCase()} ${str(a.operationId)} undone (${str(b.alertCount)} -> ${str(a.alertCount)} alerts)`;
    case 'case.escalate':
      return `raised to ${str(a.severity)} ${str(a.score)}: alert ${str(a.alertId)} was rescored on new evidence`;
    default:
      return action;
  }
}

const TimelineEntryRef = builder.objectRef<Entry>('CaseTimelineEntry').implement({
  description: "One change in a case's audit trail: who did what, when, and the fields before and after.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Audit record id (aud_...).' }),
    actor: t.exposeString('actor', { description: 'Who made the change (an API key name, or `system:correlator`).' }),
    action: t.exposeString('action', { description: 'What kind of change: `case.create`, `case.status`, `case.reopen`, `case.update`, `case.assign`, `case.tags`, `case.comment`, `task.create`, `task.update`, `task.log`, ...' }),
    summary: t.string({
      description: 'One line for people.',
      resolve: (e, _args, ctx) => summarizeAudit(e.action, e.beforeValue, e.afterValue, (id) => ctx.services.taskStore.getTask(id)?.title),
    }),
    before: t.field({ type: 'JSON', nullable: true, description: 'The changed fields before (null when nothing existed before, e.g. a comment).', resolve: (e) => e.beforeValue }),
    after: t.field({ type: 'JSON', nullable: true, description: 'The changed fields after.', resolve: (e) => e.afterValue }),
    createdAt: t.field({ type: 'DateTime', description: 'When.', resolve: (e) => e.createdAt }),
  }),
});

const parse = (text: string | null) => (text == null ? null : (JSON.parse(text) as Json));

builder.objectField(CaseRef, 'timeline', (t) =>
  t.field({
    type: [TimelineEntryRef],
    description: `What happened to the case, newest first, from its audit trail: status changes, edits, assignments, tags, alerts joining, tasks, task logs and comments (at most ${MAX_TIMELINE}).`,
    args: { first: t.arg.int({ defaultValue: 100, description: `How many of the newest entries, up to ${MAX_TIMELINE}.` }) },
    resolve: (c, args, ctx) =>
      ctx.services.taskStore
        .caseAudit(c.id, Math.max(0, Math.min(args.first ?? 100, MAX_TIMELINE)))
        .map((row) => ({ ...row, beforeValue: parse(row.before), afterValue: parse(row.after) })),
  }),
);

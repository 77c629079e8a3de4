/**
 * Notifications: the outbox rows with their delivery status, the configured channels (never their URLs
 * or secrets), `redeliverNotification`, and `Case.notifications`.
 */
import type { ChannelInfo } from '../src/engine/notify/index.js';
import type { RouteConfig } from '../src/engine/notify/config.js';
import type { NotificationFilter } from '../src/store/notification-store.js';
import type { NotificationRecord } from '../src/store/records.js';
import { builder } from './builder.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { resolvePage } from './pagination.js';
import { CaseRef } from './refs.js';
import { RiskLevelEnum } from './score.js';

export const NotificationStatusEnum = builder.enumType('NotificationStatus', {
  description: 'Where a notification is in its delivery.',
  values: {
    PENDING: { description: 'Waiting for its first or next delivery attempt (see `nextAttemptAt`).' },
    DELIVERED: { description: 'The channel accepted it.' },
    DEAD: { description: 'Every attempt failed (see `lastError`); `redeliverNotification` tries again.' },
  } as const,
});

export const NotificationChannelTypeEnum = builder.enumType('NotificationChannelType', {
  description: 'How a channel delivers.',
  values: {
    file: { value: 'file', description: 'A JSON file per notification in a local folder (the dev-safe default).' },
    webhook: { value: 'webhook', description: 'An HTTP POST of JSON, signed with HMAC-SHA256 (`X-Vigil-Signature`).' },
    slack: { value: 'slack', description: 'A Slack incoming webhook (Block Kit).' },
    teams: { value: 'teams', description: 'A Microsoft Teams webhook (an Adaptive Card).' },
    telegram: { value: 'telegram', description: 'A Telegram bot message (Bot API sendMessage).' },
    email: { value: 'email', description: 'An email over SMTP.' },
  } as const,
});

export const NotificationRef = builder.objectRef<NotificationRecord>('Notification');

builder.node(NotificationRef, {
  description: 'A message for one channel, written to the outbox in the same transaction as the change it announces, then delivered with retries.',
  id: { resolve: (n) => n.id },
  loadOne: (id, ctx) => ctx.services.notifications.get(id),
  fields: (t) => ({
    channel: t.exposeString('channel', { description: 'The configured channel name it goes to.' }),
    event: t.exposeString('event', { description: 'What happened, e.g. `case.created`, `case.status`, `action.executed`.' }),
    severity: t.exposeString('severity', { nullable: true, description: 'Severity it was routed by (LOW, MEDIUM, HIGH, CRITICAL), if any.' }),
    case: t.field({ type: CaseRef, nullable: true, description: 'The case it is about, if any.', resolve: (n, _args, ctx) => (n.caseId ? (ctx.services.cases.get(n.caseId) ?? null) : null) }),
    payload: t.field({ type: 'JSON', description: 'What channels format: `title`, `text` and `facts`.', resolve: (n) => JSON.parse(n.payload) as unknown }),
    idempotencyKey: t.exposeString('idempotencyKey', { description: 'Sent with every attempt (`Idempotency-Key`, email Message-ID) so receivers can drop repeats.' }),
    status: t.field({ type: NotificationStatusEnum, description: 'Delivery status.', resolve: (n) => n.status as never }),
    attempts: t.exposeInt('attempts', { description: 'Delivery attempts made so far (since the last redelivery).' }),
    nextAttemptAt: t.field({ type: 'DateTime', description: 'PENDING: when the next attempt is due (while an attempt runs, when its claim lapses); DELIVERED or DEAD: when it was settled.', resolve: (n) => n.nextAttemptAt }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the latest failed attempt failed (secrets blanked out).' }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was written to the outbox.', resolve: (n) => n.createdAt }),
    deliveredAt: t.field({ type: 'DateTime', nullable: true, description: 'When the channel accepted it.', resolve: (n) => n.deliveredAt }),
  }),
});

const NotificationRouteRef = builder.objectRef<RouteConfig>('NotificationRoute').implement({
  description: 'A routing rule: events (and a minimum severity) that go to channels.',
  fields: (t) => ({
    events: t.exposeStringList('events', { description: 'Event names or patterns: `*`, `case.*`, `case.created`.' }),
    minSeverity: t.field({ type: RiskLevelEnum, nullable: true, description: 'Lowest severity it takes; null: every notification, with or without a severity.', resolve: (r) => r.minSeverity as never }),
    channels: t.exposeStringList('channels', { description: 'The channel names it sends to.' }),
  }),
});

const NotificationChannelRef = builder.objectRef<ChannelInfo>('NotificationChannel').implement({
  description: 'A configured channel. Its URL, token and secret are never shown.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name routes and notifications use.' }),
    type: t.field({ type: NotificationChannelTypeEnum, description: 'How it delivers.', resolve: (c) => c.type }),
    routes: t.field({ type: [NotificationRouteRef], description: 'The routes that send to it.', resolve: (c) => c.routes }),
  }),
});

const NotificationFilterInput = builder.inputType('NotificationFilter', {
  description: 'Conditions on notifications; all given ones must hold.',
  fields: (t) => ({
    status: t.field({ type: NotificationStatusEnum, required: false, description: 'Only this delivery status.' }),
    channel: t.string({ required: false, description: 'Only this channel name.' }),
    event: t.string({ required: false, description: 'Only this event name, e.g. `case.created`.' }),
    caseId: t.id({ required: false, description: 'Only about this case (cas_...).' }),
  }),
});

type FilterArg = { status?: string | null; channel?: string | null; event?: string | null; caseId?: string | number | null } | null | undefined;
const filterOf = (f: FilterArg): NotificationFilter => ({ status: f?.status, channel: f?.channel, event: f?.event, caseId: f?.caseId == null ? null : String(f.caseId) });

builder.queryFields((t) => ({
  notifications: t.connection({
    type: NotificationRef,
    description: 'Outbox notifications with their delivery status, newest first.',
    args: { filter: t.arg({ type: NotificationFilterInput, required: false, description: 'Conditions.' }) },
    resolve: (_root, args, ctx) => resolvePage(args, ctx.services.config.maxPage, (page) => ctx.services.notifications.store.list(filterOf(args.filter), page)),
  }),
  notificationChannels: t.field({
    type: [NotificationChannelRef],
    description: 'The configured channels and the routes that reach each (from VIGIL_NOTIFY_FILE, or the default `outbox`).',
    resolve: (_root, _args, ctx) => ctx.services.notifications.channels(),
  }),
}));

builder.objectFields(CaseRef, (t) => ({
  notifications: t.connection({
    type: NotificationRef,
    description: 'Notifications about this case, newest first.',
    args: { filter: t.arg({ type: NotificationFilterInput, required: false, description: 'Conditions (its `caseId` is ignored).' }) },
    resolve: (c, args, ctx) => resolvePage(args, ctx.services.config.maxPage, (page) => ctx.services.notifications.store.list({ ...filterOf(args.filter), caseId: c.id }, page)),
  }),
}));

const RedeliverNotificationSuccess = builder.objectRef<{ notification: NotificationRecord }>('RedeliverNotificationSuccess').implement({
  description: 'The notification is PENDING again, due now, with a fresh set of attempts and the same idempotency key.',
  fields: (t) => ({ notification: t.field({ type: NotificationRef, description: 'The notification as it is now.', resolve: (r) => r.notification }) }),
});

builder.mutationFields((t) => ({
  redeliverNotification: t.field({
    type: RedeliverNotificationSuccess,
    description: 'Sends a DELIVERED or DEAD notification again (audited). A PENDING one is a ConflictError: it is already on its way.',
    authScopes: { role: 'RESPONDER' },
    errors: { types: [ValidationError, NotFoundError, ConflictError], directResult: true, union: { name: 'RedeliverNotificationResult' } },
    args: { id: t.arg.id({ required: true, description: 'Notification id (ntf_...).' }) },
    resolve: (_root, args, ctx) => ({ notification: ctx.services.notifications.redeliver(String(args.id), ctx.principal.name) }),
  }),
}));

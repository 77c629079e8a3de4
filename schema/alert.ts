/** Alerts: the Alert type, its relations, and the alert queries. */
import { builder } from './builder.js';
import { AlertFormatEnum, AlertStatusEnum, IocRoleEnum, PayloadKindEnum } from './enums.js';
import { NormalizedEventRef } from './normalized-event.js';
import { resolvePage } from './pagination.js';
import { AlertOccurrenceRef, AlertRef, IocRef, PipelineEventRef, PipelineJobRef } from './refs.js';
import type { Classification } from '../src/engine/classify/classification.js';
import type { NormalizedEvent } from '../src/engine/types.js';
import { CategoryEnum, ClassificationRef } from './classification.js';
import type { IocRecord } from '../src/store/records.js';

const MAX_OCCURRENCES_LISTED = 100;

builder.node(AlertRef, {
  description: 'A submitted alert and what the pipeline made of it. Repeats are counted, not stored again.',
  id: { resolve: (a) => a.id },
  loadOne: (id, ctx) => ctx.services.alerts.getAlert(id),
  fields: (t) => ({
    source: t.exposeString('source', { description: 'Who sent it (the `source` given at submission; `api` by default).' }),
    sourceRef: t.exposeString('sourceRef', { nullable: true, description: "The sender's own id for it, if given." }),
    status: t.field({ type: AlertStatusEnum, description: 'Where it is in the pipeline.', resolve: (a) => a.status as never }),
    payloadKind: t.field({ type: PayloadKindEnum, description: 'Raw log line or JSON alert.', resolve: (a) => a.payloadKind as never }),
    payload: t.exposeString('payload', { description: 'The submitted text, verbatim (a JSON alert with its keys sorted).' }),
    fingerprint: t.exposeString('fingerprint', { description: 'SHA-256 of the content, used to recognise repeats.' }),
    format: t.field({ type: AlertFormatEnum, nullable: true, description: 'Recognised format; null until normalized.', resolve: (a) => (a.format as never) ?? null }),
    message: t.exposeString('message', { nullable: true, description: 'Human-readable text; null until normalized.' }),
    normalized: t.field({
      type: NormalizedEventRef,
      nullable: true,
      description: 'The event in common fields; null until normalized.',
      resolve: (a) => (a.normalized ? (JSON.parse(a.normalized) as NormalizedEvent) : null),
    }),
    eventTime: t.field({ type: 'DateTime', nullable: true, description: 'When the event happened, per its source.', resolve: (a) => a.eventTime }),
    category: t.field({ type: CategoryEnum, nullable: true, description: 'Threat category; null until classified.', resolve: (a) => (a.category as never) ?? null }),
    classification: t.field({
      type: ClassificationRef,
      nullable: true,
      description: 'Category, confidence, explanation and ATT&CK techniques; null until classified.',
      resolve: (a) => (a.classification ? (JSON.parse(a.classification) as Classification) : null),
    }),
    occurrenceCount: t.exposeInt('occurrenceCount', { description: 'How many times it was submitted (1 for the first).' }),
    occurrences: t.field({
      type: [AlertOccurrenceRef],
      description: `Its repeats, newest first (at most ${MAX_OCCURRENCES_LISTED}).`,
      args: { first: t.arg.int({ defaultValue: 20, description: `How many, up to ${MAX_OCCURRENCES_LISTED}.` }) },
      resolve: (a, args, ctx) => ctx.services.alerts.occurrences(a.id, Math.max(0, Math.min(args.first ?? 20, MAX_OCCURRENCES_LISTED))),
    }),
    receivedAt: t.field({ type: 'DateTime', description: 'When it was first received.', resolve: (a) => a.receivedAt }),
    lastSeenAt: t.field({ type: 'DateTime', description: 'When it was last received.', resolve: (a) => a.lastSeenAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (a) => a.updatedAt }),
    iocs: t.field({
      type: [AlertIocRef],
      description: 'Indicators found in it, with the role each plays.',
      resolve: async (a, _args, ctx) => (await ctx.loaders.iocsOfAlert.load(a.id)).map(({ role, ...ioc }) => ({ role, ioc })),
    }),
    events: t.field({
      type: [PipelineEventRef],
      description: 'Its stage events, oldest first.',
      resolve: (a, _args, ctx) => ctx.services.alertQueries.eventsOf(a.id).map((e) => ({ ...e, source: a.source })),
    }),
    job: t.field({
      type: PipelineJobRef,
      nullable: true,
      description: 'Its latest pipeline job.',
      resolve: (a, _args, ctx) => ctx.services.alerts.latestJob(a.id) ?? null,
    }),
  }),
});

const AlertIocRef = builder.objectRef<{ role: string; ioc: IocRecord }>('AlertIoc').implement({
  description: 'An indicator in an alert, with its role there.',
  fields: (t) => ({
    role: t.field({ type: IocRoleEnum, description: 'The part it plays in the alert.', resolve: (l) => l.role as never }),
    ioc: t.field({ type: IocRef, description: 'The indicator.', resolve: (l) => l.ioc }),
  }),
});

AlertOccurrenceRef.implement({
  description: 'A repeat submission of an alert.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Occurrence id.' }),
    matchedBy: t.exposeString('matchedBy', { description: 'SOURCE_REF or FINGERPRINT: how it was recognised as a repeat.' }),
    sourceRef: t.exposeString('sourceRef', { nullable: true, description: "The sender's id on this submission." }),
    receivedAt: t.field({ type: 'DateTime', description: 'When it was received.', resolve: (o) => o.receivedAt }),
  }),
});

export const AlertFilterInput = builder.inputType('AlertFilter', {
  description: 'Narrows an alert list; all given conditions must hold.',
  fields: (t) => ({
    status: t.field({ type: [AlertStatusEnum], required: false, description: 'Any of these statuses.' }),
    category: t.field({ type: [CategoryEnum], required: false, description: 'Any of these categories.' }),
    source: t.stringList({ required: false, description: 'Any of these sources.' }),
    receivedAfter: t.field({ type: 'DateTime', required: false, description: 'Received at or after.' }),
    receivedBefore: t.field({ type: 'DateTime', required: false, description: 'Received at or before.' }),
    text: t.string({ required: false, description: 'Case-insensitive substring of the message or payload.' }),
  }),
});

builder.queryFields((t) => ({
  alert: t.field({
    type: AlertRef,
    nullable: true,
    description: 'One alert by id.',
    args: { id: t.arg.id({ required: true, description: 'Alert id (alt_...).' }) },
    resolve: (_root, args, ctx) => ctx.services.alerts.getAlert(String(args.id)) ?? null,
  }),
  alerts: t.connection({
    type: AlertRef,
    description: 'Alerts, newest first.',
    args: { filter: t.arg({ type: AlertFilterInput, required: false, description: 'Conditions.' }) },
    resolve: (_root, args, ctx) => {
      const f = args.filter ?? {};
      const filter = { statuses: f.status, categories: f.category, sources: f.source, receivedAfter: f.receivedAfter, receivedBefore: f.receivedBefore, text: f.text };
      return resolvePage(args, ctx.services.config.maxPage, (page) => ctx.services.alertQueries.list(filter, page));
    },
  }),
}));

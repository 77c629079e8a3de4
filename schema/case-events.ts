/** Case events and the live subscriptions to them. */
import { GraphQLError } from 'graphql';
import { matchesCaseFilter } from '../src/engine/cases/case-filter.js';
import { ALL, filtered, replayThenLive } from '../src/events.js';
import { pagedEvents } from '../src/store/case-queries.js';
import { builder } from './builder.js';
import { CaseEventKindEnum } from './case-enums.js';
import { CaseFilterInput, caseFilterOf } from './case.js';
import { CaseEventRef, CaseRef } from './refs.js';

const MAX_EVENTS_LISTED = 1000;

CaseEventRef.implement({
  description: 'Something that happened to a case. Stored, append-only, ordered by `seq`.',
  fields: (t) => ({
    seq: t.exposeInt('seq', { description: 'Sequence number: orders case events and lets a client resume with `afterSeq`.' }),
    caseId: t.exposeID('caseId', { description: 'The case.' }),
    kind: t.field({ type: CaseEventKindEnum, description: 'What happened.', resolve: (e) => e.kind as never }),
    actor: t.exposeString('actor', { description: 'Who did it (`system:correlator` for correlation).' }),
    summary: t.exposeString('summary', { description: 'One line for people.' }),
    detail: t.field({ type: 'JSON', nullable: true, description: 'Kind-specific facts (alert id, status before and after, ...).', resolve: (e) => (e.detail ? JSON.parse(e.detail) : null) }),
    createdAt: t.field({ type: 'DateTime', description: 'When it happened.', resolve: (e) => e.createdAt }),
    case: t.field({ type: CaseRef, nullable: true, description: 'The case, as it is now.', resolve: (e, _args, ctx) => ctx.loaders.caseById.load(e.caseId) }),
  }),
});

builder.objectField(CaseRef, 'events', (t) =>
  t.field({
    type: [CaseEventRef],
    description: `Its events, oldest first: \`first\` of them (at most ${MAX_EVENTS_LISTED}) after \`afterSeq\`; page on with the last one's \`seq\`.`,
    args: {
      first: t.arg.int({ defaultValue: 100, description: `How many, up to ${MAX_EVENTS_LISTED}.` }),
      afterSeq: t.arg.int({ defaultValue: 0, description: 'Only events after this sequence number.' }),
    },
    resolve: (c, args, ctx) => ctx.services.caseQueries.eventsAfter(c.id, args.afterSeq ?? 0, Math.max(0, Math.min(args.first ?? 100, MAX_EVENTS_LISTED))),
  }),
);

builder.subscriptionFields((t) => ({
  caseEvents: t.field({
    type: CaseEventRef,
    description: "A case's events: first the stored ones (after `afterSeq` when given), then live ones as they happen, each once and in order.",
    args: {
      caseId: t.arg.id({ required: true, description: 'Case id.' }),
      afterSeq: t.arg.int({ required: false, description: 'Replay only events after this sequence number (to resume).' }),
    },
    subscribe: (_root, args, ctx) => {
      const caseId = String(args.caseId);
      const live = ctx.services.caseEvents.subscribe(caseId);
      if (!ctx.services.cases.get(caseId)) {
        void live.return();
        throw new GraphQLError(`no case with id ${caseId}`, { extensions: { code: 'NOT_FOUND' } });
      }
      return replayThenLive(live, () => pagedEvents((after, limit) => ctx.services.caseQueries.eventsAfter(caseId, after, limit), args.afterSeq ?? 0));
    },
    resolve: (event) => event,
  }),
  caseActivity: t.field({
    type: CaseEventRef,
    description: 'Events of every case matching `filter` (checked against the case as it is when the event is delivered), live; with `afterSeq`, every stored one after it first, read page by page.',
    args: {
      filter: t.arg({ type: CaseFilterInput, required: false, description: 'Which cases.' }),
      kinds: t.arg({ type: [CaseEventKindEnum], required: false, description: 'Only these kinds of event.' }),
      afterSeq: t.arg.int({ required: false, description: 'Replay stored events after this sequence number before going live (to resume).' }),
    },
    subscribe: (_root, args, ctx) => {
      const filter = caseFilterOf(args.filter);
      const kinds = args.kinds?.length ? new Set<string>(args.kinds) : undefined;
      const live = ctx.services.caseEvents.subscribe(ALL);
      const events = args.afterSeq == null ? live : replayThenLive(live, () => pagedEvents((after, limit) => ctx.services.caseQueries.activityAfter(after, limit), args.afterSeq!));
      return filtered(events, (e) => {
        if (kinds && !kinds.has(e.kind)) return false;
        const c = ctx.services.cases.get(e.caseId);
        return c !== undefined && matchesCaseFilter(c, filter);
      });
    },
    resolve: (event) => event,
  }),
}));

/** Pipeline jobs and stage events, and the live subscriptions to them. */
import { GraphQLError } from 'graphql';
import type { StageEvent } from '../src/engine/pipeline/stages.js';
import { ALL, filtered, replayThenLive } from '../src/events.js';
import { builder } from './builder.js';
import { JobStatusEnum, PipelineStageEnum, StageStatusEnum } from './enums.js';
import { AlertRef, PipelineEventRef, PipelineJobRef } from './refs.js';

builder.node(PipelineJobRef, {
  description: 'A durable run of the pipeline over one alert; it resumes after a restart.',
  id: { resolve: (j) => j.id },
  loadOne: (id, ctx) => ctx.services.alerts.getJob(id),
  fields: (t) => ({
    status: t.field({ type: JobStatusEnum, description: 'Its state.', resolve: (j) => j.status as never }),
    stage: t.exposeString('stage', { description: 'The next stage to run, or DONE.' }),
    attempts: t.exposeInt('attempts', { description: 'How many times it was started (more than 1 after a restart).' }),
    error: t.exposeString('error', { nullable: true, description: 'Why it FAILED: the stage and its error.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (j) => j.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (j) => j.updatedAt }),
    alert: t.field({ type: AlertRef, description: 'The alert it runs on.', resolve: (j, _args, ctx) => ctx.services.alerts.getAlert(j.alertId)! }),
  }),
});

PipelineEventRef.implement({
  description: 'One stage finishing for one alert. Stored, append-only, ordered by `seq`.',
  fields: (t) => ({
    seq: t.exposeInt('seq', { description: 'Global sequence number: orders events and lets a client resume.' }),
    alertId: t.exposeID('alertId', { description: 'The alert.' }),
    jobId: t.exposeID('jobId', { nullable: true, description: 'The job that ran the stage (null for a repeat submission).' }),
    source: t.exposeString('source', { description: "The alert's source." }),
    stage: t.field({ type: PipelineStageEnum, description: 'Which stage.', resolve: (e) => e.stage as never }),
    status: t.field({ type: StageStatusEnum, description: 'How it ended.', resolve: (e) => e.status as never }),
    durationMs: t.exposeInt('durationMs', { description: 'How long the stage took.' }),
    summary: t.exposeString('summary', { description: 'One line for people.' }),
    detail: t.field({ type: 'JSON', nullable: true, description: 'Stage-specific facts (counts, found values).', resolve: (e) => (e.detail ? JSON.parse(e.detail) : null) }),
    createdAt: t.field({ type: 'DateTime', description: 'When the stage finished.', resolve: (e) => e.createdAt }),
    alert: t.field({ type: AlertRef, nullable: true, description: 'The alert, as it is now.', resolve: (e, _args, ctx) => ctx.services.alerts.getAlert(e.alertId) ?? null }),
  }),
});

const PipelineActivityFilter = builder.inputType('PipelineActivityFilter', {
  description: 'Which stage events a dashboard wants; all given conditions must hold.',
  fields: (t) => ({
    stages: t.field({ type: [PipelineStageEnum], required: false, description: 'Any of these stages.' }),
    statuses: t.field({ type: [StageStatusEnum], required: false, description: 'Any of these outcomes.' }),
    sources: t.stringList({ required: false, description: 'Alerts from any of these sources.' }),
  }),
});

builder.subscriptionFields((t) => ({
  pipelineEvents: t.field({
    type: PipelineEventRef,
    description: "An alert's stage events: first every stored one, then live ones as they happen, each once and in order.",
    args: { alertId: t.arg.id({ required: true, description: 'Alert id.' }) },
    subscribe: (_root, args, ctx) => {
      const alertId = String(args.alertId);
      const live = ctx.services.stageEvents.subscribe(alertId);
      const alert = ctx.services.alerts.getAlert(alertId);
      if (!alert) {
        void live.return();
        throw new GraphQLError(`no alert with id ${alertId}`, { extensions: { code: 'NOT_FOUND' } });
      }
      return replayThenLive(live, () => ctx.services.alertQueries.eventsOf(alertId).map((e) => ({ ...e, source: alert.source })));
    },
    resolve: (event) => event,
  }),
  pipelineActivity: t.field({
    type: PipelineEventRef,
    description: 'Every stage event of every alert, live, for dashboards.',
    args: { filter: t.arg({ type: PipelineActivityFilter, required: false, description: 'Conditions.' }) },
    subscribe: (_root, args, ctx) => {
      const f = args.filter ?? {};
      const stages = f.stages?.length ? new Set<string>(f.stages) : undefined;
      const statuses = f.statuses?.length ? new Set<string>(f.statuses) : undefined;
      const sources = f.sources?.length ? new Set(f.sources) : undefined;
      return filtered(ctx.services.stageEvents.subscribe(ALL), (e) => (!stages || stages.has(e.stage)) && (!statuses || statuses.has(e.status)) && (!sources || sources.has(e.source)));
    },
    resolve: (event) => event,
  }),
}));

/** Submitting and reprocessing alerts. */
import type { IngestOutcome } from '../src/engine/ingest/ingest.js';
import type { AlertRecord, JobRecord } from '../src/store/records.js';
import { builder } from './builder.js';
import { ConflictError, NotFoundError, ValidationCodeEnum, ValidationError } from './errors.js';
import { AlertRef, PipelineJobRef } from './refs.js';

type Accepted = Extract<IngestOutcome, { ok: true }>;

const AlertInput = builder.inputType('AlertInput', {
  description: 'One alert: exactly one of `log` or `alert`.',
  fields: (t) => ({
    log: t.string({ required: false, description: 'A raw log line (syslog, CEF, or any text).' }),
    alert: t.field({ type: 'JSON', required: false, description: 'A structured alert: a JSON object, or a string holding one (Wazuh, ECS, generic).' }),
    source: t.string({ required: false, description: 'Who is sending it, e.g. `wazuh` or `fw-edge-1` (default `api`).' }),
    sourceRef: t.string({
      required: false,
      description: "The sender's own id for it. With one, a repeat is recognised by (source, sourceRef); without, by content within the dedup window.",
    }),
  }),
});

const SubmitAlertSuccess = builder.objectRef<{ alert: AlertRecord; duplicate: boolean; job: JobRecord | null }>('SubmitAlertSuccess').implement({
  description: 'The alert is stored; its pipeline stages follow as events.',
  fields: (t) => ({
    alert: t.field({ type: AlertRef, description: 'The stored alert (the earlier one, for a repeat).', resolve: (r) => r.alert }),
    duplicate: t.exposeBoolean('duplicate', { description: 'True when it was a repeat, counted as an occurrence of an earlier alert.' }),
    job: t.field({ type: PipelineJobRef, nullable: true, description: 'The pipeline job started for it; null for a repeat.', resolve: (r) => r.job }),
  }),
});

const AcceptedAlert = builder.objectRef<Accepted>('AcceptedAlert').implement({
  description: 'A batch item that was stored.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Its position in the submitted list, from 0.' }),
    alert: t.field({ type: AlertRef, description: 'The stored alert.', resolve: (r) => r.alert }),
    duplicate: t.exposeBoolean('duplicate', { description: 'True when it was a repeat of an earlier alert.' }),
  }),
});

type Rejected = Extract<IngestOutcome, { ok: false }>;

// Flat rather than holding a ValidationError: GraphQL executors treat a field value that is an Error as a throw.
const RejectedAlert = builder.objectRef<Rejected>('RejectedAlert').implement({
  description: 'A batch item that was refused; nothing was stored for it.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Its position in the submitted list, from 0.' }),
    code: t.field({ type: ValidationCodeEnum, description: 'Machine-readable reason.', resolve: (r) => r.problem.code }),
    field: t.string({ description: 'The input field at fault.', resolve: (r) => r.problem.field }),
    message: t.string({ description: 'What went wrong, for people.', resolve: (r) => r.problem.message }),
  }),
});

const SubmitAlertsSuccess = builder.objectRef<{ outcomes: IngestOutcome[] }>('SubmitAlertsSuccess').implement({
  description: 'The batch was processed: good items are stored even when others were refused.',
  fields: (t) => ({
    accepted: t.field({ type: [AcceptedAlert], description: 'Stored items.', resolve: (r) => r.outcomes.filter((o): o is Accepted => o.ok) }),
    rejected: t.field({
      type: [RejectedAlert],
      description: 'Refused items, each with its index and reason.',
      resolve: (r) => r.outcomes.filter((o): o is Rejected => !o.ok),
    }),
  }),
});

const ReprocessAlertSuccess = builder.objectRef<{ alert: AlertRecord; job: JobRecord }>('ReprocessAlertSuccess').implement({
  description: 'A new pipeline job was started for the alert.',
  fields: (t) => ({
    alert: t.field({ type: AlertRef, description: 'The alert.', resolve: (r) => r.alert }),
    job: t.field({ type: PipelineJobRef, description: 'The new job.', resolve: (r) => r.job }),
  }),
});

builder.mutationFields((t) => ({
  submitAlert: t.field({
    type: SubmitAlertSuccess,
    description: 'Stores one alert (durably, before answering) and starts its pipeline.',
    authScopes: { role: 'ANALYST' },
    errors: { types: [ValidationError], directResult: true, union: { name: 'SubmitAlertResult' } },
    args: { input: t.arg({ type: AlertInput, required: true, description: 'The alert.' }) },
    resolve: (_root, { input }, ctx) => {
      const [outcome] = ctx.services.pipeline.submit([input]);
      if (!outcome) throw new Error('ingest returned no outcome');
      if (!outcome.ok) throw new ValidationError(outcome.problem.code, outcome.problem.field, outcome.problem.message);
      return { alert: outcome.alert, duplicate: outcome.duplicate, job: outcome.jobId ? (ctx.services.alerts.getJob(outcome.jobId) ?? null) : null };
    },
  }),
  submitAlerts: t.field({
    type: SubmitAlertsSuccess,
    description: 'Stores a batch in one transaction; each refused item is reported by index. A batch over the limit is refused whole.',
    authScopes: { role: 'ANALYST' },
    errors: { types: [ValidationError], directResult: true, union: { name: 'SubmitAlertsResult' } },
    args: { alerts: t.arg({ type: [AlertInput], required: true, description: 'The alerts.' }) },
    resolve: (_root, args, ctx) => {
      const result = ctx.services.pipeline.submitBatch(args.alerts);
      if (!result.ok) throw new ValidationError(result.problem.code, result.problem.field, result.problem.message);
      return { outcomes: result.outcomes };
    },
  }),
  reprocessAlert: t.field({
    type: ReprocessAlertSuccess,
    description: 'Runs every pipeline stage on a stored alert again (e.g. after a failure).',
    authScopes: { role: 'ANALYST' },
    errors: { types: [NotFoundError, ConflictError], directResult: true, union: { name: 'ReprocessAlertResult' } },
    args: { id: t.arg.id({ required: true, description: 'Alert id.' }) },
    resolve: (_root, args, ctx) => {
      const outcome = ctx.services.pipeline.reprocess(String(args.id), ctx.principal.id);
      if (outcome.ok) return { alert: outcome.alert, job: outcome.job };
      if (outcome.reason === 'NOT_FOUND') throw new NotFoundError('Alert', String(args.id));
      throw new ConflictError(outcome.message);
    },
  }),
}));

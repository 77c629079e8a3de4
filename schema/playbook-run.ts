/**
 * Playbook runs and their steps: the `PlaybookRun` node, `playbookRuns(filter)`, `Case.playbookRuns`,
 * `runPlaybook` (with dry run) and the live `playbookRunEvents` subscription.
 */
import type { RunEvent } from '../src/engine/respond/runs/index.js';
import { originOf } from '../src/engine/respond/runs/origin.js';
import { RunStatus, RunTrigger, StepStatus } from '../src/engine/respond/runs/model.js';
import { ALL, filtered } from '../src/events.js';
import type { PlaybookRunRecord, RunStepRecord } from '../src/store/records.js';
import { builder } from './builder.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { resolvePage } from './pagination.js';
import { ActionKindEnum, ActionRef } from './action.js';
import { PlaybookRef } from './playbook.js';
import { CaseRef } from './refs.js';

export const PlaybookRunRef = builder.objectRef<PlaybookRunRecord>('PlaybookRun');
export const RunStepRef = builder.objectRef<RunStepRecord>('RunStep');

export const PlaybookRunStatusEnum = builder.enumType('PlaybookRunStatus', {
  description: 'Where a playbook run is. COMPLETED, FAILED, STALLED and CANCELLED are final.',
  values: {
    [RunStatus.PENDING]: { description: 'Created; not started yet (also after a restart, until resumed).' },
    [RunStatus.RUNNING]: { description: 'A step is running or waits out a retry backoff.' },
    [RunStatus.WAITING_APPROVAL]: { description: 'A step waits for approval (`approveAction` / `rejectAction`).' },
    [RunStatus.COMPLETED]: { description: 'Every step ended; steps that failed with `onError: continue` are listed in `error`.' },
    [RunStatus.FAILED]: { description: 'A step failed and its onError said `fail`; `error` says which and why.' },
    [RunStatus.STALLED]: { description: 'A step ended STALLED (outcome unknown) and its onError said `fail`.' },
    [RunStatus.CANCELLED]: { description: 'Stopped before it finished.' },
  } as const,
});

const RunStepStatusEnum = builder.enumType('RunStepStatus', {
  description: 'Where a step of a run is.',
  values: {
    [StepStatus.PENDING]: { description: 'Not started, or waiting for its retry (`retryAt`).' },
    [StepStatus.RUNNING]: { description: 'Its action is being requested or executed; `deadlineAt` bounds it.' },
    [StepStatus.WAITING_APPROVAL]: { description: 'Its action waits for approval.' },
    [StepStatus.COMPLETED]: { description: 'Its action was executed (or, in a dry run, planned).' },
    [StepStatus.FAILED]: { description: 'Its attempts failed or timed out; `error` says why.' },
    [StepStatus.STALLED]: { description: 'It passed its deadline with no executor answering: the outcome is unknown and it is not retried.' },
    [StepStatus.SKIPPED]: { description: 'Not run: its condition did not hold, its loop was empty, an earlier step jumped past it or the run stopped.' },
    [StepStatus.REFUSED]: { description: 'The safety rails refused its action (allowlist, blast radius); `error` says why.' },
    [StepStatus.REJECTED]: { description: 'Its approval was rejected or expired to REJECT.' },
  } as const,
});

const PlaybookRunTriggerEnum = builder.enumType('PlaybookRunTrigger', {
  description: 'What started a run.',
  values: {
    [RunTrigger.CASE_OPENED]: { description: 'A case was opened.' },
    [RunTrigger.CASE_UPDATED]: { description: 'A case changed.' },
    [RunTrigger.ALERT_SCORED]: { description: 'An alert was scored.' },
    [RunTrigger.MANUAL]: { description: 'Someone called `runPlaybook`.' },
  } as const,
});

const json = (text: string | null) => (text ? (JSON.parse(text) as unknown) : null);

builder.node(RunStepRef, {
  description: 'One step of a run (one per IOC for a step that loops over IOCs).',
  id: { resolve: (s) => s.id },
  loadOne: (id, ctx) => ctx.services.runs.store.getStep(id),
  fields: (t) => ({
    position: t.exposeInt('position', { description: 'Order within the run, from 0.' }),
    name: t.exposeString('name', { description: 'The playbook step, with the loop item in brackets (`block-source[185.22.13.9]`).' }),
    action: t.field({ type: ActionKindEnum, description: 'The action kind it requests.', resolve: (s) => s.action as never }),
    actions: t.field({ type: [ActionRef], description: 'The actions its attempts requested, oldest first (the last one is the current attempt).', resolve: (s, _args, ctx) => ctx.services.actions.ofRun(s.runId).filter((a) => a.stepId === s.id) }),
    status: t.field({ type: RunStepStatusEnum, description: 'Where it is.', resolve: (s) => s.status as never }),
    attempts: t.exposeInt('attempts', { description: 'Attempts made so far.' }),
    params: t.field({ type: 'JSON', description: 'Its parameters after templating.', resolve: (s) => json(s.params) }),
    output: t.field({ type: 'JSON', nullable: true, description: 'What it produced: the action id, status and artifact (the plan in a dry run), or why it was skipped.', resolve: (s) => json(s.output) }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed, was refused, rejected or stalled (or why the last attempt failed, while retrying).' }),
    deadlineAt: t.field({ type: 'DateTime', nullable: true, description: 'While RUNNING: when the attempt times out.', resolve: (s) => s.deadlineAt }),
    retryAt: t.field({ type: 'DateTime', nullable: true, description: 'While PENDING after a failure: when it is retried.', resolve: (s) => s.retryAt }),
    startedAt: t.field({ type: 'DateTime', nullable: true, description: 'When its first attempt started.', resolve: (s) => s.startedAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it ended.', resolve: (s) => s.finishedAt }),
    run: t.field({ type: PlaybookRunRef, description: 'Its run.', resolve: (s, _args, ctx) => ctx.services.runs.get(s.runId)! }),
  }),
});

builder.node(PlaybookRunRef, {
  description: 'One run of a playbook: durable; a restart resumes it where it was.',
  id: { resolve: (r) => r.id },
  loadOne: (id, ctx) => ctx.services.runs.get(id),
  fields: (t) => ({
    playbook: t.exposeString('playbook', { description: 'The playbook name.' }),
    version: t.exposeString('playbookHash', { description: 'The exact playbook version it runs (SHA-256 of the YAML text).' }),
    currentPlaybook: t.field({
      type: PlaybookRef,
      nullable: true,
      description: 'The playbook as loaded now (its `version` may differ from the one this run runs).',
      resolve: (r, _args, ctx) => ctx.services.playbooks.get(r.playbook) ?? null,
    }),
    playbookSource: t.string({ nullable: true, description: 'The YAML text of the version it runs.', resolve: (r, _args, ctx) => ctx.services.playbooks.source(r.playbookHash) ?? null }),
    status: t.field({ type: PlaybookRunStatusEnum, description: 'Where it is.', resolve: (r) => r.status as never }),
    trigger: t.field({ type: PlaybookRunTriggerEnum, description: 'What started it.', resolve: (r) => r.trigger as never }),
    dryRun: t.exposeBoolean('dryRun', { description: 'A dry run: every action was only planned; nothing changed.' }),
    case: t.field({ type: CaseRef, nullable: true, description: 'The case it acts on.', resolve: (r, _args, ctx) => (r.caseId ? (ctx.services.cases.get(r.caseId) ?? null) : null) }),
    alertId: t.exposeID('alertId', { nullable: true, description: 'The alert that started it, if any.' }),
    context: t.field({
      type: 'JSON',
      description: 'The variables its templates saw (case, alert, IOCs), as they were when it started.',
      resolve: (r) => {
        // Who set it off is told by startedBy and triggeredBy; the principal id kept for approvals stays inside.
        const { origin: _origin, ...variables } = JSON.parse(r.context) as Record<string, unknown>;
        return variables;
      },
    }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed or stalled; for a COMPLETED run, the steps that failed and were passed over.' }),
    startedBy: t.exposeString('startedBy', { description: 'Who started it (`playbook:<name>` when its trigger started it).' }),
    triggeredBy: t.string({
      nullable: true,
      description:
        'For a run a trigger started: who made the change that set it off (a person’s name, `system:correlator`, `playbook:<name>`). When a person did, its steps with side effects outside Vigil waited for a RESPONDER’s approval.',
      resolve: (r) => originOf(r).triggeredBy?.actor ?? null,
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (r) => r.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (r) => r.updatedAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it ended.', resolve: (r) => r.finishedAt }),
    steps: t.field({ type: [RunStepRef], description: 'Its steps, in order.', resolve: (r, _args, ctx) => ctx.services.runs.stepsOf(r.id) }),
    actions: t.field({ type: [ActionRef], description: 'Every action it requested (planned, executed, refused, ...), oldest first.', resolve: (r, _args, ctx) => ctx.services.actions.ofRun(r.id) }),
  }),
});

const PlaybookRunFilter = builder.inputType('PlaybookRunFilter', {
  description: 'Which runs; every condition given must hold.',
  fields: (t) => ({
    caseId: t.id({ required: false, description: 'Runs on this case.' }),
    status: t.field({ type: [PlaybookRunStatusEnum], required: false, description: 'Any of these statuses.' }),
    playbook: t.string({ required: false, description: 'Runs of this playbook (by name).' }),
    dryRun: t.boolean({ required: false, description: 'Only dry runs (true) or only real ones (false).' }),
  }),
});

builder.objectField(CaseRef, 'playbookRuns', (t) =>
  t.field({ type: [PlaybookRunRef], description: 'Playbook runs on this case, oldest first.', resolve: (c, _args, ctx) => ctx.services.runs.ofCase(c.id) }),
);

builder.queryFields((t) => ({
  playbookRuns: t.connection({
    type: PlaybookRunRef,
    description: 'Playbook runs, newest first.',
    args: { filter: t.arg({ type: PlaybookRunFilter, required: false, description: 'Conditions.' }) },
    resolve: (_root, args, ctx) =>
      resolvePage(args, ctx.services.config.maxPage, (page) =>
        ctx.services.runs.list({ caseId: args.filter?.caseId == null ? null : String(args.filter.caseId), statuses: args.filter?.status ?? null, playbook: args.filter?.playbook ?? null, dryRun: args.filter?.dryRun ?? null }, page),
      ),
  }),
}));

const RunPlaybookSuccess = builder.objectRef<{ run: PlaybookRunRecord }>('RunPlaybookSuccess').implement({
  description: 'The run was created. A dry run is answered once planned (its steps hold the plan); a real run is answered at once and goes on in the background.',
  fields: (t) => ({ run: t.field({ type: PlaybookRunRef, description: 'The run.', resolve: (r) => r.run }) }),
});

builder.mutationFields((t) => ({
  runPlaybook: t.field({
    type: RunPlaybookSuccess,
    description:
      'Runs a playbook on a case by hand: again if it ran before, enabled or not; its trigger conditions are not checked, its steps’ conditions are. With `dryRun`, every action is only planned (with its artifact, e.g. the nftables command) and nothing changes.',
    authScopes: { role: 'RESPONDER' },
    errors: { types: [ValidationError, NotFoundError, ConflictError], directResult: true, union: { name: 'RunPlaybookResult' } },
    args: {
      caseId: t.arg.id({ required: true, description: 'Case id (cas_...).' }),
      playbook: t.arg.string({ required: true, description: 'Playbook name.' }),
      dryRun: t.arg.boolean({ required: false, defaultValue: false, description: 'Plan only; change nothing (default false).' }),
    },
    resolve: async (_root, args, ctx) => ({ run: await ctx.services.runs.runPlaybook(String(args.caseId), args.playbook, args.dryRun ?? false, { id: ctx.principal.id, name: ctx.principal.name }) }),
  }),
}));

const PlaybookRunEventRef = builder.objectRef<RunEvent>('PlaybookRunEvent').implement({
  description: 'A run or one of its steps changed.',
  fields: (t) => ({
    run: t.field({ type: PlaybookRunRef, description: 'The run as it is after the change.', resolve: (e) => e.run }),
    step: t.field({ type: RunStepRef, nullable: true, description: 'The step that changed, when a step did.', resolve: (e) => e.step }),
  }),
});

builder.subscriptionFields((t) => ({
  playbookRunEvents: t.field({
    type: PlaybookRunEventRef,
    description: 'Live changes of playbook runs and their steps: of one run, of the runs of one case, or of all.',
    args: {
      runId: t.arg.id({ required: false, description: 'Only this run.' }),
      caseId: t.arg.id({ required: false, description: 'Only runs on this case.' }),
    },
    subscribe: (_root, args, ctx) => {
      const live = ctx.services.runs.runEvents.subscribe(args.runId == null ? ALL : String(args.runId));
      const caseId = args.caseId == null ? null : String(args.caseId);
      return filtered(live, (event) => !caseId || event.run.caseId === caseId);
    },
    resolve: (event) => event,
  }),
}));

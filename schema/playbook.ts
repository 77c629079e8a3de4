/** Playbooks as loaded (shipped and user YAML), their load errors, and reloading them. */
import type { Playbook, PlaybookLoadError } from '../src/engine/respond/playbooks/index.js';
import type { Condition, StepSpec } from '../src/engine/respond/playbooks/schema.js';
import { formatDuration } from '../src/engine/respond/playbooks/schema.js';
import { ActionKindEnum } from './action.js';
import { builder } from './builder.js';
import { CategoryEnum } from './classification.js';
import { IocRoleEnum, IocTypeEnum, RoleEnum } from './enums.js';
import { RiskLevelEnum } from './score.js';

export const PlaybookTriggerEventEnum = builder.enumType('PlaybookTriggerEvent', {
  description: 'What starts a playbook.',
  values: {
    CASE_OPENED: { description: 'A case was opened.' },
    CASE_UPDATED: { description: 'A case changed: fields, status, or an alert joined it.' },
    ALERT_SCORED: { description: 'An alert was scored and correlated (cased or not).' },
  } as const,
});

const PlaybookOriginEnum = builder.enumType('PlaybookOrigin', {
  description: 'Where a playbook comes from.',
  values: { SHIPPED: { description: 'Shipped with Vigil (data/playbooks).' }, USER: { description: 'Your directory (VIGIL_PLAYBOOKS_DIR); replaces a shipped one of the same name.' } } as const,
});

const PlaybookConditionRef = builder.objectRef<Condition>('PlaybookCondition').implement({
  description: 'Conditions on the case (or, for an uncased alert, the alert); every one given must hold, lists mean "any of".',
  fields: (t) => ({
    minSeverity: t.field({ type: RiskLevelEnum, nullable: true, description: 'Lowest severity.', resolve: (c) => c.minSeverity ?? null }),
    categories: t.field({ type: [CategoryEnum], nullable: true, description: 'One of these categories.', resolve: (c) => c.categories ?? null }),
    minScore: t.int({ nullable: true, description: 'Lowest score (0-100).', resolve: (c) => c.minScore ?? null }),
    tags: t.stringList({ nullable: true, description: 'Any of these tags on the case.', resolve: (c) => c.tags ?? null }),
    iocTypes: t.field({ type: [IocTypeEnum], nullable: true, description: 'An observable of one of these types.', resolve: (c) => c.iocTypes ?? null }),
  }),
});

const PlaybookTriggerRef = builder.objectRef<Playbook['trigger']>('PlaybookTrigger').implement({
  description: 'When a playbook starts on its own.',
  fields: (t) => ({
    on: t.field({ type: [PlaybookTriggerEventEnum], description: 'The events that start it.', resolve: (tr) => tr.on }),
    when: t.field({ type: PlaybookConditionRef, description: 'The conditions the case must meet.', resolve: (tr) => tr.when }),
  }),
});

const PlaybookForEachRef = builder.objectRef<NonNullable<StepSpec['forEach']>['iocs']>('PlaybookForEach').implement({
  description: 'A step that runs once per matching IOC of the case (each value once).',
  fields: (t) => ({
    types: t.field({ type: [IocTypeEnum], nullable: true, description: 'Only IOCs of these types.', resolve: (f) => f.types ?? null }),
    roles: t.field({ type: [IocRoleEnum], nullable: true, description: 'Only IOCs in these roles.', resolve: (f) => f.roles ?? null }),
    onlyIndicators: t.exposeBoolean('onlyIndicators', { description: 'Only indicators (never context such as private addresses).' }),
  }),
});

const PlaybookApprovalRef = builder.objectRef<NonNullable<StepSpec['approval']>>('PlaybookStepApproval').implement({
  description: 'The approval a step waits for before its action runs.',
  fields: (t) => ({
    role: t.field({ type: RoleEnum, description: 'Approvers need this role or a higher one.', resolve: (a) => a.role }),
    count: t.exposeInt('count', { description: 'Distinct approvers needed.' }),
    expires: t.string({ description: 'How long the approval stays open, e.g. `30m`.', resolve: (a) => formatDuration(a.expires) }),
    defaultOutcome: t.string({ description: 'APPROVE or REJECT: what happens at expiry.', resolve: (a) => a.default }),
  }),
});

const PlaybookStepRef = builder.objectRef<StepSpec>('PlaybookStep').implement({
  description: 'One step of a playbook, as written.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique within the playbook.' }),
    description: t.string({ nullable: true, description: 'What it is for.', resolve: (s) => s.description ?? null }),
    action: t.field({ type: ActionKindEnum, description: 'The action kind it requests.', resolve: (s) => s.action }),
    params: t.field({ type: 'JSON', description: 'Parameters, with `{{ path }}` templates unexpanded.', resolve: (s) => s.params }),
    when: t.field({ type: PlaybookConditionRef, nullable: true, description: 'Runs only when these conditions hold.', resolve: (s) => s.when ?? null }),
    forEach: t.field({ type: PlaybookForEachRef, nullable: true, description: 'Runs once per matching IOC.', resolve: (s) => s.forEach?.iocs ?? null }),
    timeout: t.string({ description: 'Longest one attempt may take, e.g. `30s`.', resolve: (s) => formatDuration(s.timeout) }),
    retries: t.int({ description: 'Attempts after the first one fails.', resolve: (s) => s.retries.count }),
    backoff: t.string({ description: 'Wait before the first retry; doubles each retry.', resolve: (s) => formatDuration(s.retries.backoff) }),
    onError: t.exposeString('onError', { description: '`fail` (stop the run), `continue`, or the name of a later step to jump to.' }),
    onlyOnError: t.exposeBoolean('onlyOnError', { description: 'Runs only if an earlier step of the run failed, was refused or rejected.' }),
    approval: t.field({ type: PlaybookApprovalRef, nullable: true, description: 'The approval it waits for, if any.', resolve: (s) => s.approval ?? null }),
  }),
});

export const PlaybookRef = builder.objectRef<Playbook>('Playbook').implement({
  description: 'A loaded playbook: a trigger and the steps it runs.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique name; a user file of the same name replaces the shipped one.' }),
    description: t.exposeString('description', { description: 'What it does.' }),
    enabled: t.exposeBoolean('enabled', { description: 'Whether its trigger starts it (a disabled one still runs by hand).' }),
    version: t.exposeString('hash', { description: 'SHA-256 of its YAML text: the version each run records.' }),
    origin: t.field({ type: PlaybookOriginEnum, description: 'Shipped or yours.', resolve: (p) => p.origin }),
    file: t.exposeString('originLabel', { description: 'The file it came from, e.g. `shipped:brute-force.yaml`.' }),
    trigger: t.field({ type: PlaybookTriggerRef, description: 'When it starts on its own.', resolve: (p) => p.trigger }),
    steps: t.field({ type: [PlaybookStepRef], description: 'Its steps, in order.', resolve: (p) => p.steps }),
    source: t.exposeString('source', { description: 'The YAML text.' }),
  }),
});

export const PlaybookLoadErrorRef = builder.objectRef<PlaybookLoadError>('PlaybookLoadError').implement({
  description: 'A problem in a playbook file; the file was skipped.',
  fields: (t) => ({
    file: t.exposeString('file', { description: 'The file (or directory) at fault.' }),
    line: t.int({ nullable: true, description: '1-based line, where known.', resolve: (e) => e.line ?? null }),
    playbook: t.string({ nullable: true, description: 'The playbook name, when the file got that far.', resolve: (e) => e.playbook ?? null }),
    message: t.exposeString('message', { description: 'What is wrong, with the path of the key (e.g. `steps[1].timeout: ...`).' }),
  }),
});

const ReloadPlaybooksPayload = builder.objectRef<{ playbooks: readonly Playbook[]; errors: readonly PlaybookLoadError[] }>('ReloadPlaybooksPayload').implement({
  description: 'The playbooks were loaded again.',
  fields: (t) => ({
    playbooks: t.field({ type: [PlaybookRef], description: 'Playbooks now loaded.', resolve: (p) => [...p.playbooks] }),
    errors: t.field({ type: [PlaybookLoadErrorRef], description: 'Files skipped, and why.', resolve: (p) => [...p.errors] }),
  }),
});

builder.queryFields((t) => ({
  playbooks: t.field({
    type: [PlaybookRef],
    description: 'The loaded playbooks, by name.',
    resolve: (_root, _args, ctx) => [...ctx.services.playbooks.list()],
  }),
  playbook: t.field({
    type: PlaybookRef,
    nullable: true,
    description: 'One loaded playbook by name.',
    args: { name: t.arg.string({ required: true, description: 'Its name.' }) },
    resolve: (_root, args, ctx) => ctx.services.playbooks.get(args.name) ?? null,
  }),
  playbookLoadErrors: t.field({
    type: [PlaybookLoadErrorRef],
    description: 'Playbook files skipped at the last load, and why (file, line, problem).',
    resolve: (_root, _args, ctx) => [...ctx.services.playbooks.errors()],
  }),
}));

builder.mutationFields((t) => ({
  reloadPlaybooks: t.field({
    type: ReloadPlaybooksPayload,
    description: 'Loads the playbooks again (admin). Broken files are skipped and listed; new versions apply to runs started from now on (running ones keep the version they started with).',
    authScopes: { role: 'ADMIN' },
    resolve: (_root, _args, ctx) => {
      const load = ctx.services.playbooks.reload();
      ctx.services.audit.record({ actor: ctx.principal.name, action: 'playbooks.reload', entityType: 'Playbooks', entityId: 'playbooks', after: { playbooks: load.playbooks.map((p) => ({ name: p.name, version: p.hash, origin: p.originLabel })), errors: load.errors.length } });
      return { playbooks: load.playbooks, errors: load.errors };
    },
  }),
}));

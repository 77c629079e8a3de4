/**
 * Response actions: the `Action` node, the `actions` list, `Case.actions`, the `revertAction` mutation
 * and the `actionEvents` subscription. Requesting actions is the playbooks' business (`runPlaybook`).
 */
import { GraphQLError } from 'graphql';
import { ActionChange, type ActionEvent } from '../src/engine/respond/actions/index.js';
import { ActionKind, ActionStatus } from '../src/engine/respond/types.js';
import { ALL, endsWith } from '../src/events.js';
import type { ActionFilter } from '../src/store/action-store.js';
import type { ActionRecord } from '../src/store/records.js';
import { builder } from './builder.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { resolvePage } from './pagination.js';
import { CaseRef } from './refs.js';

export const ActionKindEnum = builder.enumType('ActionKind', {
  description: 'What a response action does.',
  values: {
    [ActionKind.BLOCK_IP]: { description: 'Block an address at the firewall, for a TTL.' },
    [ActionKind.UNBLOCK_IP]: { description: 'Remove a block (what a block reverts with).' },
    [ActionKind.ISOLATE_HOST]: { description: 'Cut a host off the network through the EDR, for a TTL.' },
    [ActionKind.RELEASE_HOST]: { description: 'End an isolation (what an isolation reverts with).' },
    [ActionKind.DISABLE_USER]: { description: 'Disable an account in the directory.' },
    [ActionKind.RESET_PASSWORD]: { description: "Expire an account's password, forcing a new one at the next logon." },
    [ActionKind.CREATE_TASK]: { description: 'Add a task to the case.' },
    [ActionKind.ESCALATE]: { description: 'Assign the case to the Tier-2 group, with a task for the group, and notify.' },
    [ActionKind.ADD_TAG]: { description: 'Tag the case.' },
    [ActionKind.SET_SEVERITY]: { description: 'Change the severity of the case.' },
    [ActionKind.NOTIFY]: { description: 'Send a notification through the outbox.' },
  } as const,
});

export const ActionStatusEnum = builder.enumType('ActionStatus', {
  description: 'Where an action is.',
  values: {
    [ActionStatus.PLANNED]: { description: 'A dry-run plan (`dryRun`: it never runs), or ready to execute.' },
    [ActionStatus.PENDING_APPROVAL]: { description: 'Waits for an approval before it runs.' },
    [ActionStatus.EXECUTED]: { description: 'Done (or, with `artifact.duplicateOf`, already in force through another action: nothing done again).' },
    [ActionStatus.FAILED]: { description: 'The executor failed; `reason` says why.' },
    [ActionStatus.REFUSED]: { description: 'Stopped by the safety rails (allowlist or blast radius); `reason` says which.' },
    [ActionStatus.REJECTED]: { description: 'Its approval was rejected; it never runs.' },
    [ActionStatus.EXPIRED]: { description: 'Its approval expired without a decision; it never runs.' },
    [ActionStatus.REVERTED]: { description: 'An executed block or isolation that was undone (`revertedAt`).' },
  } as const,
});

const ActionChangeEnum = builder.enumType('ActionChange', {
  description: 'What happened to an action, in `actionEvents`.',
  values: {
    [ActionChange.REQUESTED]: { description: 'It was requested (and stored with its first status).' },
    [ActionChange.APPROVED]: { description: 'Its approval was granted: it is ready to run.' },
    [ActionChange.REJECTED]: { description: 'Its approval was rejected.' },
    [ActionChange.EXPIRED]: { description: 'Its approval expired.' },
    [ActionChange.EXECUTED]: { description: 'It was executed.' },
    [ActionChange.FAILED]: { description: 'Its execution failed.' },
    [ActionChange.REVERTED]: { description: 'It was reverted.' },
    [ActionChange.REVERT_FAILED]: { description: 'Its automatic revert failed; it stays in force and is retried later, backing off.' },
    [ActionChange.REFUSED]: { description: 'The hourly blast radius was full when it was approved or about to run: it is REFUSED and never runs.' },
    [ActionChange.EXTENDED]: { description: 'A later, longer block or isolation of the same target moved its `revertAt` to the later end.' },
    CURRENT: { description: 'Not a change: the action as it is when the subscription started (replayed for a `caseId` filter).' },
  } as const,
});

export const ActionRef = builder.objectRef<ActionRecord>('Action');
const json = (text: string | null) => (text ? (JSON.parse(text) as unknown) : null);

builder.node(ActionRef, {
  description: 'A response action: what was (or would be) done, to what, by which executor, with its artifact.',
  id: { resolve: (a) => a.id },
  loadOne: (id, ctx) => ctx.services.actions.get(id),
  fields: (t) => ({
    kind: t.field({ type: ActionKindEnum, description: 'What it does.', resolve: (a) => a.kind as ActionKind }),
    target: t.exposeString('target', { description: 'What it acts on: an address, host or account; the case id for case actions.' }),
    params: t.field({ type: 'JSON', description: 'Its parameters, validated and normalised (`ttl` in milliseconds).', resolve: (a) => json(a.params) }),
    executor: t.exposeString('executor', { description: '`simulated` (changes nothing outside Vigil), `http:firewall`, `http:edr`, `http:directory`, or `vigil` for case actions.' }),
    status: t.field({ type: ActionStatusEnum, description: 'Where it is.', resolve: (a) => a.status as ActionStatus }),
    ready: t.boolean({ description: 'True when it waits only to be executed (PLANNED and not a dry run).', resolve: (a, _args, ctx) => ctx.services.actions.isReady(a) }),
    dryRun: t.exposeBoolean('dryRun', { description: 'A plan only: it never runs.' }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why it was refused, failed, rejected or expired.' }),
    artifact: t.field({ type: 'JSON', nullable: true, description: 'The JSON record of the side effect: the plan with the commands a real executor runs (nftables, iptables, EDR call, directory command), the executor’s request and answer, the TTL.', resolve: (a) => json(a.artifact) }),
    revertAt: t.field({ type: 'DateTime', nullable: true, description: 'When an executed block or isolation reverts on its own.', resolve: (a) => a.revertAt }),
    revertedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was reverted.', resolve: (a) => a.revertedAt }),
    revertOf: t.field({ type: ActionRef, nullable: true, description: 'For an UNBLOCK_IP/RELEASE_HOST made by reverting: the action it undid.', resolve: (a, _args, ctx) => (a.revertOf ? (ctx.services.actions.get(a.revertOf) ?? null) : null) }),
    case: t.field({ type: CaseRef, nullable: true, description: 'The case it belongs to.', resolve: (a, _args, ctx) => (a.caseId ? (ctx.services.cases.get(a.caseId) ?? null) : null) }),
    runId: t.exposeID('runId', { nullable: true, description: 'The playbook run that requested it (run_...).' }),
    stepId: t.exposeID('stepId', { nullable: true, description: 'The run step that requested it (stp_...).' }),
    requestedBy: t.exposeString('requestedBy', { description: 'Who asked for it: a person, `playbook:<name>`, or `system:ttl` for reverts at the end of a TTL.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was requested.', resolve: (a) => a.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: (a) => a.updatedAt }),
  }),
});

export const ActionFilterInput = builder.inputType('ActionFilter', {
  description: 'Narrows a list of actions or `actionEvents`; all given conditions must hold.',
  fields: (t) => ({
    caseId: t.id({ required: false, description: 'Of this case.' }),
    runId: t.id({ required: false, description: 'Of this playbook run.' }),
    status: t.field({ type: [ActionStatusEnum], required: false, description: 'Any of these statuses.' }),
    kind: t.field({ type: [ActionKindEnum], required: false, description: 'Any of these kinds.' }),
    target: t.string({ required: false, description: 'Exactly this target (addresses in canonical form, host names lower-case).' }),
    dryRun: t.boolean({ required: false, description: 'Only dry-run plans (true) or only real actions (false).' }),
  }),
});

function filterOf(f: typeof ActionFilterInput.$inferInput | null | undefined): ActionFilter {
  return { caseId: f?.caseId == null ? null : String(f.caseId), runId: f?.runId == null ? null : String(f.runId), statuses: f?.status, kinds: f?.kind, target: f?.target, dryRun: f?.dryRun };
}

function matches(a: ActionRecord, f: ActionFilter): boolean {
  return (
    (!f.caseId || a.caseId === f.caseId) &&
    (!f.runId || a.runId === f.runId) &&
    (!f.statuses?.length || f.statuses.includes(a.status)) &&
    (!f.kinds?.length || f.kinds.includes(a.kind)) &&
    (!f.target || a.target === f.target) &&
    (f.dryRun == null || a.dryRun === f.dryRun)
  );
}

builder.queryFields((t) => ({
  actions: t.connection({
    type: ActionRef,
    description: 'Response actions, newest first.',
    args: { filter: t.arg({ type: ActionFilterInput, required: false, description: 'Conditions.' }) },
    resolve: (_root, args, ctx) => resolvePage(args, ctx.services.config.maxPage, (page) => ctx.services.actions.list(filterOf(args.filter), page)),
  }),
}));

builder.objectField(CaseRef, 'actions', (t) =>
  t.field({ type: [ActionRef], description: 'Its response actions, oldest first.', resolve: (c, _args, ctx) => ctx.services.actions.ofCase(c.id) }),
);

const RevertActionSuccess = builder.objectRef<{ action: ActionRecord; revert: ActionRecord }>('RevertActionSuccess').implement({
  description: 'The revert ran: `revert` is the UNBLOCK_IP/RELEASE_HOST action (EXECUTED, or FAILED with its reason, leaving the original in force).',
  fields: (t) => ({
    action: t.field({ type: ActionRef, description: 'The block or isolation, as it is now (REVERTED when the revert succeeded).', resolve: (r) => r.action }),
    revert: t.field({ type: ActionRef, description: 'The action that undid it.', resolve: (r) => r.revert }),
  }),
});

builder.mutationFields((t) => ({
  revertAction: t.field({
    type: RevertActionSuccess,
    description: 'Undoes an executed block or isolation now, through the same executor (UNBLOCK_IP or RELEASE_HOST, linked by `revertOf`). Other kinds, or an action not in force, are a ConflictError.',
    authScopes: { role: 'RESPONDER' },
    errors: { types: [ValidationError, NotFoundError, ConflictError], directResult: true, union: { name: 'RevertActionResult' } },
    args: { id: t.arg.id({ required: true, description: 'The action to revert (act_...).' }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      const revert = await ctx.services.actions.revert(id, ctx.principal.name);
      return { action: ctx.services.actions.get(id)!, revert };
    },
  }),
}));

const ActionEventRef = builder.objectRef<{ change: string; action: ActionRecord }>('ActionEvent').implement({
  description: 'A change of a response action.',
  fields: (t) => ({
    change: t.field({ type: ActionChangeEnum, description: 'What happened.', resolve: (e) => e.change as never }),
    action: t.field({ type: ActionRef, description: 'The action after the change.', resolve: (e) => e.action }),
  }),
});

async function* replayThenFiltered(live: AsyncIterableIterator<ActionEvent> & { return(): Promise<unknown> }, replay: ActionRecord[], filter: ActionFilter) {
  try {
    for (const action of replay) if (matches(action, filter)) yield { change: 'CURRENT', action };
    for await (const event of live) if (matches(event.action, filter)) yield event;
  } finally {
    await live.return();
  }
}

builder.subscriptionFields((t) => ({
  actionEvents: t.field({
    type: ActionEventRef,
    description:
      'Action changes as they happen, matching `filter`. With a `caseId`, the actions of the case are replayed first as CURRENT (a change made while they are read may also arrive live).',
    args: { filter: t.arg({ type: ActionFilterInput, required: false, description: 'Which actions.' }) },
    subscribe: (_root, args, ctx) => {
      const filter = filterOf(args.filter);
      const live = ctx.services.actionEvents.subscribe(filter.caseId ?? ALL);
      if (filter.caseId && !ctx.services.cases.get(filter.caseId)) {
        void live.return();
        throw new GraphQLError(`no case with id ${filter.caseId}`, { extensions: { code: 'NOT_FOUND' } });
      }
      return endsWith(replayThenFiltered(live, filter.caseId ? ctx.services.actions.ofCase(filter.caseId) : [], filter), live);
    },
    resolve: (event) => event,
  }),
}));

/**
 * Approvals of response actions: the `Approval` node, `approveAction` / `rejectAction`, pending approvals,
 * and the `approvalEvents` subscription (the pending ones first, then live changes).
 */
import { ApprovalChange, type ApprovalEvent, ApprovalRoleError, decisionsOf } from '../src/engine/respond/runs/approvals.js';
import { ApprovalStatus, type ApprovalDecision } from '../src/engine/respond/runs/model.js';
import { ALL, endsWith, type Subscription } from '../src/events.js';
import type { ApprovalRecord } from '../src/store/records.js';
import { ActionRef } from './action.js';
import { builder } from './builder.js';
import { ConflictError, ErrorInterface, NotFoundError } from './errors.js';
import { RoleEnum } from './enums.js';
import { PlaybookRunRef, RunStepRef } from './playbook-run.js';

export const ApprovalRef = builder.objectRef<ApprovalRecord>('Approval');

const ApprovalStatusEnum = builder.enumType('ApprovalStatus', {
  description: 'Where an approval is.',
  values: {
    [ApprovalStatus.PENDING]: { description: 'Waiting for decisions.' },
    [ApprovalStatus.APPROVED]: { description: 'Enough distinct people approved: the action ran (or runs).' },
    [ApprovalStatus.REJECTED]: { description: 'Someone rejected it: the action never runs.' },
    [ApprovalStatus.EXPIRED]: { description: 'Nobody decided in time: its default outcome was applied.' },
  } as const,
});

const ApprovalChangeEnum = builder.enumType('ApprovalChange', {
  description: 'What happened to an approval.',
  values: {
    [ApprovalChange.REQUESTED]: { description: 'An action asked for approval (also how pending ones are replayed).' },
    [ApprovalChange.VOTED]: { description: 'Someone approved; more approvals are needed.' },
    [ApprovalChange.APPROVED]: { description: 'Approved: the action runs.' },
    [ApprovalChange.REJECTED]: { description: 'Rejected: the action never runs.' },
    [ApprovalChange.EXPIRED]: { description: 'Expired: the default outcome was applied.' },
  } as const,
});

const ApprovalDecisionRef = builder.objectRef<ApprovalDecision>('ApprovalDecision').implement({
  description: 'One person’s decision (or, at expiry, the default outcome).',
  fields: (t) => ({
    actor: t.exposeString('actor', { description: 'Who decided (`system:approval-expiry` for the default outcome).' }),
    decision: t.exposeString('decision', { description: 'APPROVE or REJECT.' }),
    comment: t.exposeString('comment', { nullable: true, description: 'Why.' }),
    at: t.field({ type: 'DateTime', description: 'When.', resolve: (d) => d.at }),
  }),
});

builder.node(ApprovalRef, {
  description: 'An approval a response action waits for: N distinct people holding a role (or higher), before it expires.',
  id: { resolve: (a) => a.id },
  loadOne: (id, ctx) => ctx.services.runs.approvalStore.get(id),
  fields: (t) => ({
    actionId: t.exposeID('actionId', { description: 'The action waiting for it (act_...).' }),
    action: t.field({ type: ActionRef, description: 'The action waiting for it.', resolve: (a, _args, ctx) => ctx.services.actions.get(a.actionId)! }),
    requiredRole: t.field({ type: RoleEnum, description: 'Approvers need this role or a higher one.', resolve: (a) => a.requiredRole as never }),
    requiredCount: t.exposeInt('requiredCount', { description: 'Distinct approvals needed.' }),
    approvals: t.int({ description: 'Approvals so far.', resolve: (a) => decisionsOf(a).filter((d) => d.decision === 'APPROVE' && !d.actor.startsWith('system:')).length }),
    status: t.field({ type: ApprovalStatusEnum, description: 'Where it is.', resolve: (a) => a.status as never }),
    defaultOutcome: t.exposeString('defaultOutcome', { description: 'APPROVE or REJECT: what happens at expiry.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'When the default outcome applies.', resolve: (a) => a.expiresAt }),
    decisions: t.field({ type: [ApprovalDecisionRef], description: 'The decisions, oldest first.', resolve: (a) => decisionsOf(a) }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was requested.', resolve: (a) => a.createdAt }),
    decidedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was approved, rejected or expired.', resolve: (a) => a.decidedAt }),
    step: t.field({
      type: RunStepRef,
      nullable: true,
      description: 'The playbook step waiting for it.',
      resolve: (a, _args, ctx) => {
        const stepId = ctx.services.actions.get(a.actionId)?.stepId;
        return stepId ? (ctx.services.runs.store.getStep(stepId) ?? null) : null;
      },
    }),
    run: t.field({
      type: PlaybookRunRef,
      nullable: true,
      description: 'The playbook run waiting for it.',
      resolve: (a, _args, ctx) => {
        const runId = ctx.services.actions.get(a.actionId)?.runId;
        return runId ? (ctx.services.runs.get(runId) ?? null) : null;
      },
    }),
  }),
});

builder.objectType(ApprovalRoleError, {
  name: 'ApprovalRoleError',
  description: 'You do not hold the role this approval needs.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ requiredRole: t.field({ type: RoleEnum, description: 'The role (or a higher one) needed to decide.', resolve: (e) => e.requiredRole as never }) }),
});

const decisionSuccess = (name: string, description: string) =>
  builder.objectRef<{ approval: ApprovalRecord }>(name).implement({
    description,
    fields: (t) => ({
      approval: t.field({ type: ApprovalRef, description: 'The approval as it is now.', resolve: (r) => r.approval }),
      action: t.field({ type: ActionRef, description: 'The action as it is now (still PENDING_APPROVAL, PLANNED while it starts, EXECUTED, REJECTED, ...).', resolve: (r, _args, ctx) => ctx.services.actions.get(r.approval.actionId)! }),
    }),
  });

const ApproveActionSuccess = decisionSuccess('ApproveActionSuccess', 'Your approval counts; once enough distinct people approved, the action runs and its playbook run goes on.');
const RejectActionSuccess = decisionSuccess('RejectActionSuccess', 'The action was rejected: it never runs, and its step follows its onError.');

builder.mutationFields((t) => {
  const args = () => ({
    actionId: t.arg.id({ required: true, description: 'The action waiting for approval (act_...).' }),
    comment: t.arg.string({ required: false, description: 'Why (kept in the approval and the audit log; at most 2,000 characters).' }),
  });
  const errors = (name: string) => ({ types: [NotFoundError, ConflictError, ApprovalRoleError], directResult: true as const, union: { name } });
  return {
    approveAction: t.field({
      type: ApproveActionSuccess,
      description:
        'Approves an action waiting for approval. You need the approval’s role or a higher one; each person (API key) counts once, and whoever started the run with `runPlaybook` cannot approve its actions (a ConflictError). An expired approval is a ConflictError (its default outcome was applied).',
      authScopes: { role: 'ANALYST' },
      errors: errors('ApproveActionResult'),
      args: args(),
      resolve: (_root, a, ctx) => ctx.services.runs.approveAction(String(a.actionId), { id: ctx.principal.id, name: ctx.principal.name, role: ctx.principal.role }, a.comment),
    }),
    rejectAction: t.field({
      type: RejectActionSuccess,
      description: 'Rejects an action waiting for approval: one rejection is enough. You need the approval’s role or a higher one.',
      authScopes: { role: 'ANALYST' },
      errors: errors('RejectActionResult'),
      args: args(),
      resolve: (_root, a, ctx) => ctx.services.runs.rejectAction(String(a.actionId), { id: ctx.principal.id, name: ctx.principal.name, role: ctx.principal.role }, a.comment),
    }),
  };
});

builder.queryFields((t) => ({
  pendingApprovals: t.field({
    type: [ApprovalRef],
    description: 'Approvals waiting for decisions, oldest first.',
    resolve: (_root, _args, ctx) => ctx.services.runs.pendingApprovals(),
  }),
  approval: t.field({
    type: ApprovalRef,
    nullable: true,
    description: 'The approval of an action, if it needs one.',
    args: { actionId: t.arg.id({ required: true, description: 'The action (act_...).' }) },
    resolve: (_root, args, ctx) => ctx.services.runs.approvalOf(String(args.actionId)) ?? null,
  }),
}));

const ApprovalEventRef = builder.objectRef<ApprovalEvent>('ApprovalEvent').implement({
  description: 'An approval was requested or decided.',
  fields: (t) => ({
    change: t.field({ type: ApprovalChangeEnum, description: 'What happened.', resolve: (e) => e.change }),
    approval: t.field({ type: ApprovalRef, description: 'The approval after the change.', resolve: (e) => e.approval }),
  }),
});

/** The pending approvals, then live changes; a live event already covered by the replay is skipped. */
async function* replayPending(live: Subscription<ApprovalEvent>, pending: ApprovalRecord[]): AsyncGenerator<ApprovalEvent> {
  const keyOf = (a: ApprovalRecord) => `${a.id}:${a.status}:${decisionsOf(a).length}`;
  const replayed = new Set<string>();
  try {
    for (const approval of pending) {
      replayed.add(keyOf(approval));
      yield { change: ApprovalChange.REQUESTED, approval };
    }
    for await (const event of live) {
      if (replayed.delete(keyOf(event.approval))) continue;
      yield event;
    }
  } finally {
    await live.return();
  }
}

builder.subscriptionFields((t) => ({
  approvalEvents: t.field({
    type: ApprovalEventRef,
    description: 'Pending approvals first (as REQUESTED), then every approval change as it happens; with `actionId`, only that action’s.',
    args: { actionId: t.arg.id({ required: false, description: 'Only the approval of this action.' }) },
    subscribe: (_root, args, ctx) => {
      const actionId = args.actionId == null ? null : String(args.actionId);
      const live = ctx.services.runs.approvalEvents.subscribe(actionId ?? ALL);
      const pending = ctx.services.runs.pendingApprovals().filter((a) => !actionId || a.actionId === actionId);
      return endsWith(replayPending(live, pending), live);
    },
    resolve: (event) => event,
  }),
}));

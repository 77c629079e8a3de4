/**
 * Approvals that playbook steps wait for: N distinct people holding a role (or a higher one) approve
 * before the action runs; one rejection rejects it; at expiry the default outcome applies. Every decision
 * is audited on the action (entity `Action`) and published; the run goes on once the approval is decided.
 *
 * People are told apart by principal id (API key names are free text and need not be unique), and the
 * person who started a run with runPlaybook cannot approve its actions (they may reject them).
 */
import type Database from 'better-sqlite3';
import { hasRole, isRole, type Role } from '../../../auth/roles.js';
import type { Clock } from '../../../clock.js';
import { ConflictError, NotFoundError } from '../../../errors.js';
import { IdPrefix, newId } from '../../../ids.js';
import type { Logger } from '../../../logger.js';
import type { ApprovalStore } from '../../../store/approval-store.js';
import type { AuditLog } from '../../../store/audit-log.js';
import type { ActionRecord, ApprovalRecord } from '../../../store/records.js';
import type { RunStore } from '../../../store/run-store.js';
import { transactionsOf } from '../../../store/transactions.js';
import type { Playbooks } from '../playbooks/index.js';
import { baseStepName } from '../playbooks/plan.js';
import type { StepSpec } from '../playbooks/schema.js';
import type { Notify } from '../types.js';
import { ApprovalStatus, type ApprovalDecision, RunStatus, StepStatus } from './model.js';
import { originOf } from './origin.js';
import type { RunActions, Runner } from './runner.js';
import type { Transitions } from './transitions.js';

export const EXPIRY_ACTOR = 'system:approval-expiry';

/** The approver does not hold the role the approval asks for. */
export class ApprovalRoleError extends Error {
  override name = 'ApprovalRoleError';
  constructor(
    readonly requiredRole: string,
    message: string,
  ) {
    super(message);
  }
}

export const ApprovalChange = { REQUESTED: 'REQUESTED', VOTED: 'VOTED', APPROVED: 'APPROVED', REJECTED: 'REJECTED', EXPIRED: 'EXPIRED' } as const;
export type ApprovalChange = (typeof ApprovalChange)[keyof typeof ApprovalChange];

export interface ApprovalEvent {
  change: ApprovalChange;
  approval: ApprovalRecord;
}

export interface Approver {
  /** The principal id: what makes two approvals two people. */
  id: string;
  name: string;
  role: Role;
}

export interface ApprovalsDeps {
  sqlite: Database.Database;
  store: ApprovalStore;
  runs: RunStore;
  playbooks: Pick<Playbooks, 'spec'>;
  actions: RunActions & { get(actionId: string): ActionRecord | undefined };
  runner: Pick<Runner, 'kick' | 'markApproved'>;
  transitions: Transitions;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  notify: () => Notify | undefined;
  publish: (event: ApprovalEvent) => void;
}

export const decisionsOf = (approval: ApprovalRecord): ApprovalDecision[] => JSON.parse(approval.decisions) as ApprovalDecision[];

export function createApprovals(deps: ApprovalsDeps) {
  const { store, runs, clock, transitions: t } = deps;
  const tx = transactionsOf(deps.sqlite);

  function announce(change: ApprovalChange, approvalId: string): void {
    tx.afterCommit(() => {
      const approval = store.get(approvalId);
      if (approval) deps.publish({ change, approval });
    });
  }

  function audit(actor: string, action: string, approval: ApprovalRecord, extra: Record<string, unknown>): void {
    const approvals = decisionsOf(approval).filter((d) => d.decision === 'APPROVE').length;
    deps.audit.record({
      actor,
      action,
      entityType: 'Action',
      entityId: approval.actionId,
      after: { approvalId: approval.id, requiredRole: approval.requiredRole, requiredCount: approval.requiredCount, approvals, ...extra },
    });
  }

  function stepOf(action: ActionRecord): { step: NonNullable<ReturnType<RunStore['getStep']>>; spec: StepSpec } | undefined {
    const step = action.stepId ? runs.getStep(action.stepId) : undefined;
    const run = step ? runs.getRun(step.runId) : undefined;
    const spec = run && step ? deps.playbooks.spec(run.playbookHash)?.steps.find((s) => s.name === baseStepName(step.name)) : undefined;
    return step && spec ? { step, spec } : undefined;
  }

  /** Approved: the waiting step runs its action (after commit), and its run goes on. */
  function proceed(action: ActionRecord): void {
    const found = stepOf(action);
    if (!found || found.step.status !== StepStatus.WAITING_APPROVAL) {
      // Not a playbook step (or no longer waiting): run the approved action on its own.
      tx.afterCommit(() => void deps.actions.execute(action.id).catch((error: unknown) => deps.logger.warn({ err: error, actionId: action.id }, 'an approved action failed')));
      return;
    }
    const run = runs.getRun(found.step.runId)!;
    t.setStep(found.step, { status: StepStatus.RUNNING, deadlineAt: clock() + found.spec.timeout });
    t.setRun(run, RunStatus.RUNNING);
    tx.afterCommit(() => {
      deps.runner.markApproved(found.step.id);
      deps.runner.kick(run.id);
    });
  }

  /** Rejected or expired to REJECT: the step ends REJECTED and follows its onError. */
  function refuse(action: ActionRecord, reason: string): void {
    const found = stepOf(action);
    if (!found || found.step.status !== StepStatus.WAITING_APPROVAL) return;
    t.setRun(runs.getRun(found.step.runId)!, RunStatus.RUNNING);
    t.endWithError(runs.getRun(found.step.runId)!, found.step, found.spec, StepStatus.REJECTED, reason);
    tx.afterCommit(() => deps.runner.kick(found.step.runId));
  }

  /** The principal id of the person who started the action's run by hand, if a person did. */
  function requesterOf(actionId: string): string | undefined {
    const runId = deps.actions.get(actionId)?.runId;
    const run = runId ? runs.getRun(runId) : undefined;
    return run ? originOf(run).requester?.id : undefined;
  }

  function mustBePending(actionId: string): ApprovalRecord {
    const approval = store.ofAction(actionId);
    if (!approval) throw new NotFoundError('approval of action', actionId);
    if (approval.status !== ApprovalStatus.PENDING) throw new ConflictError(`the approval of action ${actionId} is already ${approval.status}`);
    return approval;
  }

  function expire(approval: ApprovalRecord): void {
    const now = clock();
    const decisions = [...decisionsOf(approval), { actor: EXPIRY_ACTOR, decision: approval.defaultOutcome as 'APPROVE' | 'REJECT', comment: 'expired: the default outcome applies', at: now }];
    if (!store.decide(approval.id, ApprovalStatus.EXPIRED, JSON.stringify(decisions), now)) return;
    const after = store.get(approval.id)!;
    audit(EXPIRY_ACTOR, 'approval.expire', after, { defaultOutcome: approval.defaultOutcome, expiresAt: approval.expiresAt });
    announce(ApprovalChange.EXPIRED, approval.id);
    if (approval.defaultOutcome === 'APPROVE') {
      proceed(deps.actions.approve(approval.actionId, EXPIRY_ACTOR));
    } else {
      const reason = `the approval expired at ${new Date(approval.expiresAt).toISOString()} without ${approval.requiredCount} approval(s); its default outcome is REJECT`;
      refuse(deps.actions.reject(approval.actionId, 'EXPIRED', EXPIRY_ACTOR, reason), reason);
    }
  }

  function decide(actionId: string, approver: Approver, decision: 'APPROVE' | 'REJECT', comment: string | null | undefined) {
    const text = comment?.trim().slice(0, 2000) || null;
    let expired = false;
    const result = tx.run(() => {
      const approval = mustBePending(actionId);
      if (approval.expiresAt <= clock()) {
        expire(approval);
        expired = true;
        return undefined;
      }
      if (!isRole(approval.requiredRole) || !hasRole(approver.role, approval.requiredRole)) {
        throw new ApprovalRoleError(approval.requiredRole, `deciding this approval needs the role ${approval.requiredRole} or higher; ${approver.name} is ${approver.role}`);
      }
      if (decision === 'APPROVE' && requesterOf(actionId) === approver.id) {
        throw new ConflictError(`you requested this action (you started its playbook run); someone else must approve it`);
      }
      const decisions = decisionsOf(approval);
      // Decisions from before ids were kept have only a name: they still count once for that name.
      if (decisions.some((d) => (d.actorId !== undefined ? d.actorId === approver.id : d.actor === approver.name))) {
        throw new ConflictError(`${approver.name} already decided on action ${actionId}: each person counts once`);
      }
      const now = clock();
      decisions.push({ actor: approver.name, actorId: approver.id, decision, comment: text, at: now });
      const approvals = decisions.filter((d) => d.decision === 'APPROVE').length;
      const status = decision === 'REJECT' ? ApprovalStatus.REJECTED : approvals >= approval.requiredCount ? ApprovalStatus.APPROVED : ApprovalStatus.PENDING;
      if (!store.decide(approval.id, status, JSON.stringify(decisions), status === ApprovalStatus.PENDING ? null : now)) throw new ConflictError(`the approval of action ${actionId} was decided meanwhile`);
      const after = store.get(approval.id)!;
      audit(approver.name, decision === 'REJECT' ? 'approval.reject' : 'approval.approve', after, { decision, comment: text, status });
      if (status === ApprovalStatus.REJECTED) {
        const reason = `rejected by ${approver.name}${text ? `: ${text}` : ''}`;
        refuse(deps.actions.reject(actionId, 'REJECTED', approver.name, reason), reason);
        announce(ApprovalChange.REJECTED, approval.id);
      } else if (status === ApprovalStatus.APPROVED) {
        proceed(deps.actions.approve(actionId, approver.name));
        announce(ApprovalChange.APPROVED, approval.id);
      } else {
        announce(ApprovalChange.VOTED, approval.id);
      }
      return { approval: after, action: deps.actions.get(actionId)! };
    });
    if (expired) {
      const approval = store.ofAction(actionId)!;
      throw new ConflictError(`the approval of action ${actionId} expired at ${new Date(approval.expiresAt).toISOString()}; its default outcome ${approval.defaultOutcome} was applied`);
    }
    return result!;
  }

  return {
    /** Makes sure a PENDING_APPROVAL action has its approval row (inside the caller's transaction). */
    ensure(action: ActionRecord, spec: NonNullable<StepSpec['approval']>): void {
      if (store.ofAction(action.id)) return;
      const now = clock();
      const row: ApprovalRecord = {
        id: newId(IdPrefix.Approval, now),
        actionId: action.id,
        requiredRole: spec.role,
        requiredCount: spec.count,
        status: ApprovalStatus.PENDING,
        defaultOutcome: spec.default,
        expiresAt: now + spec.expires,
        decisions: '[]',
        createdAt: now,
        decidedAt: null,
      };
      store.insert(row);
      audit(action.requestedBy, 'approval.request', row, { kind: action.kind, target: action.target, expiresAt: row.expiresAt, defaultOutcome: row.defaultOutcome });
      announce(ApprovalChange.REQUESTED, row.id);
      const notify = deps.notify();
      if (!notify || action.dryRun) return;
      try {
        tx.run(() =>
          notify({
            event: 'approval.requested',
            caseId: action.caseId,
            title: `Approval needed: ${action.kind} ${action.target}`,
            text: `${spec.count} ${spec.role}${spec.count > 1 ? 's' : ''} must approve ${action.kind} on ${action.target} before ${new Date(row.expiresAt).toISOString()} (then: ${spec.default}).`,
            facts: { actionId: action.id, approvalId: row.id, kind: action.kind, target: action.target, requiredRole: spec.role, requiredCount: spec.count },
          }),
        );
      } catch (error) {
        deps.logger.warn({ err: error, actionId: action.id }, 'could not write the notification of an approval request');
      }
    },
    approve: (actionId: string, approver: Approver, comment?: string | null) => decide(actionId, approver, 'APPROVE', comment),
    reject: (actionId: string, approver: Approver, comment?: string | null) => decide(actionId, approver, 'REJECT', comment),
    /** Applies the default outcome of every PENDING approval past its expiry; answers how many. */
    expireDue(): number {
      let n = 0;
      for (const approval of store.expiredBy(clock())) {
        try {
          tx.run(() => expire(approval));
          n++;
        } catch (error) {
          deps.logger.warn({ err: error, approvalId: approval.id }, 'could not apply the default outcome of an expired approval');
        }
      }
      return n;
    },
    ofAction: (actionId: string) => store.ofAction(actionId),
    pending: () => store.pending(),
  };
}

export type Approvals = ReturnType<typeof createApprovals>;

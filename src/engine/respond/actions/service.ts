/**
 * The action service: `request` validates an action and applies the safety rails, storing it REFUSED,
 * PLANNED (a dry run, or ready to execute), PENDING_APPROVAL, or, for a block of an address that is
 * already blocked, EXECUTED as a duplicate that does nothing (but extends the block in force when it asks
 * for longer); `execute` does a ready one; `revert` undoes a block or isolation; `approve`/`reject` move an
 * action out of PENDING_APPROVAL for the approvals workflow (approve re-checks the blast radius). A timer (started by the app, unref'd, stopped by `close`) reverts what has outlived its TTL.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../../clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../errors.js';
import { IdPrefix, newId } from '../../../ids.js';
import type { Logger } from '../../../logger.js';
import type { ActionFilter, ActionStore } from '../../../store/action-store.js';
import type { AuditLog } from '../../../store/audit-log.js';
import type { CaseStore } from '../../../store/case-store.js';
import type { Page } from '../../../store/page.js';
import type { ActionRecord } from '../../../store/records.js';
import type { CaseLifecycle } from '../../cases/lifecycle.js';
import type { Tasks } from '../../cases/tasks.js';
import { ActionKind, ActionStatus, type ActionRequest, type ActionService, type Notify } from '../types.js';
import { createArtifactFiles } from './artifact-files.js';
import { createCaseActions } from './case-actions.js';
import { artifactOf, createExecution, isReady } from './execute.js';
import { createExecutors, SIMULATED } from './executors.js';
import { extendHolder, extensionNote, extensionOf } from './extend.js';
import { CASE_KINDS, CONTAINMENT_KINDS, parseKind, REVERSIBLE, validateParams } from './params.js';
import { planOf } from './plan.js';
import { ActionChange, createRecorder, type ActionEvent } from './recorder.js';
import { createReverts } from './revert.js';
import { createAllowlist, createBlastRadius } from './safety.js';
import type { ActionSettings } from './settings.js';
import { formatTtl } from './ttl.js';

export interface ActionServiceDeps {
  sqlite: Database.Database;
  store: ActionStore;
  audit: AuditLog;
  cases: CaseStore;
  caseLifecycle: CaseLifecycle;
  tasks: Tasks;
  clock: Clock;
  logger: Logger;
  settings: ActionSettings;
  /** Answers the notifier (a getter, so one wired later is found); without one nothing is notified. */
  notify?: (() => Notify | undefined) | undefined;
  /** Receives every change after it commits (services.actionEvents). */
  publish?: (event: ActionEvent) => void;
}

export interface Actions extends ActionService {
  /**
   * PENDING_APPROVAL -> PLANNED (ready): call `execute` next. Or -> REFUSED, with the reason, when the
   * hourly blast radius is full by now (an approval can come hours after the request): the caller looks
   * at the status it answers. Synchronous, for the approvals workflow's transaction.
   */
  approve(actionId: string, actor: string): ActionRecord;
  /** PENDING_APPROVAL -> REJECTED or EXPIRED; it never runs. Synchronous. */
  reject(actionId: string, status: 'REJECTED' | 'EXPIRED', actor: string, reason?: string): ActionRecord;
  /** Whether `execute` would run it (PLANNED and not a dry run). */
  isReady(action: ActionRecord): boolean;
  get(actionId: string): ActionRecord | undefined;
  ofCase(caseId: string): ActionRecord[];
  ofRun(runId: string): ActionRecord[];
  list(filter: ActionFilter, page: Page): ActionRecord[];
  /** Reverts what has outlived its TTL now; answers how many were reverted. */
  sweepReverts(): Promise<number>;
  /** Starts the revert sweep (and runs one at once, to catch up after downtime). */
  start(): void;
  /** Stops the sweep and waits for executions in flight (each bounded by its executor's timeout). */
  close(): Promise<void>;
}

/** What an action acts on: its address, host or account; the case for case actions. */
function targetOf(kind: ActionKind, params: Record<string, unknown>, caseId: string | null): string {
  if ('ip' in params) return String(params.ip);
  if ('host' in params) return String(params.host);
  if ('user' in params) return String(params.user);
  return caseId ?? (kind === ActionKind.NOTIFY ? 'notification' : '-');
}

export function createActionService(deps: ActionServiceDeps): Actions {
  const { store, clock, settings, logger } = deps;
  const notifyOf = (): Notify | undefined => deps.notify?.();
  const files = createArtifactFiles(settings.actionsDir, (error, actionId) => logger.warn({ err: error, actionId }, 'could not write the action artifact file'));
  const recorder = createRecorder({ sqlite: deps.sqlite, store, audit: deps.audit, cases: deps.cases, files, logger, notify: notifyOf, publish: deps.publish ?? (() => {}) });
  const executors = createExecutors(settings, clock, logger);
  const caseActions = createCaseActions({ cases: deps.cases, lifecycle: deps.caseLifecycle, tasks: deps.tasks, notify: notifyOf, escalationGroup: settings.escalationGroup });
  const blast = createBlastRadius({ store, clock, settings });
  const execution = createExecution({ store, recorder, clock, executors, caseActions, logger, blast });
  const reverts = createReverts({ store, recorder, execution, executors, clock, logger, retryMs: Math.max(60_000, settings.revertIntervalMs) });
  const allowlist = createAllowlist(settings);
  const { tx } = recorder;
  let timer: NodeJS.Timeout | undefined;

  function mustGet(id: string): ActionRecord {
    const action = store.get(id);
    if (!action) throw new NotFoundError('action', id);
    return action;
  }

  function request(req: ActionRequest): ActionRecord {
    const kind = parseKind(req.kind);
    const params: Record<string, unknown> = { ...validateParams(kind, req.params) };
    const caseId = req.caseId ?? null;
    if (CASE_KINDS.includes(kind)) caseActions.checkCase(kind, caseId);
    else if (caseId && !deps.cases.get(caseId)) throw new ValidationError('INVALID_VALUE', 'caseId', `no case with id ${caseId}`);
    if (kind === ActionKind.ESCALATE) params.group ??= settings.escalationGroup;
    const reversible = REVERSIBLE[kind] !== undefined;
    if (reversible) params.ttl ??= settings.defaultTtlMs;
    const ttlMs = reversible ? (params.ttl as number) : null;
    const target = targetOf(kind, params, caseId);

    return tx.run(() => {
      const now = clock();
      const id = newId(IdPrefix.Action, now);
      const refusal = allowlist.check(kind, params) ?? undefined;
      const holder = !refusal && reversible ? store.activeOf(kind, target) : undefined;
      const overLimit = refusal || holder ? undefined : blast.check(kind, req.runId, req.dryRun);
      const reason = refusal ?? overLimit ?? null;
      const status = reason
        ? ActionStatus.REFUSED
        : holder && !req.dryRun
          ? ActionStatus.EXECUTED
          : req.dryRun
            ? ActionStatus.PLANNED
            : req.approval
              ? ActionStatus.PENDING_APPROVAL
              : ActionStatus.PLANNED;
      const plan = planOf(kind, params, ttlMs) ?? { summary: `${kind} on ${target}` };
      const extension = holder && ttlMs ? extensionOf(holder, now + ttlMs) : undefined;
      const artifact = {
        plan,
        ...(ttlMs ? { ttl: formatTtl(ttlMs), ttlMs } : {}),
        ...(req.dryRun ? { dryRun: true, note: 'dry run: the plan of what would be done; nothing was executed' } : {}),
        ...(holder
          ? {
              duplicateOf: holder.id,
              note: `${target} is already ${kind === ActionKind.BLOCK_IP ? 'blocked' : 'isolated'} by ${holder.id}${holder.revertAt ? ` until ${new Date(holder.revertAt).toISOString()}` : ''}; nothing ${req.dryRun ? 'would be' : 'was'} done again${extensionNote(extension, req.dryRun)}`,
              ...(extension ? { extends: { from: extension.from, to: extension.to } } : {}),
            }
          : {}),
        ...(req.approval ? { approval: req.approval } : {}),
        ...(reason ? { refused: reason } : {}),
      };
      const action = recorder.created({
        id,
        runId: req.runId ?? null,
        stepId: req.stepId ?? null,
        caseId,
        kind,
        target,
        params: JSON.stringify(params),
        executor: CASE_KINDS.includes(kind) ? 'vigil' : executors.of(kind).name,
        status,
        dryRun: req.dryRun,
        reason,
        artifact: JSON.stringify(artifact),
        revertAt: null,
        revertedAt: null,
        revertOf: null,
        requestedBy: req.actor,
        createdAt: now,
        updatedAt: now,
      });
      if (holder && extension && !req.dryRun) extendHolder(recorder, holder, extension, { actionId: id, actor: req.actor }, now);
      if (status === ActionStatus.REFUSED && CONTAINMENT_KINDS.includes(kind)) recorder.notify('action.refused', action, `${kind} ${target} refused`, `Vigil refused to ${plan.summary}: ${reason}.`);
      return action;
    });
  }

  function pending(actionId: string): ActionRecord {
    const action = mustGet(actionId);
    if (action.status !== ActionStatus.PENDING_APPROVAL) throw new ConflictError(`action ${actionId} is ${action.status}, not PENDING_APPROVAL`);
    return action;
  }

  function leaveApproval(actionId: string, status: ActionStatus, change: (typeof ActionChange)[keyof typeof ActionChange], actor: string, auditAction: string, reason: string | null): ActionRecord {
    return tx.run(() => recorder.changed(pending(actionId), { status, reason }, change, actor, auditAction, clock()));
  }

  /** Ready it, unless the last hour is full by now; `approvedAt` makes it count in the hour it was approved. */
  function approve(actionId: string, actor: string): ActionRecord {
    return tx.run(() => {
      const action = pending(actionId);
      const now = clock();
      const over = blast.recheck(action);
      if (over) {
        const refused = recorder.changed(action, { status: ActionStatus.REFUSED, reason: over, artifact: JSON.stringify({ ...artifactOf(action), refused: over }) }, ActionChange.REFUSED, actor, 'action.refuse', now);
        recorder.notify('action.refused', refused, `${refused.kind} ${refused.target} refused`, `Vigil refused to run it although ${actor} approved it: ${over}.`);
        return refused;
      }
      return recorder.changed(action, { status: ActionStatus.PLANNED, reason: null, artifact: JSON.stringify({ ...artifactOf(action), approvedAt: now }) }, ActionChange.APPROVED, actor, 'action.approve', now);
    });
  }

  return {
    request,
    execute: (actionId) => execution.execute(actionId),
    revert: (actionId, actor) => reverts.revert(actionId, actor),
    approve,
    reject(actionId, status, actor, reason) {
      if (status !== ActionStatus.REJECTED && status !== ActionStatus.EXPIRED) throw new ValidationError('INVALID_VALUE', 'status', `an action leaves approval as REJECTED or EXPIRED, not ${String(status)}`);
      const why = reason ?? (status === ActionStatus.EXPIRED ? 'the approval expired' : `rejected by ${actor}`);
      return leaveApproval(actionId, status, status === ActionStatus.EXPIRED ? ActionChange.EXPIRED : ActionChange.REJECTED, actor, status === ActionStatus.EXPIRED ? 'action.expire' : 'action.reject', why);
    },
    isReady,
    get: (id) => store.get(id),
    ofCase: (caseId) => store.ofCase(caseId),
    ofRun: (runId) => store.ofRun(runId),
    list: (filter, page) => store.list(filter, page),
    sweepReverts: () => reverts.sweep(),
    start() {
      if (timer) return;
      const sweep = () => void reverts.sweep().catch((error: unknown) => logger.error({ err: error }, 'the revert sweep failed'));
      timer = setInterval(sweep, settings.revertIntervalMs);
      timer.unref();
      sweep();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      reverts.stop();
      await Promise.allSettled([reverts.sweeping(), ...reverts.inFlight(), ...execution.inFlight()]);
    },
  };
}

export { SIMULATED };

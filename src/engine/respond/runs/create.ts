/**
 * Creating a run: its context snapshot, its planned steps and its audit record, written in the caller's
 * transaction (a trigger's: the case change and the runs it starts commit together). The runner picks it
 * up once committed.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../../clock.js';
import { IdPrefix, newId } from '../../../ids.js';
import type { AuditLog } from '../../../store/audit-log.js';
import type { AlertRecord, CaseRecord, PlaybookRunRecord } from '../../../store/records.js';
import type { RunStore } from '../../../store/run-store.js';
import { transactionsOf } from '../../../store/transactions.js';
import type { Playbook } from '../playbooks/index.js';
import { planSteps } from '../playbooks/plan.js';
import { buildContext, type ContextSources } from './context.js';
import { RunStatus, StepStatus, type RunOrigin, type RunTrigger } from './model.js';

export interface NewRun {
  playbook: Playbook;
  theCase: CaseRecord | null;
  alert: AlertRecord | null;
  trigger: RunTrigger;
  dryRun: boolean;
  startedBy: string;
  /** Who set it off: the person behind runPlaybook, or the actor of the case change that fired its trigger. */
  origin?: RunOrigin;
}

export function createRunFactory(deps: {
  sqlite: Database.Database;
  runs: RunStore;
  audit: AuditLog;
  clock: Clock;
  sources: ContextSources;
  /** After commit: publish and start executing. */
  started: (run: PlaybookRunRecord) => void;
}) {
  const tx = transactionsOf(deps.sqlite);
  return function createRun(input: NewRun): PlaybookRunRecord {
    const { playbook } = input;
    const now = deps.clock();
    const id = newId(IdPrefix.PlaybookRun, now);
    const context = buildContext(deps.sources, { theCase: input.theCase, alert: input.alert, trigger: input.trigger, playbook, ...(input.origin ? { origin: input.origin } : {}) });
    const planned = planSteps(playbook, context, id);
    const run: PlaybookRunRecord = {
      id,
      playbook: playbook.name,
      playbookHash: playbook.hash,
      caseId: input.theCase?.id ?? null,
      alertId: input.alert?.id ?? null,
      trigger: input.trigger,
      status: RunStatus.PENDING,
      dryRun: input.dryRun,
      context: JSON.stringify(context),
      error: null,
      startedBy: input.startedBy,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    deps.runs.insertRun(run);
    planned.forEach((p, position) =>
      deps.runs.insertStep({
        id: newId(IdPrefix.RunStep, now),
        runId: id,
        position,
        name: p.name,
        action: p.step.action,
        status: p.skipped ? StepStatus.SKIPPED : StepStatus.PENDING,
        attempts: 0,
        deadlineAt: null,
        retryAt: null,
        params: JSON.stringify(p.params),
        output: p.skipped ? JSON.stringify({ skipped: p.skipped }) : null,
        error: null,
        startedAt: null,
        finishedAt: p.skipped ? now : null,
      }),
    );
    deps.audit.record({
      actor: input.startedBy,
      action: 'playbook.run.create',
      entityType: 'PlaybookRun',
      entityId: id,
      after: { playbook: playbook.name, version: playbook.hash, origin: playbook.originLabel, caseId: run.caseId, alertId: run.alertId, trigger: run.trigger, dryRun: run.dryRun, ...(input.origin?.triggeredBy ? { triggeredBy: input.origin.triggeredBy } : {}), ...(input.origin?.sideEffectsNeedApproval ? { sideEffectsNeedApproval: true } : {}), steps: planned.map((p) => ({ name: p.name, action: p.step.action, skipped: p.skipped })) },
    });
    tx.afterCommit(() => deps.started(run));
    return run;
  };
}

export type RunFactory = ReturnType<typeof createRunFactory>;

/**
 * The state changes of runs and steps, synchronous, inside the caller's transaction: a step completes, an
 * attempt fails (and is retried with exponential backoff, or ends the step), an ended step follows its
 * onError, and a run finishes. Each change is published once committed; run starts and ends are audited.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../../clock.js';
import type { AuditLog } from '../../../store/audit-log.js';
import type { PlaybookRunRecord, RunStepRecord } from '../../../store/records.js';
import type { RunStore } from '../../../store/run-store.js';
import { transactionsOf } from '../../../store/transactions.js';
import type { Logger } from '../../../logger.js';
import { baseStepName } from '../playbooks/plan.js';
import type { StepSpec } from '../playbooks/schema.js';
import type { Notify } from '../types.js';
import { RunStatus, StepStatus } from './model.js';

export interface RunEvent {
  run: PlaybookRunRecord;
  /** The step that changed, when a step did. */
  step: RunStepRecord | null;
}

export interface TransitionDeps {
  sqlite: Database.Database;
  runs: RunStore;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  notify: () => Notify | undefined;
  publish: (event: RunEvent) => void;
}

export const json = (value: unknown): string => JSON.stringify(value);

export function createTransitions(deps: TransitionDeps) {
  const { runs, clock } = deps;
  const tx = transactionsOf(deps.sqlite);

  function announce(runId: string, stepId: string | null): void {
    tx.afterCommit(() => {
      const run = runs.getRun(runId);
      if (run) deps.publish({ run, step: stepId ? (runs.getStep(stepId) ?? null) : null });
    });
  }

  function touch(runId: string): void {
    runs.updateRun(runId, { updatedAt: clock() });
  }

  function setStep(step: RunStepRecord, patch: Parameters<RunStore['updateStep']>[1]): void {
    runs.updateStep(step.id, patch);
    touch(step.runId);
    announce(step.runId, step.id);
  }

  function setRun(run: PlaybookRunRecord, status: RunStatus, error: string | null = run.error): void {
    const now = clock();
    const final = status === RunStatus.COMPLETED || status === RunStatus.FAILED || status === RunStatus.STALLED || status === RunStatus.CANCELLED;
    runs.updateRun(run.id, { status, error, updatedAt: now, ...(final ? { finishedAt: now } : {}) });
    if (final) {
      deps.audit.record({ actor: run.startedBy, action: 'playbook.run.finish', entityType: 'PlaybookRun', entityId: run.id, before: { status: run.status }, after: { status, error, playbook: run.playbook, caseId: run.caseId } });
    }
    announce(run.id, null);
  }

  /** Skips the PENDING steps after `from` (exclusive) up to `until` (the first row of that step, exclusive; all when absent). */
  function skipAfter(runId: string, fromPosition: number, reason: string, until?: string): void {
    for (const row of runs.stepsOf(runId)) {
      if (row.position <= fromPosition) continue;
      if (until !== undefined && baseStepName(row.name) === until) break;
      if (row.status === StepStatus.PENDING) setStep(row, { status: StepStatus.SKIPPED, output: json({ skipped: reason }), finishedAt: clock() });
    }
  }

  function failRun(run: PlaybookRunRecord, status: typeof RunStatus.FAILED | typeof RunStatus.STALLED, message: string): void {
    setRun(run, status, message);
    const notify = deps.notify();
    if (!notify || run.dryRun) return;
    try {
      // A savepoint: a failing notifier is logged, and never undoes the run's record.
      tx.run(() =>
        notify({
          event: 'playbook.failed',
          severity: null,
          caseId: run.caseId,
          title: `Playbook ${run.playbook} ${status === RunStatus.STALLED ? 'stalled' : 'failed'}`,
          text: message,
          facts: { runId: run.id, playbook: run.playbook, version: run.playbookHash.slice(0, 12), status },
        }),
      );
    } catch (error) {
      deps.logger.warn({ err: error, runId: run.id }, 'could not write the notification of a failed playbook run');
    }
  }

  /** A step ended FAILED, STALLED, REFUSED or REJECTED: what its onError says happens next. */
  function endWithError(run: PlaybookRunRecord, step: RunStepRecord, spec: StepSpec, status: StepStatus, message: string): void {
    setStep(step, { status, error: message, deadlineAt: null, retryAt: null, finishedAt: clock() });
    const what = `step ${step.name} ${status}: ${message}`;
    if (spec.onError === 'continue') return;
    if (spec.onError === 'fail') {
      skipAfter(run.id, step.position, `the run stopped: ${what}`);
      failRun(run, status === StepStatus.STALLED ? RunStatus.STALLED : RunStatus.FAILED, what);
      return;
    }
    skipAfter(run.id, step.position, `onError of ${step.name} jumped to ${spec.onError}`, spec.onError);
  }

  return {
    announce,
    setStep,
    setRun,
    failRun,
    endWithError,

    complete(step: RunStepRecord, output: unknown): void {
      setStep(step, { status: StepStatus.COMPLETED, output: json(output), error: null, deadlineAt: null, retryAt: null, finishedAt: clock() });
    },

    /**
     * One attempt failed. A retryable failure with attempts left goes back to PENDING with `retryAt`
     * (backoff, doubling each attempt: 2s, 4s, 8s, ...); otherwise the step ends FAILED.
     */
    failAttempt(run: PlaybookRunRecord, step: RunStepRecord, spec: StepSpec, message: string, retryable: boolean): void {
      const attempts = step.attempts;
      if (retryable && attempts < 1 + spec.retries.count) {
        const retryAt = clock() + spec.retries.backoff * 2 ** Math.max(0, attempts - 1);
        setStep(step, { status: StepStatus.PENDING, error: `attempt ${attempts} of ${1 + spec.retries.count} failed: ${message}`, deadlineAt: null, retryAt });
        return;
      }
      endWithError(run, step, spec, StepStatus.FAILED, attempts > 1 ? `${message} (after ${attempts} attempts)` : message);
    },
  };
}

export type Transitions = ReturnType<typeof createTransitions>;

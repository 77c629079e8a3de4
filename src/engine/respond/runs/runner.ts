/**
 * Executes runs, one step at a time, in position order. Deciding what happens next is synchronous and
 * transactional (mark the step RUNNING and request its action in one commit); executing a ready action is
 * asynchronous and outside any transaction, raced against the step's timeout. Every outcome is written
 * before the next step starts, so a restart (`resume`) picks up exactly where the run was.
 *
 * A RUNNING step found when no attempt is in flight (after a restart) is settled from its action:
 * EXECUTED -> COMPLETED; FAILED -> a failed attempt (retries, then onError); still ready (the process
 * stopped mid-execution, the outcome is unknown) -> executed again, allowed up to
 * RESUME_EXTRA_ATTEMPTS beyond the retry budget, then STALLED (never retried blindly forever).
 *
 * A retry after a timed-out attempt whose action is still ready (its executor had not answered) executes
 * that same action again, never a new one: its id is the executor's idempotency key, and an execution still
 * in flight in this process is shared, so one retry never makes a second containment.
 */
import type { ActionRecord, PlaybookRunRecord, RunStepRecord } from '../../../store/records.js';
import type { RunStore } from '../../../store/run-store.js';
import { transactionsOf } from '../../../store/transactions.js';
import type { Logger } from '../../../logger.js';
import type Database from 'better-sqlite3';
import type { Clock } from '../../../clock.js';
import type { Playbooks } from '../playbooks/index.js';
import { baseStepName } from '../playbooks/plan.js';
import type { StepSpec } from '../playbooks/schema.js';
import { ActionStatus, type ActionService } from '../types.js';
import { ERROR_STEP, RunStatus, StepStatus } from './model.js';
import { stepApproval } from './origin.js';
import type { Transitions } from './transitions.js';
import { attemptTimeout, createStepExecution, expected, failureMessage, isReady, outputOf, type ExecuteNext } from './execute-step.js';

/** Executions of an interrupted step allowed after restarts beyond its retries, before it is STALLED. */
export const RESUME_EXTRA_ATTEMPTS = 2;

/** The part of the action service the runner uses (the real one, or a test's fake). */
export type RunActions = Pick<ActionService, 'request' | 'execute'> & {
  approve(actionId: string, actor: string): ActionRecord;
  reject(actionId: string, status: 'REJECTED' | 'EXPIRED', actor: string, reason?: string): ActionRecord;
};

export interface RunnerDeps {
  sqlite: Database.Database;
  runs: RunStore;
  playbooks: Pick<Playbooks, 'spec'>;
  actions: RunActions;
  transitions: Transitions;
  clock: Clock;
  logger: Logger;
  /** Called when a step's action waits for approval, to make sure its approval row exists. */
  ensureApproval(action: ActionRecord, spec: NonNullable<StepSpec['approval']>): void;
  /** A real executor's own timeout (VIGIL_EXECUTOR_TIMEOUT_MS): attempts through one wait at least this long. */
  executorTimeoutMs?: number;
  /** Runs driven at once; more wait their turn. */
  maxConcurrentRuns?: number;
  /** Waits out a retry backoff; tests may replace it. */
  sleep?: (ms: number) => Promise<void>;
}

type Next =
  | { kind: 'done' }
  | { kind: 'again' }
  | { kind: 'wait'; ms: number; stepId: string; retryAt: number }
  | ExecuteNext;

const DONE: Next = { kind: 'done' };
const AGAIN: Next = { kind: 'again' };

export function createRunner(deps: RunnerDeps) {
  const { runs, transitions: t, clock, actions } = deps;
  const tx = transactionsOf(deps.sqlite);
  const max = deps.maxConcurrentRuns ?? 4;
  const active = new Map<string, Promise<void>>();
  const queue: string[] = [];
  const rekick = new Set<string>();
  /** Steps with an execution in flight in this process. */
  const inFlight = new Set<string>();
  /** Approved steps whose next execution is the approved one, not a re-run after an interruption. */
  const approved = new Set<string>();
  const sleepers = new Set<() => void>();
  let stopped = false;

  const sleep =
    deps.sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        timer.unref();
        sleepers.add(done);
      }));

  function specOf(run: PlaybookRunRecord, step: RunStepRecord): StepSpec | undefined {
    return deps.playbooks.spec(run.playbookHash)?.steps.find((s) => s.name === baseStepName(step.name));
  }

  function waitApproval(run: PlaybookRunRecord, step: RunStepRecord): Next {
    t.setStep(step, { status: StepStatus.WAITING_APPROVAL, deadlineAt: null });
    t.setRun(run, RunStatus.WAITING_APPROVAL);
    return DONE;
  }

  /** Executes a ready action for `step`, waiting as long as its executor may take (and recording that deadline). */
  function executeNext(run: PlaybookRunRecord, step: RunStepRecord, spec: StepSpec, action: ActionRecord, now: number): Next {
    const timeoutMs = attemptTimeout(spec, action, deps.executorTimeoutMs);
    if (timeoutMs !== spec.timeout) t.setStep(step, { deadlineAt: now + timeoutMs });
    return { kind: 'execute', runId: run.id, stepId: step.id, actionId: action.id, spec, timeoutMs };
  }

  /** What the action of an attempt says happens to the step. */
  function settle(run: PlaybookRunRecord, step: RunStepRecord, spec: StepSpec, action: ActionRecord, resumed: boolean): Next {
    switch (action.status) {
      case ActionStatus.EXECUTED:
      case ActionStatus.PLANNED:
        if (isReady(action)) break;
        t.complete(step, outputOf(action, resumed ? { resumed: true } : {}));
        return AGAIN;
      case ActionStatus.REFUSED:
        t.endWithError(run, step, spec, StepStatus.REFUSED, action.reason ?? 'refused by the safety rails');
        return AGAIN;
      case ActionStatus.REJECTED:
      case ActionStatus.EXPIRED:
        t.endWithError(run, step, spec, StepStatus.REJECTED, action.reason ?? `the action was ${action.status}`);
        return AGAIN;
      case ActionStatus.FAILED:
        t.failAttempt(run, step, spec, action.reason ?? 'the action failed', true);
        return AGAIN;
      case ActionStatus.PENDING_APPROVAL: {
        const approval = stepApproval(run, spec);
        if (approval) deps.ensureApproval(action, approval);
        return waitApproval(run, step);
      }
      case ActionStatus.REVERTED:
        t.complete(step, outputOf(action, { note: 'executed, and reverted since' }));
        return AGAIN;
    }
    if (!resumed || approved.delete(step.id)) return executeNext(run, step, spec, action, clock());
    // Interrupted mid-execution: its outcome is unknown. Execute it again, within bounds.
    if (step.attempts >= 1 + spec.retries.count + RESUME_EXTRA_ATTEMPTS) {
      t.endWithError(run, step, spec, StepStatus.STALLED, `interrupted ${step.attempts} times while running (the process stopped mid-step); the outcome of action ${action.id} is unknown, so it is not executed again`);
      return AGAIN;
    }
    const now = clock();
    const timeoutMs = attemptTimeout(spec, action, deps.executorTimeoutMs);
    t.setStep(step, { attempts: step.attempts + 1, deadlineAt: now + timeoutMs });
    return { kind: 'execute', runId: run.id, stepId: step.id, actionId: action.id, spec, timeoutMs };
  }

  function attempt(run: PlaybookRunRecord, step: RunStepRecord, spec: StepSpec): Next {
    const previous = step.attempts > 0 ? runs.latestActionOf(step.id) : undefined;
    // A timed-out attempt may have finished after all: then the step is done, and not done twice.
    if (previous?.status === ActionStatus.EXECUTED) {
      t.complete(step, outputOf(previous, { note: 'an earlier attempt finished after its timeout' }));
      return AGAIN;
    }
    const now = clock();
    t.setStep(step, { status: StepStatus.RUNNING, attempts: step.attempts + 1, startedAt: step.startedAt ?? now, deadlineAt: now + spec.timeout, retryAt: null });
    const running = runs.getStep(step.id)!;
    // The last attempt timed out (or its process stopped) before its executor answered: the same action again, not a second one.
    if (previous && isReady(previous)) return executeNext(run, running, spec, previous, now);
    const approval = stepApproval(run, spec);
    let action: ActionRecord;
    try {
      // A savepoint: a request that throws leaves nothing half-written, and the failure below still commits.
      action = tx.run(() =>
        actions.request({
          kind: spec.action,
          params: JSON.parse(step.params) as Record<string, unknown>,
          caseId: run.caseId,
          runId: run.id,
          stepId: step.id,
          actor: run.startedBy,
          dryRun: run.dryRun,
          ...(approval ? { approval: { role: approval.role, count: approval.count, expiresInMs: approval.expires, defaultOutcome: approval.default } } : {}),
        }),
      );
    } catch (error) {
      // Bad parameters or a case that cannot take the action will not get better by retrying.
      t.failAttempt(run, running, spec, failureMessage(error, deps.logger, { runId: run.id, stepId: step.id }), !expected(error));
      return AGAIN;
    }
    return settle(run, running, spec, action, false);
  }

  function decide(runId: string, waited: { stepId: string; retryAt: number } | undefined): Next {
    let run = runs.getRun(runId);
    if (!run || (run.status !== RunStatus.PENDING && run.status !== RunStatus.RUNNING)) return DONE;
    if (!deps.playbooks.spec(run.playbookHash)) {
      t.failRun(run, RunStatus.FAILED, `playbook version ${run.playbookHash} is not stored: the run cannot go on`);
      return DONE;
    }
    if (run.status === RunStatus.PENDING) {
      t.setRun(run, RunStatus.RUNNING);
      run = runs.getRun(runId)!;
    }
    const steps = runs.stepsOf(runId);
    const step = steps.find((s) => s.status === StepStatus.PENDING || s.status === StepStatus.RUNNING || s.status === StepStatus.WAITING_APPROVAL);
    if (!step) {
      const errors = steps.filter((s) => ERROR_STEP.includes(s.status));
      t.setRun(run, RunStatus.COMPLETED, errors.length ? `completed; ${errors.map((s) => `${s.name} ${s.status}`).join(', ')} (onError went on)` : null);
      return DONE;
    }
    if (step.status === StepStatus.WAITING_APPROVAL) return waitApproval(run, step);
    const spec = specOf(run, step);
    if (!spec) {
      t.failRun(run, RunStatus.FAILED, `step ${step.name} is not in playbook version ${run.playbookHash}`);
      return DONE;
    }
    if (step.status === StepStatus.RUNNING) {
      const action = runs.latestActionOf(step.id);
      if (!action) {
        t.setStep(step, { status: StepStatus.PENDING });
        return AGAIN;
      }
      return settle(run, step, spec, action, true);
    }
    if (spec.onlyOnError && !steps.some((s) => s.position < step.position && ERROR_STEP.includes(s.status))) {
      t.setStep(step, { status: StepStatus.SKIPPED, output: JSON.stringify({ skipped: 'onlyOnError: no earlier step failed' }), finishedAt: clock() });
      return AGAIN;
    }
    const due = step.retryAt ?? 0;
    if (due > clock() && !(waited?.stepId === step.id && waited.retryAt === due)) return { kind: 'wait', ms: due - clock(), stepId: step.id, retryAt: due };
    return attempt(run, step, spec);
  }

  const execute = createStepExecution({ sqlite: deps.sqlite, runs, transitions: t, actions, inFlight, logger: deps.logger });

  async function drive(runId: string): Promise<void> {
    let waited: { stepId: string; retryAt: number } | undefined;
    while (!stopped && deps.sqlite.open) {
      let next: Next;
      try {
        next = tx.run(() => decide(runId, waited));
      } catch (error) {
        const message = failureMessage(error, deps.logger, { runId });
        tx.run(() => {
          const run = runs.getRun(runId);
          if (run && run.status !== RunStatus.FAILED) t.failRun(run, RunStatus.FAILED, message);
        });
        return;
      }
      if (next.kind === 'done') return;
      if (next.kind === 'wait') {
        await sleep(next.ms);
        waited = { stepId: next.stepId, retryAt: next.retryAt };
      } else if (next.kind === 'execute') {
        try {
          await execute(next);
        } catch (error) {
          deps.logger.error({ err: error, runId, stepId: next.stepId }, 'could not record the outcome of a playbook step');
          return;
        }
      }
    }
  }

  function kick(runId: string): void {
    if (stopped) return;
    if (active.has(runId)) {
      rekick.add(runId);
      return;
    }
    if (active.size >= max) {
      if (!queue.includes(runId)) queue.push(runId);
      return;
    }
    const driving = drive(runId).finally(() => {
      active.delete(runId);
      const next = rekick.delete(runId) ? runId : queue.shift();
      if (next) kick(next);
    });
    active.set(runId, driving);
  }

  return {
    kick,
    /** Marks an approved step so its next execution is not mistaken for a re-run after an interruption. */
    markApproved: (stepId: string) => void approved.add(stepId),
    isActive: (runId: string) => active.has(runId) || queue.includes(runId),
    isInFlight: (stepId: string) => inFlight.has(stepId),
    /** Resolves once no run is being driven (runs waiting for approval are not driven). */
    async idle(timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (active.size > 0 || queue.length > 0) {
        if (Date.now() > deadline) throw new Error(`playbook runs did not settle: ${active.size} active, ${queue.length} queued`);
        await Promise.race([Promise.allSettled([...active.values()]), new Promise((r) => setTimeout(r, 50).unref())]);
      }
    },
    /** Stops taking work and waits for the steps in flight (each bounded by its timeout). */
    async close(): Promise<void> {
      stopped = true;
      queue.length = 0;
      for (const wake of [...sleepers]) wake();
      await Promise.allSettled([...active.values()]);
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;

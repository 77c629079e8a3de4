/**
 * The periodic check that nothing waits forever: expired approvals get their default outcome; RUNNING
 * steps past their deadline that no execution in this process owns end STALLED; runs with work to do that
 * nobody drives are driven.
 *
 * STALLED means "the outcome is unknown": an attempt whose deadline passed without any executor answering
 * in this process (its process died and this one did not resume it, or something else left it RUNNING).
 * It is not retried (that could do the action twice) and follows the step's onError; a run stopped by it
 * ends STALLED. A step whose executor is merely slow ends FAILED at its timeout instead (see runner.ts).
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import type { RunStore } from '../../../store/run-store.js';
import { transactionsOf } from '../../../store/transactions.js';
import type { Playbooks } from '../playbooks/index.js';
import { baseStepName } from '../playbooks/plan.js';
import type { Approvals } from './approvals.js';
import { RunStatus, StepStatus } from './model.js';
import type { Runner } from './runner.js';
import type { Transitions } from './transitions.js';

export interface SweepResult {
  expired: number;
  stalled: number;
  driven: number;
}

export function createSweep(deps: {
  sqlite: Database.Database;
  runs: RunStore;
  playbooks: Pick<Playbooks, 'spec'>;
  approvals: Pick<Approvals, 'expireDue'>;
  runner: Pick<Runner, 'kick' | 'isActive' | 'isInFlight'>;
  transitions: Transitions;
  clock: Clock;
  logger: Logger;
}) {
  const { runs, runner, transitions: t } = deps;
  const tx = transactionsOf(deps.sqlite);

  function stall(stepId: string): boolean {
    return tx.run(() => {
      const step = runs.getStep(stepId);
      const run = step ? runs.getRun(step.runId) : undefined;
      if (!step || !run || step.status !== StepStatus.RUNNING || step.deadlineAt === null) return false;
      const spec = deps.playbooks.spec(run.playbookHash)?.steps.find((s) => s.name === baseStepName(step.name));
      const reason = `no outcome by its deadline ${new Date(step.deadlineAt).toISOString()} (attempt ${step.attempts}): no executor in this process answered, so whether the action happened is unknown; it is not retried`;
      if (run.status !== RunStatus.RUNNING) t.setRun(run, RunStatus.RUNNING);
      const current = runs.getRun(run.id)!;
      if (spec) t.endWithError(current, step, spec, StepStatus.STALLED, reason);
      else {
        t.setStep(step, { status: StepStatus.STALLED, error: reason, deadlineAt: null, finishedAt: deps.clock() });
        t.failRun(current, RunStatus.STALLED, `step ${step.name} STALLED: ${reason}`);
      }
      return true;
    });
  }

  return function sweep(): SweepResult {
    const result: SweepResult = { expired: 0, stalled: 0, driven: 0 };
    result.expired = deps.approvals.expireDue();
    for (const step of runs.overdueSteps(deps.clock())) {
      // Owned here: its own timeout settles it. Its run being driven: the runner settles it from its action.
      if (runner.isInFlight(step.id) || runner.isActive(step.runId)) continue;
      try {
        if (stall(step.id)) result.stalled++;
      } catch (error) {
        deps.logger.error({ err: error, stepId: step.id }, 'could not mark a step STALLED');
      }
    }
    for (const runId of runs.runnableRunIds()) {
      if (runner.isActive(runId)) continue;
      runner.kick(runId);
      result.driven++;
    }
    return result;
  };
}

/**
 * Executing a step's ready action, outside any transaction, raced against the step's timeout; then
 * recording what came of it (unless the step was decided meanwhile, e.g. by the sweep).
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Logger } from '../../../logger.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../errors.js';
import type { ActionRecord } from '../../../store/records.js';
import type { RunStore } from '../../../store/run-store.js';
import { transactionsOf } from '../../../store/transactions.js';
import { formatDuration, type StepSpec } from '../playbooks/schema.js';
import { ActionStatus, type ActionService } from '../types.js';
import { RunStatus, StepStatus } from './model.js';
import type { Transitions } from './transitions.js';

export interface ExecuteNext {
  kind: 'execute';
  runId: string;
  stepId: string;
  actionId: string;
  spec: StepSpec;
  /** How long this attempt waits: the step's timeout, or longer for a real executor (see attemptTimeout). */
  timeoutMs: number;
}

const TIMED_OUT = Symbol('timed out');

export const outputOf = (action: ActionRecord, extra: Record<string, unknown> = {}) => ({
  actionId: action.id,
  status: action.status,
  target: action.target,
  ...(action.reason ? { reason: action.reason } : {}),
  artifact: action.artifact ? (JSON.parse(action.artifact) as unknown) : null,
  ...extra,
});

export const isReady = (action: ActionRecord) => action.status === ActionStatus.PLANNED && !action.dryRun;
export const expected = (error: unknown) => error instanceof ValidationError || error instanceof NotFoundError || error instanceof ConflictError;
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * What a step or run records about an error: an expected one (bad parameters, a missing or conflicting
 * record) says what is wrong; an unexpected one (a SQLite error, a TypeError) may carry internals, and is
 * served over the API and copied into notifications, so it is logged with a reference and recorded as that.
 */
export function failureMessage(error: unknown, logger: Logger, fields: Record<string, unknown>): string {
  if (expected(error)) return messageOf(error);
  const ref = randomBytes(6).toString('hex');
  logger.error({ err: error, ref, ...fields }, 'a playbook run failed unexpectedly');
  return `internal error (see server log, ref ${ref})`;
}

/** Executors that answer within Vigil (simulated containment, case actions): the step's timeout applies as written. */
const LOCAL_EXECUTORS: ReadonlySet<string> = new Set(['simulated', 'vigil']);
/** Margin beyond a real executor's own timeout. */
export const EXECUTOR_GRACE_MS = 1000;

/**
 * How long one attempt waits for its action. A real executor (an HTTP call to a firewall, EDR or directory)
 * ends every call itself within its timeout (VIGIL_EXECUTOR_TIMEOUT_MS); a step timeout shorter than that
 * would give up while the call may still succeed, and report FAILED for a containment that happened. So
 * such an attempt waits at least the executor's timeout plus a margin: the executor's answer (done, failed,
 * or its own timeout) decides the step.
 */
export function attemptTimeout(spec: Pick<StepSpec, 'timeout'>, action: Pick<ActionRecord, 'executor'>, executorTimeoutMs: number | undefined): number {
  if (executorTimeoutMs === undefined || LOCAL_EXECUTORS.has(action.executor)) return spec.timeout;
  return Math.max(spec.timeout, executorTimeoutMs + EXECUTOR_GRACE_MS);
}

export function createStepExecution(deps: {
  sqlite: Database.Database;
  runs: RunStore;
  transitions: Transitions;
  actions: Pick<ActionService, 'execute'>;
  inFlight: Set<string>;
  logger: Logger;
}) {
  const { runs, transitions: t, actions, inFlight } = deps;
  const tx = transactionsOf(deps.sqlite);
  return async function execute(next: ExecuteNext): Promise<void> {
    inFlight.add(next.stepId);
    let timer: NodeJS.Timeout | undefined;
    let outcome: ActionRecord | typeof TIMED_OUT | Error;
    try {
      const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), next.timeoutMs);
        timer.unref();
      });
      outcome = await Promise.race([actions.execute(next.actionId), timeout]);
    } catch (error) {
      outcome = error instanceof Error ? error : new Error(String(error));
    } finally {
      clearTimeout(timer);
      inFlight.delete(next.stepId);
    }
    // Shut down while this was in flight: the step stays RUNNING and the next start settles it from its action.
    if (!deps.sqlite.open) return;
    tx.run(() => {
      const run = runs.getRun(next.runId);
      const step = runs.getStep(next.stepId);
      // Decided meanwhile (the sweep, a cancellation): the late answer changes nothing.
      if (!run || !step || step.status !== StepStatus.RUNNING || run.status !== RunStatus.RUNNING) return;
      if (outcome === TIMED_OUT) t.failAttempt(run, step, next.spec, `timed out after ${formatDuration(next.timeoutMs)}`, true);
      else if (outcome instanceof Error) t.failAttempt(run, step, next.spec, failureMessage(outcome, deps.logger, { runId: run.id, stepId: step.id, actionId: next.actionId }), !expected(outcome));
      else if (outcome.status === ActionStatus.EXECUTED || outcome.status === ActionStatus.REVERTED) t.complete(step, outputOf(outcome));
      else if (outcome.status === ActionStatus.REFUSED) t.endWithError(run, step, next.spec, StepStatus.REFUSED, outcome.reason ?? 'refused');
      else t.failAttempt(run, step, next.spec, outcome.reason ?? `the action ended ${outcome.status}`, true);
    });
  };
}

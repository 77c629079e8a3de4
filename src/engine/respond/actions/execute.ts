/**
 * Performs a ready action (PLANNED, not a dry run) and stores EXECUTED or FAILED with its artifact.
 * Case actions run in one transaction with their record. Containments call their executor first, outside
 * any transaction (a real one is a network call), then record the outcome; a block of an address that is
 * already blocked is recorded as a duplicate and not executed again (extending the block in force when
 * it asks for longer). Just before a containment runs, the hourly blast radius is checked again: a ready
 * action run long after its request (a resumed run) acts now. Calling `execute` again for an action that
 * is done answers it as it is (a resumed playbook may ask twice); two concurrent calls share one run.
 */
import { ConflictError, NotFoundError } from '../../../errors.js';
import type { Logger } from '../../../logger.js';
import type { ActionStore } from '../../../store/action-store.js';
import type { ActionRecord } from '../../../store/records.js';
import { ActionKind, ActionStatus } from '../types.js';
import type { CaseActions } from './case-actions.js';
import type { Executors } from './executors.js';
import { extendHolder, extensionNote, extensionOf } from './extend.js';
import { internalError } from './internal-error.js';
import { CASE_KINDS, REVERSIBLE } from './params.js';
import { planOf } from './plan.js';
import { ActionChange, type Recorder } from './recorder.js';
import type { BlastRadius } from './safety.js';

const DONE = new Set<string>([ActionStatus.EXECUTED, ActionStatus.FAILED, ActionStatus.REVERTED]);

/** A ready action: stored PLANNED by a request that was neither a dry run, nor refused, nor waiting for approval. */
export const isReady = (action: ActionRecord) => action.status === ActionStatus.PLANNED && !action.dryRun;

export function notReadyMessage(action: ActionRecord): string {
  if (action.status === ActionStatus.PLANNED) return `action ${action.id} is a dry-run plan: it never runs; request it again without dryRun to do it`;
  if (action.status === ActionStatus.PENDING_APPROVAL) return `action ${action.id} waits for approval (PENDING_APPROVAL): it runs once approved`;
  const why = action.reason ? ` (${action.reason})` : '';
  return `action ${action.id} was ${action.status}${why}: it never runs`;
}

export const artifactOf = (action: ActionRecord): Record<string, unknown> => (action.artifact ? (JSON.parse(action.artifact) as Record<string, unknown>) : {});

export function createExecution(deps: { store: ActionStore; recorder: Recorder; clock: () => number; executors: Executors; caseActions: CaseActions; logger: Logger; blast: Pick<BlastRadius, 'recheck'> }) {
  const { store, recorder, clock } = deps;
  const { tx } = recorder;
  const inFlight = new Map<string, Promise<ActionRecord>>();

  function mustGet(id: string): ActionRecord {
    const action = store.get(id);
    if (!action) throw new NotFoundError('action', id);
    return action;
  }

  function failure(error: unknown, action: ActionRecord): string {
    if (error instanceof ConflictError || error instanceof NotFoundError || (error instanceof Error && error.name === 'ValidationError')) return error.message;
    return internalError(deps.logger, error, { actionId: action.id }, 'an action failed unexpectedly');
  }

  function runCaseAction(id: string): ActionRecord {
    return tx.run(() => {
      const action = mustGet(id);
      if (!isReady(action)) return action;
      const now = clock();
      let result: Record<string, unknown> | undefined;
      let reason: string | undefined;
      try {
        // A savepoint: a refused case change leaves nothing half-written, and the FAILED record still commits.
        result = tx.run(() => deps.caseActions.perform(action.kind as ActionKind, action.caseId, JSON.parse(action.params), action.requestedBy));
      } catch (error) {
        reason = failure(error, action);
      }
      const artifact = JSON.stringify({ ...artifactOf(action), ...(result ? { result } : {}), executedAt: now });
      if (reason) return recorder.changed(action, { status: ActionStatus.FAILED, reason, artifact }, ActionChange.FAILED, action.requestedBy, 'action.fail', now);
      return recorder.changed(action, { status: ActionStatus.EXECUTED, artifact }, ActionChange.EXECUTED, action.requestedBy, 'action.execute', now);
    });
  }

  /** REFUSED (and notified) when the hourly blast radius is full by now; undefined when it may run. */
  function refuseOverLimit(id: string): ActionRecord | undefined {
    return tx.run(() => {
      const current = mustGet(id);
      const over = isReady(current) ? deps.blast.recheck(current) : undefined;
      if (!over) return undefined;
      const refused = recorder.changed(current, { status: ActionStatus.REFUSED, reason: over, artifact: JSON.stringify({ ...artifactOf(current), refused: over }) }, ActionChange.REFUSED, current.requestedBy, 'action.refuse', clock());
      recorder.notify('action.refused', refused, `${refused.kind} ${refused.target} refused`, `Vigil refused to run it: ${over}.`);
      return refused;
    });
  }

  /**
   * A failed revert is notified the first time only: the sweep retries it with backoff, and each retry
   * is a new revert action, so notifying each would repeat the same news every few minutes.
   */
  const firstFailedRevert = (revert: ActionRecord) => revert.revertOf !== null && store.failedRevertsOf(revert.revertOf) === 1;

  /** Marks the original of an executed revert REVERTED (once). */
  function markReverted(revert: ActionRecord, now: number): void {
    const original = revert.revertOf ? store.get(revert.revertOf) : undefined;
    if (!original || original.status !== ActionStatus.EXECUTED || original.revertedAt) return;
    const after = recorder.changed(original, { status: ActionStatus.REVERTED, revertedAt: now }, ActionChange.REVERTED, revert.requestedBy, 'action.revert', now);
    recorder.notify('action.reverted', after, `${after.kind} ${after.target} reverted`, `${revert.kind} ${revert.target} undid it (${revert.executor}${revert.requestedBy.startsWith('system:') ? ', its TTL ended' : `, by ${revert.requestedBy}`}).`);
  }

  async function runContainment(id: string): Promise<ActionRecord> {
    const action = mustGet(id);
    const kind = action.kind as ActionKind;
    const params = JSON.parse(action.params) as Record<string, unknown>;
    const ttlMs = typeof params.ttl === 'number' ? params.ttl : null;

    // Blocked since it was requested (two blocks of one address in flight): record it as the duplicate it is.
    const holder = REVERSIBLE[kind] ? store.activeOf(kind, action.target) : undefined;
    if (holder && holder.id !== action.id) {
      return tx.run(() => {
        const current = mustGet(id);
        if (!isReady(current)) return current;
        const now = clock();
        const held = mustGet(holder.id);
        const extension = ttlMs ? extensionOf(held, now + ttlMs) : undefined;
        const note = `${current.target} is already ${kind === ActionKind.BLOCK_IP ? 'blocked' : 'isolated'} by ${holder.id}; nothing was done again${extensionNote(extension, false)}`;
        const artifact = JSON.stringify({ ...artifactOf(current), duplicateOf: holder.id, note, ...(extension ? { extends: { from: extension.from, to: extension.to } } : {}) });
        const done = recorder.changed(current, { status: ActionStatus.EXECUTED, artifact }, ActionChange.EXECUTED, current.requestedBy, 'action.execute', now);
        if (extension) extendHolder(recorder, held, extension, { actionId: id, actor: current.requestedBy }, now);
        return done;
      });
    }

    const refused = refuseOverLimit(id);
    if (refused) return refused;

    const executor = deps.executors.of(kind);
    const outcome = await executor.run({ actionId: id, kind, target: action.target, params, ttlMs, caseId: action.caseId, requestedBy: action.requestedBy });

    return tx.run(() => {
      const current = mustGet(id);
      if (!isReady(current)) return current;
      const now = clock();
      const revertAt = outcome.ok && REVERSIBLE[kind] && ttlMs ? now + ttlMs : null;
      const artifact = JSON.stringify({ ...artifactOf(current), executor: executor.name, ...outcome.detail, executedAt: now, ...(revertAt ? { revertAt } : {}) });
      const summary = planOf(kind, params, ttlMs)?.summary ?? kind;
      if (!outcome.ok) {
        const failed = recorder.changed(current, { status: ActionStatus.FAILED, reason: outcome.reason ?? 'the executor failed', artifact, executor: executor.name }, ActionChange.FAILED, current.requestedBy, 'action.fail', now);
        if (!failed.revertOf) recorder.notify('action.failed', failed, `${kind} ${current.target} failed`, `Could not ${summary}: ${failed.reason}`);
        else if (firstFailedRevert(failed)) {
          recorder.notify('action.failed', failed, `${kind} ${current.target} failed`, `Could not ${summary}: ${failed.reason}. ${failed.revertOf} stays in force; further failures to revert it are not notified; action.reverted follows once it is.`);
        }
        return failed;
      }
      const done = recorder.changed(current, { status: ActionStatus.EXECUTED, artifact, executor: executor.name, revertAt }, ActionChange.EXECUTED, current.requestedBy, 'action.execute', now);
      if (done.revertOf) {
        markReverted(done, now);
      } else {
        const simulated = executor.name === 'simulated' ? ' (simulated: nothing outside Vigil changed)' : ` through ${executor.name}`;
        recorder.notify('action.executed', done, `${kind} ${done.target} executed`, `Did ${summary}${simulated}${revertAt ? `; reverts at ${new Date(revertAt).toISOString()}` : ''}.`);
      }
      return done;
    });
  }

  return {
    inFlight: () => [...inFlight.values()],

    async execute(actionId: string): Promise<ActionRecord> {
      const running = inFlight.get(actionId);
      if (running) return running;
      const action = mustGet(actionId);
      if (DONE.has(action.status)) return action;
      if (!isReady(action)) throw new ConflictError(notReadyMessage(action));
      const run = CASE_KINDS.includes(action.kind as ActionKind) ? Promise.resolve().then(() => runCaseAction(actionId)) : runContainment(actionId);
      const settled = run.finally(() => inFlight.delete(actionId));
      inFlight.set(actionId, settled);
      return settled;
    },
  };
}

export type Execution = ReturnType<typeof createExecution>;

/**
 * Undoing blocks and isolations: by hand (`revertAction`) or when their TTL ends (the sweep). A revert is
 * an action of its own (UNBLOCK_IP or RELEASE_HOST, linked by `revertOf`) run through the same executor;
 * once it is EXECUTED the original becomes REVERTED. The rails never refuse a revert: undoing is always
 * safe. A revert that fails leaves the original EXECUTED and the sweep tries again later, backing off
 * (doubling from `retryMs` up to an hour) so an executor that is down for long does not get a call, and
 * the table a row, every minute; only the first failure is notified (see execute.ts).
 */
import { ConflictError, NotFoundError } from '../../../errors.js';
import { IdPrefix, newId } from '../../../ids.js';
import type { Logger } from '../../../logger.js';
import type { ActionStore } from '../../../store/action-store.js';
import type { ActionRecord } from '../../../store/records.js';
import { ActionKind, ActionStatus } from '../types.js';
import { artifactOf, type Execution } from './execute.js';
import type { Executors } from './executors.js';
import { REVERSIBLE } from './params.js';
import { planOf } from './plan.js';
import { ActionChange, type Recorder } from './recorder.js';

/** The actor of reverts the sweep makes. */
export const TTL_ACTOR = 'system:ttl';
/** Most expired actions one sweep reverts (the next sweep takes the rest). */
const SWEEP_BATCH = 50;
/** The longest wait between two tries of a failing revert: a block kept past its TTL should not last much longer. */
const MAX_RETRY_MS = 3_600_000;

/** The wait after the `failures`-th failed revert: retryMs, 2x, 4x ... capped at MAX_RETRY_MS (or retryMs if larger). */
export function revertBackoff(retryMs: number, failures: number): number {
  const doublings = Math.min(Math.max(failures - 1, 0), 20);
  return Math.min(retryMs * 2 ** doublings, Math.max(MAX_RETRY_MS, retryMs));
}

export function createReverts(deps: { store: ActionStore; recorder: Recorder; execution: Execution; executors: Executors; clock: () => number; logger: Logger; retryMs: number }) {
  const { store, recorder, clock } = deps;
  const { tx } = recorder;
  const inFlight = new Map<string, Promise<ActionRecord>>();
  let sweeping: Promise<number> | undefined;
  let stopped = false;

  /** The revert action of `original`: the one a crash left unexecuted, or a new one. */
  function revertActionOf(originalId: string, actor: string): ActionRecord {
    return tx.run(() => {
      const original = store.get(originalId);
      if (!original) throw new NotFoundError('action', originalId);
      const undo = REVERSIBLE[original.kind as ActionKind];
      if (!undo) throw new ConflictError(`only BLOCK_IP and ISOLATE_HOST actions can be reverted; ${original.id} is ${original.kind}`);
      if (original.dryRun) throw new ConflictError(`${original.id} is a dry-run plan: nothing was done, so there is nothing to revert`);
      const duplicateOf = artifactOf(original).duplicateOf;
      if (typeof duplicateOf === 'string') throw new ConflictError(`${original.id} did nothing: ${original.target} was already held by ${duplicateOf}; revert that one`);
      if (original.status !== ActionStatus.EXECUTED || original.revertedAt) {
        throw new ConflictError(`${original.id} is ${original.status}; only an EXECUTED block or isolation that is still in force can be reverted`);
      }
      const pending = store.pendingRevertOf(original.id);
      if (pending) return pending;
      const now = clock();
      const params = undo === ActionKind.UNBLOCK_IP ? { ip: original.target } : { host: original.target };
      return recorder.created({
        id: newId(IdPrefix.Action, now),
        runId: null,
        stepId: null,
        caseId: original.caseId,
        kind: undo,
        target: original.target,
        params: JSON.stringify(params),
        executor: deps.executors.of(undo).name,
        status: ActionStatus.PLANNED,
        dryRun: false,
        reason: null,
        artifact: JSON.stringify({ plan: planOf(undo, params, null), revertOf: original.id, because: actor === TTL_ACTOR ? 'its TTL ended' : `reverted by ${actor}` }),
        revertAt: null,
        revertedAt: null,
        revertOf: original.id,
        requestedBy: actor,
        createdAt: now,
        updatedAt: now,
      });
    });
  }

  /** Reverts an executed block or isolation; answers the revert action (EXECUTED, or FAILED with the reason). */
  function revert(actionId: string, actor: string): Promise<ActionRecord> {
    const running = inFlight.get(actionId);
    if (running) return running;
    const run = (async () => deps.execution.execute(revertActionOf(actionId, actor).id))().finally(() => inFlight.delete(actionId));
    inFlight.set(actionId, run);
    return run;
  }

  /** After a failed revert, the original stays in force and is tried again later, backing off with each failure. */
  function postpone(originalId: string, why: string): void {
    tx.run(() => {
      const original = store.get(originalId);
      if (!original || original.status !== ActionStatus.EXECUTED || original.revertedAt) return;
      const now = clock();
      const failures = store.failedRevertsOf(originalId);
      const wait = revertBackoff(deps.retryMs, failures);
      recorder.changed(original, { revertAt: now + wait }, ActionChange.REVERT_FAILED, TTL_ACTOR, 'action.revert.retry', now);
      deps.logger.warn({ actionId: originalId, reason: why, failures, retryInMs: wait }, 'an expired block or isolation could not be reverted; retrying later');
    });
  }

  async function sweepOnce(): Promise<number> {
    let reverted = 0;
    for (const due of store.dueForRevert(clock(), SWEEP_BATCH)) {
      // At shutdown, finish the revert in hand and leave the rest to the next start.
      if (stopped) break;
      try {
        const result = await revert(due.id, TTL_ACTOR);
        if (result.status === ActionStatus.EXECUTED) reverted += 1;
        else postpone(due.id, result.reason ?? result.status);
      } catch (error) {
        postpone(due.id, error instanceof Error ? error.message : String(error));
      }
    }
    return reverted;
  }

  return {
    revert,
    inFlight: () => [...inFlight.values()],
    /** Reverts every block and isolation whose TTL has ended; answers how many were reverted. One sweep at a time. */
    sweep(): Promise<number> {
      sweeping ??= sweepOnce().finally(() => {
        sweeping = undefined;
      });
      return sweeping;
    },
    sweeping: () => sweeping,
    /** Makes a running sweep stop after its current revert. */
    stop(): void {
      stopped = true;
    },
  };
}

export type Reverts = ReturnType<typeof createReverts>;

/**
 * Writes every action change the same way, inside the caller's transaction: the row, an audit record
 * (entity `Action`, actor, before and after), a notification for side-effecting outcomes when a notifier
 * exists, and, once committed, the live event and the artifact file.
 */
import type Database from 'better-sqlite3';
import type { Logger } from '../../../logger.js';
import type { ActionPatch, ActionStore } from '../../../store/action-store.js';
import type { AuditLog } from '../../../store/audit-log.js';
import type { CaseStore } from '../../../store/case-store.js';
import type { ActionRecord } from '../../../store/records.js';
import { transactionsOf, type Transactions } from '../../../store/transactions.js';
import type { Notify } from '../types.js';
import type { ArtifactFiles } from './artifact-files.js';

/** What happened to an action, as published on `actionEvents`. */
export const ActionChange = {
  REQUESTED: 'REQUESTED',
  APPROVED: 'APPROVED',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
  EXECUTED: 'EXECUTED',
  FAILED: 'FAILED',
  REVERTED: 'REVERTED',
  REVERT_FAILED: 'REVERT_FAILED',
  /** Stopped by the blast radius after it was requested: when approved, or just before it ran. */
  REFUSED: 'REFUSED',
  /** A later, longer block or isolation of the same target moved its `revertAt`. */
  EXTENDED: 'EXTENDED',
} as const;
export type ActionChange = (typeof ActionChange)[keyof typeof ActionChange];

export interface ActionEvent {
  change: ActionChange;
  /** The action as it is after the change. */
  action: ActionRecord;
}

export interface RecorderDeps {
  sqlite: Database.Database;
  store: ActionStore;
  audit: AuditLog;
  cases: CaseStore;
  files: ArtifactFiles;
  logger: Logger;
  notify: () => Notify | undefined;
  publish: (event: ActionEvent) => void;
}

/** The fields audit records show for an action's state. */
const stateOf = (a: ActionRecord) => ({ status: a.status, reason: a.reason, executor: a.executor, revertAt: a.revertAt, revertedAt: a.revertedAt });

export function createRecorder(deps: RecorderDeps) {
  const tx: Transactions = transactionsOf(deps.sqlite);
  const { store } = deps;

  function announce(change: ActionChange, action: ActionRecord): void {
    tx.afterCommit(() => {
      deps.publish({ change, action });
      deps.files.write(action);
    });
  }

  return {
    tx,

    /** Stores a new action and audits it as `action.request`. */
    created(row: ActionRecord): ActionRecord {
      store.insert(row);
      const { id, kind, target, status, dryRun, reason, runId, stepId, caseId } = row;
      deps.audit.record({ actor: row.requestedBy, action: 'action.request', entityType: 'Action', entityId: id, after: { kind, target, status, dryRun, reason, runId, stepId, caseId, params: JSON.parse(row.params) } });
      const action = store.get(id)!;
      announce(ActionChange.REQUESTED, action);
      return action;
    },

    /** Applies `patch` to `before` and audits it as `auditAction`. */
    changed(before: ActionRecord, patch: Omit<ActionPatch, 'updatedAt'>, change: ActionChange, actor: string, auditAction: string, updatedAt: number): ActionRecord {
      store.update(before.id, { ...patch, updatedAt });
      const after = store.get(before.id)!;
      deps.audit.record({ actor, action: auditAction, entityType: 'Action', entityId: before.id, before: stateOf(before), after: stateOf(after) });
      announce(change, after);
      return after;
    },

    /**
     * Tells people about a side-effecting outcome (`action.executed`, `action.failed`, `action.refused`,
     * `action.reverted`). In a savepoint: a failing notifier is logged and never undoes the action's record.
     */
    notify(event: string, action: ActionRecord, title: string, text: string): void {
      const notify = deps.notify();
      if (!notify || action.dryRun) return;
      const theCase = action.caseId ? deps.cases.get(action.caseId) : undefined;
      try {
        tx.run(() =>
          notify({
            event,
            severity: theCase?.severity ?? null,
            caseId: action.caseId,
            title,
            text,
            facts: { actionId: action.id, kind: action.kind, target: action.target, status: action.status, executor: action.executor, ...(theCase ? { caseNumber: theCase.number } : {}), ...(action.revertAt ? { revertAt: new Date(action.revertAt).toISOString() } : {}) },
          }),
        );
      } catch (error) {
        deps.logger.warn({ err: error, actionId: action.id, event }, 'could not write the notification of an action');
      }
    },
  };
}

export type Recorder = ReturnType<typeof createRecorder>;

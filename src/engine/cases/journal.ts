/**
 * Records a case change three ways in the caller's transaction: the audit log (actor, before, after: the
 * timeline and MTTA/MTTR come from it), the case event stream (for replaying subscriptions), and, once the
 * transaction commits, a live event to subscribers.
 */
import type { Clock } from '../../clock.js';
import type { AuditLog } from '../../store/audit-log.js';
import type { CaseStore } from '../../store/case-store.js';
import type { CaseEventRecord } from '../../store/records.js';
import type { CaseEventKind } from './model.js';

export interface CaseChange {
  caseId: string;
  kind: CaseEventKind;
  actor: string;
  summary: string;
  detail?: Record<string, unknown>;
  /** The audit action (e.g. `case.status`) with the state before and after. */
  audit: { action: string; before?: unknown; after?: unknown };
}

/** Called inside the change's transaction, so what it writes (outbox rows, pending playbook runs) commits with it. */
export type CaseChangeHook = (event: CaseEventRecord, change: CaseChange) => void;

export function createCaseJournal(deps: { cases: CaseStore; audit: AuditLog; clock: Clock; publish: (event: CaseEventRecord) => void }) {
  const hooks: CaseChangeHook[] = [];
  return {
    /** Runs `hook` for every change recorded from now on, inside its transaction. */
    onChange(hook: CaseChangeHook): void {
      hooks.push(hook);
    },
    record(change: CaseChange): CaseEventRecord {
      deps.audit.record({ actor: change.actor, action: change.audit.action, entityType: 'Case', entityId: change.caseId, before: change.audit.before, after: change.audit.after });
      const event = deps.cases.appendEvent({
        caseId: change.caseId,
        kind: change.kind,
        actor: change.actor,
        summary: change.summary,
        detail: change.detail ? JSON.stringify(change.detail) : null,
        createdAt: deps.clock(),
      });
      for (const hook of hooks) hook(event, change);
      deps.cases.afterCommit(() => deps.publish(event));
      return event;
    },
  };
}

export type CaseJournal = ReturnType<typeof createCaseJournal>;

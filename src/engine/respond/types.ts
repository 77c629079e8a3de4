/**
 * The contracts between the parts of the response layer: the playbook engine asks the action service to
 * do things; actions and the engine ask the notifier to tell people. GraphQL-free.
 */
import type { ActionRecord } from '../../store/records.js';

export const ActionKind = {
  BLOCK_IP: 'BLOCK_IP',
  UNBLOCK_IP: 'UNBLOCK_IP',
  ISOLATE_HOST: 'ISOLATE_HOST',
  RELEASE_HOST: 'RELEASE_HOST',
  DISABLE_USER: 'DISABLE_USER',
  RESET_PASSWORD: 'RESET_PASSWORD',
  CREATE_TASK: 'CREATE_TASK',
  ESCALATE: 'ESCALATE',
  ADD_TAG: 'ADD_TAG',
  SET_SEVERITY: 'SET_SEVERITY',
  NOTIFY: 'NOTIFY',
} as const;
export type ActionKind = (typeof ActionKind)[keyof typeof ActionKind];

export const ActionStatus = {
  PLANNED: 'PLANNED',
  PENDING_APPROVAL: 'PENDING_APPROVAL',
  EXECUTED: 'EXECUTED',
  FAILED: 'FAILED',
  REFUSED: 'REFUSED',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
  REVERTED: 'REVERTED',
} as const;
export type ActionStatus = (typeof ActionStatus)[keyof typeof ActionStatus];

export interface ActionRequest {
  kind: ActionKind;
  /** Parameters after templating, e.g. `{ ip: '185.22.13.9', ttl: '24h' }` or `{ title: 'Check auth logs' }`. */
  params: Record<string, unknown>;
  caseId: string | null;
  runId?: string;
  stepId?: string;
  actor: string;
  /** Record the plan (what would happen, with its artifact) and change nothing. */
  dryRun: boolean;
  /** When set, the action waits in PENDING_APPROVAL for this approval instead of executing. */
  approval?: { role: string; count: number; expiresInMs: number; defaultOutcome: 'APPROVE' | 'REJECT' };
}

/**
 * Does response actions safely. `request` is synchronous (call it inside a transaction): it validates,
 * applies the safety rails (allowlist, blast radius) and stores the action as REFUSED, PLANNED (dry run),
 * PENDING_APPROVAL, or ready to run. `execute` then performs a ready action through its executor, outside
 * any transaction (a real executor calls the network), and stores EXECUTED or FAILED with the artifact.
 */
export interface ActionService {
  request(request: ActionRequest): ActionRecord;
  execute(actionId: string): Promise<ActionRecord>;
  /** Undoes an executed block or isolation (an UNBLOCK/RELEASE action, linked by revertOf). */
  revert(actionId: string, actor: string): Promise<ActionRecord>;
}

/** One notification to route: written to the outbox for every channel its routing rules select. */
export interface NotificationRequest {
  /** What happened, e.g. `case.created`, `case.status`, `action.executed`, `approval.requested`, `playbook.failed`. */
  event: string;
  severity?: string | null;
  caseId?: string | null;
  title: string;
  text: string;
  /** Facts for channels that show them (case number, action kind, target, ...). JSON-able. */
  facts?: Record<string, unknown>;
}

/** Synchronous: call inside the transaction of the change that causes the notification. Returns the outbox ids written. */
export type Notify = (notification: NotificationRequest) => string[];

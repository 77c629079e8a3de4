/** Names and rules of the case lifecycle; GraphQL-free. */
import { levelRank } from '../score/model.js';

export const CaseStatus = { NEW: 'NEW', IN_PROGRESS: 'IN_PROGRESS', RESOLVED: 'RESOLVED', CLOSED: 'CLOSED' } as const;
export type CaseStatus = (typeof CaseStatus)[keyof typeof CaseStatus];
/** Statuses in which a case takes new alerts. */
export const OPEN_STATUSES: readonly CaseStatus[] = [CaseStatus.NEW, CaseStatus.IN_PROGRESS];

export const Resolution = { TRUE_POSITIVE: 'TRUE_POSITIVE', FALSE_POSITIVE: 'FALSE_POSITIVE', BENIGN_POSITIVE: 'BENIGN_POSITIVE', DUPLICATE: 'DUPLICATE' } as const;
export type Resolution = (typeof Resolution)[keyof typeof Resolution];

/** Traffic Light Protocol 2.0: who may see the case's information. */
export const Tlp = { CLEAR: 'CLEAR', GREEN: 'GREEN', AMBER: 'AMBER', AMBER_STRICT: 'AMBER_STRICT', RED: 'RED' } as const;
export type Tlp = (typeof Tlp)[keyof typeof Tlp];
/** Permissible Actions Protocol: what may be done with its indicators (RED: passive only). */
export const Pap = { CLEAR: 'CLEAR', GREEN: 'GREEN', AMBER: 'AMBER', RED: 'RED' } as const;
export type Pap = (typeof Pap)[keyof typeof Pap];

/** How an alert came to be in its case. */
export const LinkedBy = { OPENED: 'OPENED', IOC: 'IOC', ENTITY: 'ENTITY', STORM: 'STORM', MERGE: 'MERGE', SPLIT: 'SPLIT', MOVE: 'MOVE' } as const;
export type LinkedBy = (typeof LinkedBy)[keyof typeof LinkedBy];

export const CaseEventKind = {
  CREATED: 'CREATED',
  UPDATED: 'UPDATED',
  STATUS_CHANGED: 'STATUS_CHANGED',
  ALERT_ADDED: 'ALERT_ADDED',
  ALERT_REMOVED: 'ALERT_REMOVED',
  MERGED: 'MERGED',
  SPLIT: 'SPLIT',
  UNDONE: 'UNDONE',
  COMMENTED: 'COMMENTED',
  TASK_CHANGED: 'TASK_CHANGED',
} as const;
export type CaseEventKind = (typeof CaseEventKind)[keyof typeof CaseEventKind];

export const TaskStatus = { WAITING: 'WAITING', IN_PROGRESS: 'IN_PROGRESS', COMPLETED: 'COMPLETED', CANCELLED: 'CANCELLED' } as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

export const CaseOperationKind = { MERGE: 'MERGE', SPLIT: 'SPLIT', MOVE: 'MOVE' } as const;
export type CaseOperationKind = (typeof CaseOperationKind)[keyof typeof CaseOperationKind];

/**
 * Allowed status changes. Reopening (RESOLVED or CLOSED back to IN_PROGRESS) is a transition too, but only
 * through `reopenCase`, which asks for a reason. A case can be closed straight from NEW (triaged as a false
 * positive or duplicate), but is only RESOLVED after someone worked it.
 */
export const TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  NEW: [CaseStatus.IN_PROGRESS, CaseStatus.CLOSED],
  IN_PROGRESS: [CaseStatus.RESOLVED, CaseStatus.CLOSED],
  RESOLVED: [CaseStatus.CLOSED, CaseStatus.IN_PROGRESS],
  CLOSED: [CaseStatus.IN_PROGRESS],
};

export const isClosedStatus = (status: string): boolean => status === CaseStatus.RESOLVED || status === CaseStatus.CLOSED;

/** The higher of two risk levels. */
export function maxLevel(a: string, b: string | null | undefined): string {
  return b && levelRank(b) > levelRank(a) ? b : a;
}

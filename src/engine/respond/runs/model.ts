/** Names of the run and step lifecycles; GraphQL-free. */

export const RunStatus = {
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  WAITING_APPROVAL: 'WAITING_APPROVAL',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  STALLED: 'STALLED',
  CANCELLED: 'CANCELLED',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];
/** Runs a restart resumes. */
export const UNFINISHED_RUN: readonly RunStatus[] = [RunStatus.PENDING, RunStatus.RUNNING, RunStatus.WAITING_APPROVAL];

export const StepStatus = {
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  WAITING_APPROVAL: 'WAITING_APPROVAL',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  STALLED: 'STALLED',
  SKIPPED: 'SKIPPED',
  REFUSED: 'REFUSED',
  REJECTED: 'REJECTED',
} as const;
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];
/** Step outcomes that count as an error: they follow the step's onError and wake `onlyOnError` steps. */
export const ERROR_STEP: readonly string[] = [StepStatus.FAILED, StepStatus.STALLED, StepStatus.REFUSED, StepStatus.REJECTED];

export const RunTrigger = { CASE_OPENED: 'CASE_OPENED', CASE_UPDATED: 'CASE_UPDATED', ALERT_SCORED: 'ALERT_SCORED', MANUAL: 'MANUAL' } as const;
export type RunTrigger = (typeof RunTrigger)[keyof typeof RunTrigger];

export const ApprovalStatus = { PENDING: 'PENDING', APPROVED: 'APPROVED', REJECTED: 'REJECTED', EXPIRED: 'EXPIRED' } as const;
export type ApprovalStatus = (typeof ApprovalStatus)[keyof typeof ApprovalStatus];

export interface ApprovalDecision {
  actor: string;
  /** The principal id of who decided (absent for the expiry default): people are told apart by it, not by name. */
  actorId?: string;
  decision: 'APPROVE' | 'REJECT';
  comment: string | null;
  at: number;
}

/** The actor of a run a trigger started (and of the actions it requests): `playbook:brute-force`. */
export const playbookActor = (name: string): string => `playbook:${name}`;

/** Actors that are Vigil itself (the correlator, TTL reverts, approval expiry, a playbook run), not a person. */
export const isSystemActor = (actor: string): boolean => actor.startsWith('system:') || actor.startsWith('playbook:');

/** Who set a run off; kept in its context (`origin`, not a template variable): the record shows it, approvals use it. */
export interface RunOrigin {
  /** The person who started it with runPlaybook: principal id (they cannot approve its actions) and name. */
  requester?: { id: string; name: string };
  /** For a run a case change started: the actor of that change (a person's name, `system:correlator`, `playbook:<name>`) and its kind. */
  triggeredBy?: { actor: string; change: string };
  /** A person's case change set it off: its steps with side effects outside Vigil wait for a RESPONDER's approval. */
  sideEffectsNeedApproval?: boolean;
}

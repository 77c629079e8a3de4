/**
 * What a run's origin changes about it. A run set off by a person's case change (an ANALYST raising a
 * case to HIGH, say) must not do containment on that person's word alone: the role that edits cases is
 * below the one that contains. The actor of a case change is a name, not a role, so the rule does not
 * depend on who the person is: every step with side effects outside Vigil (block, isolate, disable,
 * reset, and their undoing) of such a run waits for the approval of a RESPONDER (or higher) — the step's
 * own approval when it has one, with its role raised to RESPONDER when lower. Changes made by Vigil itself
 * (the correlator, a playbook) start runs as written.
 */
import { hasRole } from '../../../auth/roles.js';
import type { PlaybookRunRecord } from '../../../store/records.js';
import { isSideEffecting } from '../actions/params.js';
import type { StepSpec } from '../playbooks/schema.js';
import type { RunContext } from './context.js';
import type { RunOrigin } from './model.js';

export type StepApproval = NonNullable<StepSpec['approval']>;

/** The approval a person-triggered run's side-effecting step waits for when its playbook asks for none. */
export const PERSON_TRIGGER_APPROVAL: StepApproval = { role: 'RESPONDER', count: 1, expires: 3_600_000, default: 'REJECT' };

export function originOf(run: Pick<PlaybookRunRecord, 'context'>): RunOrigin {
  const context = JSON.parse(run.context) as Partial<RunContext>;
  return context.origin ?? {};
}

/** The approval a step of `run` waits for: its playbook's, or the one a person-triggered run adds. */
export function stepApproval(run: Pick<PlaybookRunRecord, 'context'>, spec: Pick<StepSpec, 'action' | 'approval'>): StepApproval | undefined {
  if (!isSideEffecting(spec.action) || !originOf(run).sideEffectsNeedApproval) return spec.approval;
  if (!spec.approval) return PERSON_TRIGGER_APPROVAL;
  return hasRole(spec.approval.role, 'RESPONDER') ? spec.approval : { ...spec.approval, role: 'RESPONDER' };
}

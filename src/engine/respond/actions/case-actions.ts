/**
 * The action kinds that act on the case itself, done through the case services so that they are
 * validated, versioned, journaled and audited like an analyst's change: CREATE_TASK adds a task,
 * ADD_TAG tags the case, SET_SEVERITY edits it at its current version, ESCALATE assigns it to the Tier-2
 * group with a task for the group and a notification, NOTIFY sends a notification. Synchronous: the
 * caller runs `perform` inside the transaction that also marks the action EXECUTED.
 */
import { ValidationError } from '../../../errors.js';
import type { CaseStore } from '../../../store/case-store.js';
import type { CaseLifecycle } from '../../cases/lifecycle.js';
import type { Tasks } from '../../cases/tasks.js';
import { ActionKind, type Notify } from '../types.js';
import type { ParamsOf } from './params.js';

export interface CaseActionDeps {
  cases: CaseStore;
  lifecycle: CaseLifecycle;
  tasks: Tasks;
  /** The notifier when there is one (it is optional: without it NOTIFY records that nothing was sent). */
  notify: () => Notify | undefined;
  escalationGroup: string;
}

export function createCaseActions(deps: CaseActionDeps) {
  const { cases, lifecycle, tasks } = deps;

  function mustCase(caseId: string | null) {
    if (!caseId) throw new ValidationError('MISSING', 'caseId', 'this action acts on a case: give its caseId');
    const theCase = cases.get(caseId);
    if (!theCase) throw new ValidationError('INVALID_VALUE', 'caseId', `no case with id ${caseId}`);
    return theCase;
  }

  function send(notification: Parameters<Notify>[0]): Record<string, unknown> {
    const notify = deps.notify();
    if (!notify) return { notified: false, note: 'no notifier is configured: nothing was sent' };
    return { notified: true, notificationIds: notify(notification) };
  }

  return {
    /** Checks that the case exists (at request time); NOTIFY alone may have no case. */
    checkCase(kind: ActionKind, caseId: string | null): void {
      if (kind !== ActionKind.NOTIFY || caseId) mustCase(caseId);
    },

    /** Does the change; returns what to keep in the artifact. Throws when the case service refuses. */
    perform(kind: ActionKind, caseId: string | null, params: Record<string, unknown>, actor: string): Record<string, unknown> {
      switch (kind) {
        case ActionKind.CREATE_TASK: {
          const p = params as ParamsOf<'CREATE_TASK'>;
          const task = tasks.createTask(mustCase(caseId).id, { title: p.title, description: p.description ?? null, assignee: p.assignee ?? null, assigneeGroup: p.assigneeGroup ?? null }, actor);
          return { taskId: task.id, title: task.title, assignee: task.assignee, assigneeGroup: task.assigneeGroup };
        }
        case ActionKind.ADD_TAG: {
          const p = params as ParamsOf<'ADD_TAG'>;
          const before = mustCase(caseId);
          const after = lifecycle.addTags(before.id, undefined, [p.tag], actor);
          return { tag: p.tag.toLowerCase(), added: after.tags !== before.tags, caseVersion: after.version };
        }
        case ActionKind.SET_SEVERITY: {
          const p = params as ParamsOf<'SET_SEVERITY'>;
          const before = mustCase(caseId);
          const after = lifecycle.update(before.id, before.version, { severity: p.severity }, actor);
          return { from: before.severity, to: after.severity, caseVersion: after.version };
        }
        case ActionKind.ESCALATE: {
          const p = params as ParamsOf<'ESCALATE'>;
          const group = p.group ?? deps.escalationGroup;
          const before = mustCase(caseId);
          const after = lifecycle.assign(before.id, before.version, group, actor);
          const task = tasks.createTask(before.id, { title: `Escalated: take over case #${before.number}`, description: p.reason, assigneeGroup: group }, actor);
          const sent = send({
            event: 'case.escalated',
            severity: after.severity,
            caseId: after.id,
            title: `Case #${after.number} escalated to ${group}`,
            text: p.reason,
            facts: { caseNumber: after.number, caseTitle: after.title, group, previousAssignee: before.assignee },
          });
          return { group, assignedTo: after.assignee, previousAssignee: before.assignee, taskId: task.id, ...sent };
        }
        case ActionKind.NOTIFY: {
          const p = params as ParamsOf<'NOTIFY'>;
          const theCase = caseId ? mustCase(caseId) : undefined;
          return {
            event: p.event ?? 'playbook.notify',
            ...send({
              event: p.event ?? 'playbook.notify',
              severity: theCase?.severity ?? null,
              caseId: theCase?.id ?? null,
              title: p.title,
              text: p.text,
              ...(theCase ? { facts: { caseNumber: theCase.number, caseTitle: theCase.title } } : {}),
            }),
          };
        }
        default:
          throw new Error(`${kind} is not a case action`);
      }
    },
  };
}

export type CaseActions = ReturnType<typeof createCaseActions>;

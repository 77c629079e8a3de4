/**
 * Turns case changes into notifications, inside the change's transaction (a case journal hook). Only the
 * changes people act on are announced; alert additions, comments, tags and task edits would drown them.
 */
import type { CaseStore } from '../../store/case-store.js';
import type { CaseRecord } from '../../store/records.js';
import type { CaseChangeHook } from '../cases/journal.js';
import type { NotificationRequest, Notify } from '../respond/types.js';

/** Audit action of the case change -> notification event. */
export const CASE_NOTIFICATION_EVENTS: Readonly<Record<string, string>> = {
  'case.create': 'case.created',
  'case.status': 'case.status',
  'case.reopen': 'case.status',
  /** The correlator raised severity or score because an alert was rescored on new evidence. */
  'case.escalate': 'case.escalated',
  'case.assign': 'case.assigned',
};

function factsOf(c: CaseRecord): Record<string, unknown> {
  return {
    case: `#${c.number}`,
    caseId: c.id,
    status: c.status,
    severity: c.severity,
    score: c.score,
    ...(c.category ? { category: c.category } : {}),
    ...(c.resolution ? { resolution: c.resolution } : {}),
    ...(c.assignee ? { assignee: c.assignee } : {}),
    alerts: c.alertCount,
  };
}

function titleOf(event: string, c: CaseRecord, detail: Record<string, unknown>): string {
  switch (event) {
    case 'case.created':
      return `Case #${c.number} opened (${c.severity}): ${c.title}`;
    case 'case.status':
      return `Case #${c.number} ${String(detail.from ?? '?')} -> ${c.status}: ${c.title}`;
    case 'case.escalated':
      return `Case #${c.number} raised to ${c.severity} ${c.score}: ${c.title}`;
    case 'case.severity':
      return `Case #${c.number} severity set to ${c.severity}: ${c.title}`;
    case 'case.assigned':
      return `Case #${c.number} ${c.assignee ? `assigned to ${c.assignee}` : 'unassigned'}: ${c.title}`;
    default:
      return `Case #${c.number}: ${c.title}`;
  }
}

/** The notification a case change announces, or undefined for changes that are not announced. */
export function caseNotification(c: CaseRecord, auditAction: string, summary: string, detail: Record<string, unknown>): NotificationRequest | undefined {
  let event = CASE_NOTIFICATION_EVENTS[auditAction];
  // A hand edit that touches severity is announced; title or TLP edits are not.
  if (!event && auditAction === 'case.update' && Array.isArray(detail.fields) && detail.fields.includes('severity')) event = 'case.severity';
  if (!event) return undefined;
  return { event, severity: c.severity, caseId: c.id, title: titleOf(event, c, detail), text: summary, facts: factsOf(c) };
}

/** A case journal hook that writes the outbox rows for announced changes, in the same transaction. */
export function caseNotificationHook(deps: { cases: CaseStore; notify: Notify }): CaseChangeHook {
  return (event, change) => {
    const c = deps.cases.get(event.caseId);
    if (!c) return;
    const detail = (change.detail ?? {}) as Record<string, unknown>;
    const request = caseNotification(c, change.audit.action, event.summary, detail);
    if (request) deps.notify(request);
  };
}

/**
 * Starts playbooks from case changes and scored alerts, inside the transaction of the change, so a run
 * exists exactly when its cause does. A playbook runs at most once per case (or, for an alert no case
 * took, per alert) per playbook version: a case updated twenty times does not block twenty times. A new
 * version of the playbook (a changed file) may run again; `runPlaybook` runs it again by hand.
 *
 * Triggers never break the change that fires them: a failing trigger is logged and the change commits.
 *
 * Each run records the actor of the change that set it off (`origin.triggeredBy`). When that actor is a
 * person rather than Vigil, the run's steps with outside side effects wait for a RESPONDER's approval
 * (see origin.ts): editing a case must not be a way round the role containment needs.
 */
import type { Logger } from '../../../logger.js';
import type { AlertStore } from '../../../store/alert-store.js';
import type { CaseStore } from '../../../store/case-store.js';
import type { AlertRecord, CaseRecord } from '../../../store/records.js';
import type { RunStore } from '../../../store/run-store.js';
import { transactionsOf } from '../../../store/transactions.js';
import type Database from 'better-sqlite3';
import type { CaseJournal } from '../../cases/journal.js';
import { CaseEventKind, isClosedStatus } from '../../cases/model.js';
import { CORRELATOR_ACTOR, type Correlator } from '../../correlate/correlator.js';
import type { Playbooks } from '../playbooks/index.js';
import { TriggerEvent } from '../playbooks/schema.js';
import { buildContext, type ContextSources, subjectOf } from './context.js';
import { isSystemActor, playbookActor, type RunOrigin } from './model.js';
import type { RunFactory } from './create.js';

const UPDATE_KINDS: ReadonlySet<string> = new Set([CaseEventKind.UPDATED, CaseEventKind.STATUS_CHANGED, CaseEventKind.ALERT_ADDED]);

export function registerTriggers(deps: {
  sqlite: Database.Database;
  journal: CaseJournal;
  correlator: Correlator;
  cases: CaseStore;
  alerts: AlertStore;
  runs: RunStore;
  playbooks: Pick<Playbooks, 'list' | 'triggeredBy'>;
  sources: ContextSources;
  createRun: RunFactory;
  logger: Logger;
}): void {
  const tx = transactionsOf(deps.sqlite);

  function fire(event: TriggerEvent, theCase: CaseRecord | null, alert: AlertRecord | null, cause: { actor: string; change: string }): void {
    // Cheap first: most changes concern no playbook at all.
    if (!deps.playbooks.list().some((p) => p.enabled && (p.trigger.on as readonly string[]).includes(event))) return;
    if (theCase && (isClosedStatus(theCase.status) || theCase.mergedInto)) return;
    const origin: RunOrigin = { triggeredBy: cause, ...(isSystemActor(cause.actor) ? {} : { sideEffectsNeedApproval: true }) };
    const subject = subjectOf(buildContext(deps.sources, { theCase, alert, trigger: event, playbook: { name: '', hash: '' } }));
    for (const playbook of deps.playbooks.triggeredBy(event, subject)) {
      const ran = theCase ? deps.runs.ranOnCase(theCase.id, playbook.hash) : alert ? deps.runs.ranOnAlert(alert.id, playbook.hash) : true;
      if (ran) continue;
      try {
        // A savepoint: a run that cannot be created leaves nothing behind, and the change still commits.
        tx.run(() => deps.createRun({ playbook, theCase, alert, trigger: event, dryRun: false, startedBy: playbookActor(playbook.name), origin }));
      } catch (error) {
        deps.logger.error({ err: error, playbook: playbook.name, caseId: theCase?.id, alertId: alert?.id }, 'could not start a playbook run');
      }
    }
  }

  function guarded(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      deps.logger.error({ err: error, trigger: what }, 'a playbook trigger failed');
    }
  }

  deps.journal.onChange((event, change) => {
    const trigger = event.kind === CaseEventKind.CREATED ? TriggerEvent.CASE_OPENED : UPDATE_KINDS.has(event.kind) ? TriggerEvent.CASE_UPDATED : undefined;
    if (!trigger) return;
    guarded(trigger, () => {
      const theCase = deps.cases.get(event.caseId);
      if (!theCase) return;
      const alertId = typeof change.detail?.alertId === 'string' ? change.detail.alertId : undefined;
      fire(trigger, theCase, alertId ? (deps.alerts.getAlert(alertId) ?? null) : null, { actor: change.actor, change: event.kind });
    });
  });

  deps.correlator.onCorrelated((alert, outcome) => {
    guarded(TriggerEvent.ALERT_SCORED, () => {
      const theCase = 'caseId' in outcome ? (deps.cases.get(outcome.caseId) ?? null) : null;
      fire(TriggerEvent.ALERT_SCORED, theCase, alert, { actor: CORRELATOR_ACTOR, change: TriggerEvent.ALERT_SCORED });
    });
  });
}

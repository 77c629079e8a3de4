/**
 * Playbook runs: triggers, durable execution, approvals and the sweep, wired around one database.
 * `start()` (called by the app at start-up) resumes unfinished runs and starts the sweep; `close()` stops
 * both and waits for the steps in flight.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../../clock.js';
import { ConflictError, NotFoundError } from '../../../errors.js';
import { ALL, createChannel } from '../../../events.js';
import type { Logger } from '../../../logger.js';
import type { AlertStore } from '../../../store/alert-store.js';
import { createApprovalStore } from '../../../store/approval-store.js';
import type { AuditLog } from '../../../store/audit-log.js';
import type { CaseStore } from '../../../store/case-store.js';
import type { IocStore } from '../../../store/ioc-store.js';
import type { PlaybookRunRecord } from '../../../store/records.js';
import { createRunStore } from '../../../store/run-store.js';
import { transactionsOf } from '../../../store/transactions.js';
import type { CaseJournal } from '../../cases/journal.js';
import { CaseStatus } from '../../cases/model.js';
import type { Correlator } from '../../correlate/correlator.js';
import { indicatorVerdict } from '../../correlate/significance.js';
import type { EnrichmentResult, EnrichmentTarget } from '../../enrich/types.js';
import type { Playbooks } from '../playbooks/index.js';
import type { Notify } from '../types.js';
import { type ApprovalEvent, type Approver, createApprovals } from './approvals.js';
import type { ContextSources } from './context.js';
import { createRunFactory } from './create.js';
import { RunStatus, RunTrigger } from './model.js';
import { createRunner, type RunActions } from './runner.js';
import { createSweep } from './sweep.js';
import { createTransitions, type RunEvent } from './transitions.js';
import { registerTriggers } from './triggers.js';

export type { RunEvent } from './transitions.js';
export type { ApprovalEvent } from './approvals.js';
export { ApprovalRoleError } from './approvals.js';

export interface RunsDeps {
  sqlite: Database.Database;
  playbooks: Playbooks;
  actions: RunActions & { get(actionId: string): import('../../../store/records.js').ActionRecord | undefined };
  journal: CaseJournal;
  correlator: Correlator;
  cases: CaseStore;
  alerts: AlertStore;
  iocs: IocStore;
  observablesOf: (caseId: string) => Array<{ type: string; value: string; role: string; isIoc: boolean }>;
  enrichment: { cached(target: Pick<EnrichmentTarget, 'type' | 'value'>): EnrichmentResult[] };
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  notify?: (() => Notify | undefined) | undefined;
  /** False: triggers start nothing (runPlaybook still works). */
  triggers: boolean;
  sweepIntervalMs: number;
  /** A real executor's own timeout (VIGIL_EXECUTOR_TIMEOUT_MS): a step through one waits at least this long. */
  executorTimeoutMs?: number;
  /** Tests may replace the wait between retries. */
  sleep?: (ms: number) => Promise<void>;
}

export function createRuns(deps: RunsDeps) {
  const { sqlite, clock, logger } = deps;
  const runs = createRunStore(sqlite);
  const approvalStore = createApprovalStore(sqlite);
  const tx = transactionsOf(sqlite);
  /** Run and step changes, keyed by run id (and ALL). */
  const runEvents = createChannel<RunEvent>();
  /** Approval changes, keyed by action id (and ALL). */
  const approvalEvents = createChannel<ApprovalEvent>();
  const notify = deps.notify ?? (() => undefined);

  const sources: ContextSources = {
    observablesOf: (caseId) => deps.observablesOf(caseId).map((o) => ({ type: o.type, value: o.value, role: o.role, isIoc: o.isIoc })),
    iocsOfAlert: (alertId) =>
      deps.iocs.linksOf(alertId).map((link) => {
        const ioc = deps.iocs.get(link.iocId);
        const isIoc = ioc ? indicatorVerdict(ioc, deps.enrichment.cached({ type: ioc.type as never, value: ioc.value })).isIoc : false;
        return { type: link.type, value: link.value, role: link.role, isIoc };
      }),
  };
  const transitions = createTransitions({ sqlite, runs, audit: deps.audit, clock, logger, notify, publish: (e) => runEvents.publish(e.run.id, e) });
  let approvalsRef: ReturnType<typeof createApprovals> | undefined;
  const runner = createRunner({
    sqlite,
    runs,
    playbooks: deps.playbooks,
    actions: deps.actions,
    transitions,
    clock,
    logger,
    ensureApproval: (action, spec) => approvalsRef!.ensure(action, spec),
    ...(deps.executorTimeoutMs !== undefined ? { executorTimeoutMs: deps.executorTimeoutMs } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
  const approvals = createApprovals({
    sqlite,
    store: approvalStore,
    runs,
    playbooks: deps.playbooks,
    actions: deps.actions,
    runner,
    transitions,
    audit: deps.audit,
    clock,
    logger,
    notify,
    publish: (e) => approvalEvents.publish(e.approval.actionId, e),
  });
  approvalsRef = approvals;
  const createRun = createRunFactory({
    sqlite,
    runs,
    audit: deps.audit,
    clock,
    sources,
    started: (run) => {
      const stored = runs.getRun(run.id);
      if (stored) runEvents.publish(run.id, { run: stored, step: null });
      runner.kick(run.id);
    },
  });
  if (deps.triggers) registerTriggers({ sqlite, journal: deps.journal, correlator: deps.correlator, cases: deps.cases, alerts: deps.alerts, runs, playbooks: deps.playbooks, sources, createRun, logger });
  const sweep = createSweep({ sqlite, runs, playbooks: deps.playbooks, approvals, runner, transitions, clock, logger });
  let timer: NodeJS.Timeout | undefined;

  return {
    store: runs,
    approvalStore,
    runEvents,
    approvalEvents,
    ALL,

    /**
     * Runs a playbook on a case by hand (again, if it ran before; enabled or not; its trigger conditions
     * are not checked, its steps' are). A dry run records the plan of every step (actions PLANNED with
     * their artifact) and changes nothing; it is answered once planned. A real run is answered at once.
     * `requester` is the person (principal id and name; a bare name when there is no principal): they
     * cannot approve the actions of their own run.
     */
    async runPlaybook(caseId: string, playbookName: string, dryRun: boolean, requester: string | { id: string; name: string }): Promise<PlaybookRunRecord> {
      const actor = typeof requester === 'string' ? requester : requester.name;
      const origin = typeof requester === 'string' ? {} : { requester: { id: requester.id, name: requester.name } };
      const playbook = deps.playbooks.get(playbookName);
      if (!playbook) throw new NotFoundError('playbook', playbookName);
      const run = tx.run(() => {
        const theCase = deps.cases.get(caseId);
        if (!theCase) throw new NotFoundError('case', caseId);
        if (!dryRun && theCase.status === CaseStatus.CLOSED) throw new ConflictError(`case #${theCase.number} is CLOSED: reopen it before running a playbook on it (a dry run is allowed)`);
        return createRun({ playbook, theCase, alert: null, trigger: RunTrigger.MANUAL, dryRun, startedBy: actor, origin });
      });
      if (dryRun) {
        const deadline = Date.now() + 10_000;
        // Dry-run steps only plan (synchronous requests): this settles within a few ticks.
        while (runner.isActive(run.id) && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      }
      return runs.getRun(run.id)!;
    },
    approveAction: (actionId: string, approver: Approver, comment?: string | null) => approvals.approve(actionId, approver, comment),
    rejectAction: (actionId: string, approver: Approver, comment?: string | null) => approvals.reject(actionId, approver, comment),
    approvalOf: (actionId: string) => approvals.ofAction(actionId),
    pendingApprovals: () => approvals.pending(),
    get: (runId: string) => runs.getRun(runId),
    stepsOf: (runId: string) => runs.stepsOf(runId),
    ofCase: (caseId: string) => runs.runsOfCase(caseId),
    list: runs.list,
    /** Expires approvals, stalls abandoned steps and drives runs nobody drives; the timer calls it. */
    sweep,
    /** Resolves once no run is being driven (for tests and shutdown). */
    idle: (timeoutMs?: number) => runner.idle(timeoutMs),
    /** Resumes unfinished runs and starts the sweep; answers how many runs were resumed. */
    start(): number {
      if (timer) return 0;
      let resumed = 0;
      for (const id of runs.unfinishedRunIds()) {
        if (runs.getRun(id)?.status === RunStatus.WAITING_APPROVAL) continue;
        runner.kick(id);
        resumed++;
      }
      timer = setInterval(() => {
        try {
          sweep();
        } catch (error) {
          logger.error({ err: error }, 'the playbook sweep failed');
        }
      }, deps.sweepIntervalMs);
      timer.unref();
      return resumed;
    },
    /** Stops the sweep and new work; waits (at most `timeoutMs`) for the steps in flight. */
    async close(timeoutMs = 15_000): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      let wait: NodeJS.Timeout | undefined;
      await Promise.race([runner.close(), new Promise<void>((resolve) => (wait = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(wait);
    },
  };
}

export type Runs = ReturnType<typeof createRuns>;

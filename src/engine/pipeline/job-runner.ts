/**
 * Runs persisted jobs stage by stage. A stage's result, the job's advance and its stage event commit in
 * one transaction, so a process killed at any point resumes at the first stage whose result is missing.
 *
 * Jobs run in batches with group commit: each stage runs for every job of the batch, then all their
 * results commit in one transaction (a savepoint per job, so one job's failure does not undo another's).
 * One commit per stage per batch instead of per alert is what keeps SQLite from being the bottleneck.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { AlertStore } from '../../store/alert-store.js';
import type { AlertRecord, JobRecord } from '../../store/records.js';
import type { StageHandler, StageResult } from './stage-handler.js';
import { AlertStatus, DONE, JobStatus, JOB_STAGES, StageStatus, type EmitStageEvent, type StageEvent } from './stages.js';

export interface JobRunnerDeps {
  alerts: AlertStore;
  handlers: readonly StageHandler[];
  clock: Clock;
  /** Most jobs in one batch. */
  batchSize: number;
  /** Batches in flight at once (more helps when stages wait on the network). */
  concurrency: number;
  emit: EmitStageEvent;
  logger: Logger;
}

const MAX_ERROR_LENGTH = 2000;

type StageRun = { job: JobRecord; alert: AlertRecord | undefined; durationMs: number } & ({ result: StageResult } | { error: unknown });

function nextStage(stage: string): string {
  const i = JOB_STAGES.indexOf(stage as (typeof JOB_STAGES)[number]);
  return JOB_STAGES[i + 1] ?? DONE;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
}

export function createJobRunner(deps: JobRunnerDeps) {
  const { alerts, clock, emit, logger } = deps;
  const handlers = new Map(deps.handlers.map((h) => [h.stage as string, h]));
  for (const stage of JOB_STAGES) if (!handlers.has(stage)) throw new Error(`no handler for pipeline stage ${stage}`);

  const queue: string[] = [];
  const queued = new Set<string>();
  const waiters = new Map<string, Array<(job: JobRecord) => void>>();
  const idleWaiters: Array<() => void> = [];
  let activeBatches = 0;
  let activeJobs = 0;
  let accepting = true;
  let pumpScheduled = false;

  function settle(job: JobRecord): void {
    for (const resolve of waiters.get(job.id) ?? []) resolve(job);
    waiters.delete(job.id);
  }

  function publish(event: StageEvent): void {
    try {
      emit(event);
    } catch (error) {
      logger.error({ err: error }, 'publishing a stage event failed');
    }
  }

  async function runStage(job: JobRecord): Promise<StageRun> {
    const alert = alerts.getAlert(job.alertId);
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    try {
      const handler = handlers.get(job.stage);
      if (!handler) throw new Error(`unknown pipeline stage ${job.stage}`);
      if (!alert) throw new Error(`alert ${job.alertId} is gone`);
      const result = await handler.run({ alert, jobId: job.id, now: clock() });
      return { job, alert, result, durationMs: durationMs() };
    } catch (error) {
      return { job, alert, error, durationMs: durationMs() };
    }
  }

  /** Writes a completed stage: its result, the job's advance, its event. Throws if a write fails. */
  function writeStage(run: StageRun & { result: StageResult }): { event: StageEvent; continues: boolean } {
    const { job } = run;
    const result = { ...run.result, ...(run.result.commit?.() ?? {}) };
    const now = clock();
    const next = nextStage(job.stage);
    alerts.advanceJob(job.id, next, now);
    if (next === DONE) {
      alerts.finishJob(job.id, JobStatus.COMPLETED, null, now);
      alerts.setAlertStatus(job.alertId, AlertStatus.PROCESSED, now);
    }
    const detail = result.detail ? JSON.stringify(result.detail) : null;
    const event = alerts.appendEvent({ alertId: job.alertId, jobId: job.id, stage: job.stage, status: StageStatus.COMPLETED, durationMs: run.durationMs, summary: result.summary, detail, createdAt: now });
    return { event: { ...event, source: run.alert?.source ?? 'unknown' }, continues: next !== DONE };
  }

  /** Marks the job FAILED with the error, keeping the alert. */
  function writeFailure(run: StageRun, error: unknown): { event: StageEvent; continues: boolean } {
    const { job, alert } = run;
    const message = errorMessage(error);
    logger.warn({ err: error, jobId: job.id, alertId: job.alertId, stage: job.stage }, 'pipeline stage failed');
    const now = clock();
    alerts.finishJob(job.id, JobStatus.FAILED, `${job.stage}: ${message}`, now);
    if (alert) alerts.setAlertStatus(job.alertId, AlertStatus.FAILED, now);
    const event = alerts.appendEvent({ alertId: job.alertId, jobId: job.id, stage: job.stage, status: StageStatus.FAILED, durationMs: run.durationMs, summary: `${job.stage.toLowerCase()} failed: ${message}`, detail: null, createdAt: now });
    return { event: { ...event, source: alert?.source ?? 'unknown' }, continues: false };
  }

  const write = (run: StageRun) => ('result' in run ? writeStage(run) : writeFailure(run, run.error));

  /**
   * Commits a batch's stage outcomes in one transaction. Should one job's writes throw, the whole batch
   * rolls back and is written again job by job, each in a savepoint, so that only that job fails.
   * (A savepoint per job on every commit would cost a tenth of the pipeline's time.)
   */
  function commitBatch(runs: readonly StageRun[]): Array<{ event: StageEvent; continues: boolean }> {
    try {
      return alerts.transaction(() => runs.map(write));
    } catch {
      return alerts.transaction(() =>
        runs.map((run) => {
          try {
            return alerts.transaction(() => write(run));
          } catch (error) {
            return writeFailure(run, error);
          }
        }),
      );
    }
  }

  async function runBatch(jobIds: readonly string[]): Promise<void> {
    let running = alerts.transaction(() => {
      const now = clock();
      const started: JobRecord[] = [];
      for (const id of jobIds) {
        const job = alerts.getJob(id);
        if (!job) continue;
        if (job.status === JobStatus.COMPLETED || job.status === JobStatus.FAILED || job.stage === DONE) {
          settle(job);
          continue;
        }
        alerts.startJob(id, now);
        alerts.setAlertStatus(job.alertId, AlertStatus.PROCESSING, now);
        started.push(job);
      }
      return started;
    });
    while (running.length > 0) {
      // Synchronous stages resolve in microtasks; yield so HTTP requests are not starved meanwhile.
      await yieldToEventLoop();
      // Stages compute outside any transaction (they may await the network), then commit together.
      const runs = await Promise.all(running.map(runStage));
      const outcomes = commitBatch(runs);
      outcomes.forEach(({ event }) => publish(event));
      running = running.filter((_, i) => outcomes[i]!.continues).map((job) => ({ ...job, stage: nextStage(job.stage) }));
    }
    for (const id of jobIds) {
      const job = alerts.getJob(id);
      if (job) settle(job);
    }
  }

  function pump(): void {
    while (activeBatches < deps.concurrency && queue.length > 0) {
      const batch = queue.splice(0, deps.batchSize);
      for (const id of batch) queued.delete(id);
      activeBatches += 1;
      activeJobs += batch.length;
      runBatch(batch)
        .catch((error: unknown) => logger.error({ err: error }, 'job runner error: unfinished jobs resume at the next start'))
        .finally(() => {
          activeBatches -= 1;
          activeJobs -= batch.length;
          if (activeBatches === 0 && queue.length === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
          schedulePump();
        });
    }
  }

  // On the next turn of the event loop: the request that enqueued a job answers first, jobs enqueued
  // together (a batch submission) run as one batch, and I/O gets its turn between batches.
  function schedulePump(): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      pump();
    });
  }

  return {
    /** Schedules a persisted job; after `close` it stays PENDING in the database for the next start. */
    enqueue(jobId: string): void {
      if (!accepting || queued.has(jobId)) return;
      queued.add(jobId);
      queue.push(jobId);
      schedulePump();
    },

    /** Re-schedules every job a previous process left unfinished. */
    resumeUnfinished(): number {
      const jobs = alerts.unfinishedJobs();
      for (const job of jobs) this.enqueue(job.id);
      return jobs.length;
    },

    /** Resolves with the job once it has COMPLETED or FAILED. */
    waitFor(jobId: string): Promise<JobRecord> {
      const job = alerts.getJob(jobId);
      if (!job) return Promise.reject(new Error(`no job ${jobId}`));
      if (job.status === JobStatus.COMPLETED || job.status === JobStatus.FAILED) return Promise.resolve(job);
      return new Promise((resolve) => {
        const list = waiters.get(jobId) ?? [];
        list.push(resolve);
        waiters.set(jobId, list);
      });
    },

    /** Stops taking new jobs and waits (up to `timeoutMs`) for queued and running ones; true when all finished. */
    async close(timeoutMs: number): Promise<boolean> {
      accepting = false;
      if (activeBatches === 0 && queue.length === 0) return true;
      const idle = new Promise<true>((resolve) => idleWaiters.push(() => resolve(true)));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const finished = await Promise.race([idle, timeout]);
      clearTimeout(timer);
      // Jobs not yet started stay PENDING in the database and resume at the next start.
      queue.length = 0;
      queued.clear();
      return finished;
    },

    /** Jobs queued or running. */
    get pending(): number {
      return activeJobs + queue.length;
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;

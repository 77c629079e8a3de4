/**
 * The pipeline as one service: ingest in the caller's request, then stage work on persisted jobs in the
 * background. Progress leaves through the injected `emit`; nothing here knows about GraphQL.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import { IdPrefix, newId } from '../../ids.js';
import type { AlertStore } from '../../store/alert-store.js';
import type { AuditLog } from '../../store/audit-log.js';
import type { IocStore } from '../../store/ioc-store.js';
import type { AlertRecord, JobRecord } from '../../store/records.js';
import { createIngestor, type IngestOutcome } from '../ingest/ingest.js';
import type { AlertSubmission, ValidationProblem } from '../ingest/validate.js';
import type { Classifier } from '../classify/classifier.js';
import type { EnrichmentService } from '../enrich/service.js';
import { createClassifyStage } from './handlers/classify-stage.js';
import { createEnrichStage } from './handlers/enrich-stage.js';
import { createScoreStage } from './handlers/score-stage.js';
import { createCorrelateStage } from './handlers/correlate-stage.js';
import type { Correlator } from '../correlate/correlator.js';
import type { Scorer } from '../score/scorer.js';
import { createExtractStage } from './handlers/extract-stage.js';
import { createNormalizeStage } from './handlers/normalize-stage.js';
import { createJobRunner } from './job-runner.js';
import { AlertStatus, JobStatus, JOB_STAGES, PipelineStage, StageStatus, type EmitStageEvent } from './stages.js';

export interface PipelineDeps {
  alerts: AlertStore;
  iocs: IocStore;
  audit: AuditLog;
  classifier: Classifier;
  enrichment: EnrichmentService;
  scorer: Scorer;
  correlator: Correlator;
  clock: Clock;
  emit: EmitStageEvent;
  logger: Logger;
  settings: { maxAlertBytes: number; maxBatch: number; dedupWindowMs: number; pipelineBatch: number; workerConcurrency: number };
}

export type ReprocessOutcome =
  | { ok: true; alert: AlertRecord; job: JobRecord }
  | { ok: false; reason: 'NOT_FOUND' | 'IN_PROGRESS'; message: string };

export function createPipeline(deps: PipelineDeps) {
  const { alerts, clock, settings } = deps;
  const ingestor = createIngestor({
    alerts,
    iocs: deps.iocs,
    clock,
    dedupWindowMs: settings.dedupWindowMs,
    limits: { maxAlertBytes: settings.maxAlertBytes },
  });
  const runner = createJobRunner({
    alerts,
    handlers: [
      createNormalizeStage({ alerts }),
      createExtractStage({ iocs: deps.iocs }),
      createClassifyStage({ alerts, classifier: deps.classifier }),
      createEnrichStage({ iocs: deps.iocs, enrichment: deps.enrichment }),
      createScoreStage({ alerts, scorer: deps.scorer }),
      createCorrelateStage({ alerts, correlator: deps.correlator }),
    ],
    clock,
    batchSize: settings.pipelineBatch,
    concurrency: settings.workerConcurrency,
    emit: deps.emit,
    logger: deps.logger,
  });

  function submit(submissions: readonly AlertSubmission[]): IngestOutcome[] {
    const outcomes = ingestor.ingest(submissions);
    // Published only after the ingest transaction committed: subscribers never see an alert that is not stored.
    for (const outcome of outcomes) {
      if (!outcome.ok) continue;
      deps.emit(outcome.event);
      if (outcome.jobId) runner.enqueue(outcome.jobId);
    }
    return outcomes;
  }

  return {
    submit,

    /** A batch over the limit is refused whole; otherwise each item is accepted or rejected on its own. */
    submitBatch(submissions: readonly AlertSubmission[]): { ok: true; outcomes: IngestOutcome[] } | { ok: false; problem: ValidationProblem } {
      if (submissions.length === 0) return { ok: false, problem: { code: 'EMPTY', field: 'alerts', message: 'the batch is empty' } };
      if (submissions.length > settings.maxBatch) {
        return {
          ok: false,
          problem: { code: 'BATCH_TOO_LARGE', field: 'alerts', message: `the batch has ${submissions.length} alerts, over the limit of ${settings.maxBatch}` },
        };
      }
      return { ok: true, outcomes: submit(submissions) };
    },

    /** Runs every stage again on a stored alert, as a new job. */
    reprocess(alertId: string, actor: string): ReprocessOutcome {
      const alert = alerts.getAlert(alertId);
      if (!alert) return { ok: false, reason: 'NOT_FOUND', message: `no alert with id ${alertId}` };
      const latest = alerts.latestJob(alertId);
      if (latest && (latest.status === JobStatus.PENDING || latest.status === JobStatus.RUNNING)) {
        return { ok: false, reason: 'IN_PROGRESS', message: `alert ${alertId} is still being processed (job ${latest.id} is ${latest.status})` };
      }
      const now = clock();
      const jobId = newId(IdPrefix.PipelineJob, now);
      const event = alerts.transaction(() => {
        alerts.insertJob({ id: jobId, alertId, status: JobStatus.PENDING, stage: JOB_STAGES[0]!, createdAt: now, updatedAt: now });
        alerts.setAlertStatus(alertId, AlertStatus.RECEIVED, now);
        deps.audit.record({ actor, action: 'alert.reprocess', entityType: 'Alert', entityId: alertId, before: { status: alert.status, job: latest?.id ?? null }, after: { job: jobId } });
        return alerts.appendEvent({
          alertId,
          jobId,
          stage: PipelineStage.INGEST,
          status: StageStatus.COMPLETED,
          durationMs: 0,
          summary: `reprocessing requested by ${actor}`,
          detail: JSON.stringify({ reprocess: true, previousJob: latest?.id ?? null }),
          createdAt: now,
        });
      });
      deps.emit({ ...event, source: alert.source });
      runner.enqueue(jobId);
      return { ok: true, alert: alerts.getAlert(alertId)!, job: alerts.getJob(jobId)! };
    },

    /** Resumes what a previous process left unfinished; returns how many jobs. */
    start: () => runner.resumeUnfinished(),
    waitForJob: (jobId: string) => runner.waitFor(jobId),
    close: async (timeoutMs: number) => {
      const drained = await runner.close(timeoutMs);
      await deps.enrichment.close(Math.min(timeoutMs, 2000));
      return drained;
    },
    get pendingJobs() {
      return runner.pending;
    },
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;

/**
 * The ingest stage: validate, fingerprint, deduplicate and persist a batch in one transaction, so that
 * every alert acknowledged to a client is in SQLite and a batch costs one commit, not one per alert.
 *
 * Identity: with a `sourceRef`, an alert is identified by (source, sourceRef), as its sender asked; without
 * one, by its content fingerprint within the dedup window (measured from its last sighting).
 */
import type { Clock } from '../../clock.js';
import { IdPrefix, newId } from '../../ids.js';
import type { AlertStore } from '../../store/alert-store.js';
import type { IocStore } from '../../store/ioc-store.js';
import type { AlertRecord } from '../../store/records.js';
import { AlertStatus, JobStatus, JOB_STAGES, PipelineStage, StageStatus, type StageEvent } from '../pipeline/stages.js';
import { fingerprint } from './fingerprint.js';
import { validateSubmission, type AlertSubmission, type SubmissionLimits, type ValidAlert, type ValidationProblem } from './validate.js';

export interface IngestDeps {
  alerts: AlertStore;
  iocs: IocStore;
  clock: Clock;
  dedupWindowMs: number;
  limits: SubmissionLimits;
}

export type IngestOutcome =
  | { ok: true; index: number; alert: AlertRecord; duplicate: boolean; jobId: string | null; event: StageEvent }
  | { ok: false; index: number; problem: ValidationProblem };

export function createIngestor(deps: IngestDeps) {
  const { alerts, iocs, clock } = deps;

  function findExisting(item: ValidAlert, fp: string, now: number): { alert: AlertRecord; matchedBy: string } | undefined {
    if (item.sourceRef !== null) {
      const alert = alerts.findBySourceRef(item.source, item.sourceRef);
      return alert && { alert, matchedBy: 'SOURCE_REF' };
    }
    const alert = alerts.findByFingerprintSince(fp, now - deps.dedupWindowMs);
    return alert && { alert, matchedBy: 'FINGERPRINT' };
  }

  function persist(item: ValidAlert, index: number, now: number): Extract<IngestOutcome, { ok: true }> {
    const fp = fingerprint(item.payload.kind, item.text);
    const existing = findExisting(item, fp, now);
    if (existing) {
      const { alert, matchedBy } = existing;
      alerts.insertOccurrence({ id: newId(IdPrefix.AlertOccurrence, now), alertId: alert.id, matchedBy, sourceRef: item.sourceRef, receivedAt: now });
      alerts.recordRepeat(alert.id, now);
      iocs.recordAlertSeenAgain(alert.id, now);
      const updated = alerts.getAlert(alert.id)!;
      const summary = `repeat ${updated.occurrenceCount} of this alert (matched by ${matchedBy === 'SOURCE_REF' ? 'source and sourceRef' : 'content fingerprint'})`;
      const event = appendIngestEvent(updated, null, summary, { duplicate: true, matchedBy, occurrenceCount: updated.occurrenceCount }, now);
      return { ok: true, index, alert: updated, duplicate: true, jobId: null, event };
    }
    const alertId = newId(IdPrefix.Alert, now);
    const jobId = newId(IdPrefix.PipelineJob, now);
    alerts.insertAlert({
      id: alertId,
      source: item.source,
      sourceRef: item.sourceRef,
      payloadKind: item.payload.kind === 'log' ? 'LOG' : 'JSON',
      payload: item.text,
      fingerprint: fp,
      status: AlertStatus.RECEIVED,
      receivedAt: now,
      lastSeenAt: now,
      updatedAt: now,
    });
    alerts.insertJob({ id: jobId, alertId, status: JobStatus.PENDING, stage: JOB_STAGES[0]!, createdAt: now, updatedAt: now });
    const alert = alerts.getAlert(alertId)!;
    const event = appendIngestEvent(alert, jobId, `accepted ${alert.payloadKind === 'LOG' ? 'log line' : 'JSON alert'} from ${alert.source}`, { duplicate: false, bytes: Buffer.byteLength(item.text) }, now);
    return { ok: true, index, alert, duplicate: false, jobId, event };
  }

  function appendIngestEvent(alert: AlertRecord, jobId: string | null, summary: string, detail: object, now: number): StageEvent {
    const stored = alerts.appendEvent({
      alertId: alert.id,
      jobId,
      stage: PipelineStage.INGEST,
      status: StageStatus.COMPLETED,
      durationMs: 0,
      summary,
      detail: JSON.stringify(detail),
      createdAt: now,
    });
    return { ...stored, source: alert.source };
  }

  return {
    /** Validates every submission, then stores the valid ones in a single transaction. */
    ingest(submissions: readonly AlertSubmission[]): IngestOutcome[] {
      const outcomes: IngestOutcome[] = new Array(submissions.length);
      const valid: Array<[number, ValidAlert]> = [];
      submissions.forEach((submission, index) => {
        const result = validateSubmission(submission, deps.limits);
        if (result.ok) valid.push([index, result.value]);
        else outcomes[index] = { ok: false, index, problem: result.problem };
      });
      if (valid.length > 0) {
        const now = clock();
        alerts.transaction(() => {
          for (const [index, item] of valid) outcomes[index] = persist(item, index, now);
        });
      }
      return outcomes;
    },
  };
}

export type Ingestor = ReturnType<typeof createIngestor>;

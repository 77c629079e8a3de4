/**
 * Alerts, their occurrences, jobs and stage events, through prepared statements: this is the ingest and
 * pipeline hot path. Methods do not open transactions; callers group them with `transaction`.
 */
import type Database from 'better-sqlite3';
import { transactionsOf } from './transactions.js';
import { ALERT_COLUMNS, EVENT_COLUMNS, JOB_COLUMNS, OCCURRENCE_COLUMNS, type AlertRecord, type JobRecord, type OccurrenceRecord, type PipelineEventRecord } from './records.js';

export type NewAlert = Omit<AlertRecord, 'format' | 'message' | 'normalized' | 'eventTime' | 'occurrenceCount' | 'category' | 'confidence' | 'classification' | 'score' | 'riskLevel' | 'scoreFactors'>;
export type NewEvent = Omit<PipelineEventRecord, 'seq'>;

export function createAlertStore(sqlite: Database.Database) {
  const s = {
    insertAlert: sqlite.prepare(
      `INSERT INTO alerts (id, source, source_ref, payload_kind, payload, fingerprint, status, received_at, last_seen_at, updated_at)
       VALUES (@id, @source, @sourceRef, @payloadKind, @payload, @fingerprint, @status, @receivedAt, @lastSeenAt, @updatedAt)`,
    ),
    alert: sqlite.prepare<[string], AlertRecord>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ?`),
    bySourceRef: sqlite.prepare<[string, string], AlertRecord>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE source = ? AND source_ref = ?`),
    byFingerprint: sqlite.prepare<[string, number], AlertRecord>(
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE fingerprint = ? AND last_seen_at >= ? ORDER BY last_seen_at DESC LIMIT 1`,
    ),
    recordRepeat: sqlite.prepare<[number, number, string]>(
      'UPDATE alerts SET occurrence_count = occurrence_count + 1, last_seen_at = max(last_seen_at, ?), updated_at = ? WHERE id = ?',
    ),
    insertOccurrence: sqlite.prepare(
      'INSERT INTO alert_occurrences (id, alert_id, matched_by, source_ref, received_at) VALUES (@id, @alertId, @matchedBy, @sourceRef, @receivedAt)',
    ),
    occurrences: sqlite.prepare<[string, number], OccurrenceRecord>(
      `SELECT ${OCCURRENCE_COLUMNS} FROM alert_occurrences WHERE alert_id = ? ORDER BY received_at DESC, id DESC LIMIT ?`,
    ),
    setStatus: sqlite.prepare<[string, number, string]>('UPDATE alerts SET status = ?, updated_at = ? WHERE id = ?'),
    saveNormalized: sqlite.prepare(
      'UPDATE alerts SET format = @format, message = @message, normalized = @normalized, event_time = @eventTime, updated_at = @updatedAt WHERE id = @id',
    ),
    saveClassification: sqlite.prepare<[string, number, string, string]>('UPDATE alerts SET category = ?, confidence = ?, classification = ? WHERE id = ?'),
    saveScore: sqlite.prepare<[number, string, string, string]>('UPDATE alerts SET score = ?, risk_level = ?, score_factors = ? WHERE id = ?'),
    insertJob: sqlite.prepare(
      `INSERT INTO jobs (id, alert_id, status, stage, attempts, created_at, updated_at)
       VALUES (@id, @alertId, @status, @stage, 0, @createdAt, @updatedAt)`,
    ),
    job: sqlite.prepare<[string], JobRecord>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`),
    latestJob: sqlite.prepare<[string], JobRecord>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE alert_id = ? ORDER BY id DESC LIMIT 1`),
    unfinishedJobs: sqlite.prepare<[], JobRecord>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE status IN ('PENDING', 'RUNNING') ORDER BY created_at, id`),
    startJob: sqlite.prepare<[number, string]>("UPDATE jobs SET status = 'RUNNING', attempts = attempts + 1, updated_at = ? WHERE id = ?"),
    advanceJob: sqlite.prepare<[string, number, string]>('UPDATE jobs SET stage = ?, updated_at = ? WHERE id = ?'),
    finishJob: sqlite.prepare<[string, string | null, number, string]>('UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE id = ?'),
    appendEvent: sqlite.prepare<NewEvent, PipelineEventRecord>(
      `INSERT INTO pipeline_events (alert_id, job_id, stage, status, duration_ms, summary, detail, created_at)
       VALUES (@alertId, @jobId, @stage, @status, @durationMs, @summary, @detail, @createdAt) RETURNING ${EVENT_COLUMNS}`,
    ),
    eventsAfter: sqlite.prepare<[string, number], PipelineEventRecord>(
      `SELECT ${EVENT_COLUMNS} FROM pipeline_events WHERE alert_id = ? AND seq > ? ORDER BY seq`,
    ),
  };

  return {
    transaction: <T>(fn: () => T): T => transactionsOf(sqlite).run(fn),
    insertAlert: (alert: NewAlert) => void s.insertAlert.run(alert),
    getAlert: (id: string) => s.alert.get(id),
    findBySourceRef: (source: string, sourceRef: string) => s.bySourceRef.get(source, sourceRef),
    findByFingerprintSince: (fingerprint: string, since: number) => s.byFingerprint.get(fingerprint, since),
    recordRepeat: (alertId: string, now: number) => void s.recordRepeat.run(now, now, alertId),
    insertOccurrence: (o: OccurrenceRecord) => void s.insertOccurrence.run(o),
    occurrences: (alertId: string, limit: number) => s.occurrences.all(alertId, limit),
    setAlertStatus: (alertId: string, status: string, now: number) => void s.setStatus.run(status, now, alertId),
    saveNormalized: (row: { id: string; format: string; message: string; normalized: string; eventTime: number | null; updatedAt: number }) =>
      void s.saveNormalized.run(row),
    saveClassification: (alertId: string, category: string, confidence: number, classification: string) =>
      void s.saveClassification.run(category, confidence, classification, alertId),
    saveScore: (alertId: string, score: number, level: string, factors: string) => void s.saveScore.run(score, level, factors, alertId),
    insertJob: (job: { id: string; alertId: string; status: string; stage: string; createdAt: number; updatedAt: number }) => void s.insertJob.run(job),
    getJob: (id: string) => s.job.get(id),
    latestJob: (alertId: string) => s.latestJob.get(alertId),
    unfinishedJobs: () => s.unfinishedJobs.all(),
    startJob: (jobId: string, now: number) => void s.startJob.run(now, jobId),
    advanceJob: (jobId: string, stage: string, now: number) => void s.advanceJob.run(stage, now, jobId),
    finishJob: (jobId: string, status: 'COMPLETED' | 'FAILED', error: string | null, now: number) => void s.finishJob.run(status, error, now, jobId),
    appendEvent: (event: NewEvent) => s.appendEvent.get(event)!,
    eventsAfter: (alertId: string, afterSeq: number) => s.eventsAfter.all(alertId, afterSeq),
  };
}

export type AlertStore = ReturnType<typeof createAlertStore>;

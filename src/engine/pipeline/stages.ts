/** Names and states of the pipeline. Later issues append stages to PIPELINE_ORDER. */

export const PipelineStage = {
  INGEST: 'INGEST',
  NORMALIZE: 'NORMALIZE',
  EXTRACT: 'EXTRACT',
  CLASSIFY: 'CLASSIFY',
  ENRICH: 'ENRICH',
  SCORE: 'SCORE',
  CORRELATE: 'CORRELATE',
} as const;
export type PipelineStage = (typeof PipelineStage)[keyof typeof PipelineStage];

/** Stages a job runs, in order, after ingest (which happens in the request). */
export const JOB_STAGES: readonly PipelineStage[] = [PipelineStage.NORMALIZE, PipelineStage.EXTRACT, PipelineStage.CLASSIFY, PipelineStage.ENRICH, PipelineStage.SCORE, PipelineStage.CORRELATE];

/** The `stage` a finished job points at. */
export const DONE = 'DONE';

export const StageStatus = {
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  SKIPPED: 'SKIPPED',
} as const;
export type StageStatus = (typeof StageStatus)[keyof typeof StageStatus];

export const JobStatus = {
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

export const AlertStatus = {
  RECEIVED: 'RECEIVED',
  PROCESSING: 'PROCESSING',
  PROCESSED: 'PROCESSED',
  FAILED: 'FAILED',
} as const;
export type AlertStatus = (typeof AlertStatus)[keyof typeof AlertStatus];

/** A stored stage event as published to subscribers, with the alert's source for filtering. */
export interface StageEvent {
  seq: number;
  alertId: string;
  jobId: string | null;
  source: string;
  stage: string;
  status: string;
  durationMs: number;
  summary: string;
  detail: string | null;
  createdAt: number;
}

export type EmitStageEvent = (event: StageEvent) => void;

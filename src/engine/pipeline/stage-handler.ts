import type { AlertRecord } from '../../store/records.js';
import type { PipelineStage } from './stages.js';

export interface StageContext {
  alert: AlertRecord;
  jobId: string;
  /** The clock's time when the stage started. */
  now: number;
}

export interface StageResult {
  /** One line for people watching the pipeline, e.g. "found 3 IOCs (1 IPV4, 2 USERNAME)". */
  summary: string;
  /** Small JSON-able facts for clients (counts, ids); never the whole payload. */
  detail?: Record<string, unknown>;
  /**
   * Synchronous writes, committed in the same transaction as the stage event and the job's advance.
   * Work that must see earlier alerts of the same batch (stateful detections) happens here, and may
   * return a summary and detail that replace the ones above.
   */
  commit?: () => void | Pick<StageResult, 'summary' | 'detail'>;
}

/**
 * One pipeline stage. `run` may be async (networked work happens there, outside any transaction);
 * what it stores goes in `commit`, which must stay synchronous (an async drizzle/SQLite transaction
 * would commit at its first await).
 */
export interface StageHandler {
  stage: PipelineStage;
  run(ctx: StageContext): Promise<StageResult> | StageResult;
}

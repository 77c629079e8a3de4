/**
 * Playbook runs and their steps through prepared statements. Methods open no transactions: the trigger and
 * the runner group them with the action they request.
 */
import type Database from 'better-sqlite3';
import { actions, playbookRuns, runSteps } from '../../db/schema.js';
import { selectList, type ActionRecord, type PlaybookRunRecord, type RunStepRecord } from './records.js';
import type { Page } from './page.js';

const RUN_COLUMNS = selectList(playbookRuns);
const STEP_COLUMNS = selectList(runSteps);
const ACTION_COLUMNS = selectList(actions);

export type RunPatch = Partial<Pick<PlaybookRunRecord, 'status' | 'error' | 'finishedAt'>> & { updatedAt: number };
export type StepPatch = Partial<Pick<RunStepRecord, 'status' | 'attempts' | 'deadlineAt' | 'retryAt' | 'output' | 'error' | 'startedAt' | 'finishedAt'>>;

export interface RunFilter {
  caseId?: string | null | undefined;
  statuses?: readonly string[] | null | undefined;
  playbook?: string | null | undefined;
  dryRun?: boolean | null | undefined;
}

const RUN_COLUMN: Record<keyof RunPatch, string> = { status: 'status', error: 'error', finishedAt: 'finished_at', updatedAt: 'updated_at' };
const STEP_COLUMN: Record<keyof StepPatch, string> = {
  status: 'status',
  attempts: 'attempts',
  deadlineAt: 'deadline_at',
  retryAt: 'retry_at',
  output: 'output',
  error: 'error',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
};

const boolRun = (row: PlaybookRunRecord): PlaybookRunRecord => ({ ...row, dryRun: Boolean(row.dryRun) });

export function createRunStore(sqlite: Database.Database) {
  const s = {
    insertRun: sqlite.prepare<[PlaybookRunRecord]>(
      `INSERT INTO playbook_runs (id, playbook, playbook_hash, case_id, alert_id, trigger, status, dry_run, context, error, started_by, created_at, updated_at, finished_at)
       VALUES (@id, @playbook, @playbookHash, @caseId, @alertId, @trigger, @status, @dryRun, @context, @error, @startedBy, @createdAt, @updatedAt, @finishedAt)`,
    ),
    insertStep: sqlite.prepare<[RunStepRecord]>(
      `INSERT INTO run_steps (id, run_id, position, name, action, status, attempts, deadline_at, retry_at, params, output, error, started_at, finished_at)
       VALUES (@id, @runId, @position, @name, @action, @status, @attempts, @deadlineAt, @retryAt, @params, @output, @error, @startedAt, @finishedAt)`,
    ),
    run: sqlite.prepare<[string], PlaybookRunRecord>(`SELECT ${RUN_COLUMNS} FROM playbook_runs WHERE id = ?`),
    step: sqlite.prepare<[string], RunStepRecord>(`SELECT ${STEP_COLUMNS} FROM run_steps WHERE id = ?`),
    steps: sqlite.prepare<[string], RunStepRecord>(`SELECT ${STEP_COLUMNS} FROM run_steps WHERE run_id = ? ORDER BY position`),
    ofCase: sqlite.prepare<[string], PlaybookRunRecord>(`SELECT ${RUN_COLUMNS} FROM playbook_runs WHERE case_id = ? ORDER BY created_at, id`),
    // Automatic runs happen once per case (or uncased alert) and playbook version; dry runs do not count.
    ranOnCase: sqlite.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM playbook_runs WHERE case_id = ? AND playbook_hash = ? AND dry_run = 0'),
    ranOnAlert: sqlite.prepare<[string, string], { n: number }>(
      'SELECT count(*) AS n FROM playbook_runs WHERE alert_id = ? AND case_id IS NULL AND playbook_hash = ? AND dry_run = 0',
    ),
    unfinished: sqlite.prepare<[], { id: string }>(`SELECT id FROM playbook_runs WHERE status IN ('PENDING', 'RUNNING', 'WAITING_APPROVAL') ORDER BY id`),
    runnable: sqlite.prepare<[], { id: string }>(`SELECT id FROM playbook_runs WHERE status IN ('PENDING', 'RUNNING') ORDER BY id`),
    // Read-only: the action service owns the rows; a step's latest attempt is its newest action.
    latestAction: sqlite.prepare<[string], ActionRecord>(`SELECT ${ACTION_COLUMNS} FROM actions WHERE step_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`),
    overdue: sqlite.prepare<[number], RunStepRecord>(`SELECT ${STEP_COLUMNS} FROM run_steps WHERE status = 'RUNNING' AND deadline_at IS NOT NULL AND deadline_at < ? ORDER BY deadline_at`),
  };
  const updates = new Map<string, Database.Statement>();
  function patch(table: string, columns: Record<string, string>, id: string, values: Record<string, unknown>): number {
    const keys = Object.keys(values).filter((k) => values[k] !== undefined);
    const sql = `UPDATE ${table} SET ${keys.map((k) => `${columns[k]} = @${k}`).join(', ')} WHERE id = @id`;
    let stmt = updates.get(sql);
    if (!stmt) updates.set(sql, (stmt = sqlite.prepare(sql)));
    return stmt.run({ ...Object.fromEntries(keys.map((k) => [k, values[k]])), id }).changes;
  }
  const lists = new Map<string, Database.Statement>();

  return {
    insertRun: (row: PlaybookRunRecord) => void s.insertRun.run({ ...row, dryRun: (row.dryRun ? 1 : 0) as never }),
    insertStep: (row: RunStepRecord) => void s.insertStep.run(row),
    getRun: (id: string) => {
      const row = s.run.get(id);
      return row ? boolRun(row) : undefined;
    },
    getStep: (id: string) => s.step.get(id),
    stepsOf: (runId: string) => s.steps.all(runId),
    runsOfCase: (caseId: string) => s.ofCase.all(caseId).map(boolRun),
    ranOnCase: (caseId: string, hash: string) => s.ranOnCase.get(caseId, hash)!.n > 0,
    ranOnAlert: (alertId: string, hash: string) => s.ranOnAlert.get(alertId, hash)!.n > 0,
    updateRun: (id: string, values: RunPatch) => patch('playbook_runs', RUN_COLUMN, id, values),
    updateStep: (id: string, values: StepPatch) => patch('run_steps', STEP_COLUMN, id, values),
    /** Runs a restart resumes (PENDING, RUNNING, WAITING_APPROVAL), oldest first. */
    unfinishedRunIds: () => s.unfinished.all().map((r) => r.id),
    /** Runs with work to do now or after a backoff (PENDING, RUNNING), oldest first. */
    runnableRunIds: () => s.runnable.all().map((r) => r.id),
    /** The action of a step's latest attempt. */
    latestActionOf: (stepId: string): ActionRecord | undefined => {
      const row = s.latestAction.get(stepId);
      return row ? { ...row, dryRun: Boolean(row.dryRun) } : undefined;
    },
    /** RUNNING steps whose deadline is before `now`. */
    overdueSteps: (now: number) => s.overdue.all(now),
    /** A filtered page, newest first (ids are ULIDs). */
    list(filter: RunFilter, page: Page): PlaybookRunRecord[] {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.caseId) where.push('case_id = ?'), params.push(filter.caseId);
      if (filter.playbook) where.push('playbook = ?'), params.push(filter.playbook);
      if (filter.statuses?.length) where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`), params.push(...filter.statuses);
      if (filter.dryRun != null) where.push('dry_run = ?'), params.push(filter.dryRun ? 1 : 0);
      if (page.after) where.push('id < ?'), params.push(page.after);
      if (page.before) where.push('id > ?'), params.push(page.before);
      const sql = `SELECT ${RUN_COLUMNS} FROM playbook_runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${page.inverted ? 'ASC' : 'DESC'} LIMIT ?`;
      let stmt = lists.get(sql);
      if (!stmt) lists.set(sql, (stmt = sqlite.prepare(sql)));
      return (stmt.all(...params, page.limit) as PlaybookRunRecord[]).map(boolRun);
    },
  };
}

export type RunStore = ReturnType<typeof createRunStore>;

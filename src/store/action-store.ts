/**
 * Response actions: rows written and read with prepared statements. Methods open no transactions: the
 * action service groups them (with the audit record) in one.
 */
import type Database from 'better-sqlite3';
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { actions } from '../../db/schema.js';
import { keyset, type Page } from './page.js';
import { selectList, type ActionRecord } from './records.js';

const ACTION_COLUMNS = selectList(actions);

/** The fields a status change may set; `updatedAt` always. */
export type ActionPatch = Partial<Pick<ActionRecord, 'status' | 'reason' | 'artifact' | 'executor' | 'revertAt' | 'revertedAt'>> & { updatedAt: number };

export interface ActionFilter {
  caseId?: string | null | undefined;
  runId?: string | null | undefined;
  statuses?: readonly string[] | null | undefined;
  kinds?: readonly string[] | null | undefined;
  target?: string | null | undefined;
  dryRun?: boolean | null | undefined;
}

/** What counts against the blast radius: actions that did, or may still do, something. */
export interface CountQuery {
  kinds: readonly string[];
  statuses: readonly string[];
  dryRun: boolean;
}

export function createActionStore(db: Db, sqlite: Database.Database) {
  const s = {
    insert: sqlite.prepare<[ActionRecord]>(
      `INSERT INTO actions (id, run_id, step_id, case_id, kind, target, params, executor, status, dry_run, reason, artifact, revert_at, reverted_at, revert_of, requested_by, created_at, updated_at)
       VALUES (@id, @runId, @stepId, @caseId, @kind, @target, @params, @executor, @status, @dryRun, @reason, @artifact, @revertAt, @revertedAt, @revertOf, @requestedBy, @createdAt, @updatedAt)`,
    ),
    byId: sqlite.prepare<[string], ActionRecord>(`SELECT ${ACTION_COLUMNS} FROM actions WHERE id = ?`),
    ofCase: sqlite.prepare<[string], ActionRecord>(`SELECT ${ACTION_COLUMNS} FROM actions WHERE case_id = ? ORDER BY created_at, id`),
    ofRun: sqlite.prepare<[string], ActionRecord>(`SELECT ${ACTION_COLUMNS} FROM actions WHERE run_id = ? ORDER BY created_at, id`),
    // An executed block or isolation of the same target that has not been undone (uses actions_kind_target_idx).
    active: sqlite.prepare<[string, string], ActionRecord>(
      `SELECT ${ACTION_COLUMNS} FROM actions WHERE kind = ? AND target = ? AND status = 'EXECUTED' AND dry_run = 0 AND reverted_at IS NULL
         AND revert_of IS NULL AND json_extract(artifact, '$.duplicateOf') IS NULL ORDER BY created_at DESC, id DESC LIMIT 1`,
    ),
    // Executed blocks and isolations whose TTL has passed (uses actions_revert_idx).
    due: sqlite.prepare<[number, number], ActionRecord>(
      `SELECT ${ACTION_COLUMNS} FROM actions WHERE revert_at IS NOT NULL AND revert_at <= ? AND status = 'EXECUTED' AND reverted_at IS NULL
       ORDER BY revert_at, id LIMIT ?`,
    ),
    pendingRevert: sqlite.prepare<[string], ActionRecord>(`SELECT ${ACTION_COLUMNS} FROM actions WHERE revert_of = ? AND status = 'PLANNED' AND dry_run = 0 LIMIT 1`),
    failedReverts: sqlite.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM actions WHERE revert_of = ? AND status = 'FAILED'`),
  };

  // Statements for the few shapes of counts and updates the service makes, prepared once each.
  const counters = new Map<string, Database.Statement>();
  const updates = new Map<string, Database.Statement>();

  function countWhere(where: string, params: unknown[], q: CountQuery): number {
    const kinds = q.kinds.map(() => '?').join(', ');
    const statuses = q.statuses.map(() => '?').join(', ');
    const sql = `SELECT count(*) AS n FROM actions WHERE ${where} AND dry_run = ? AND kind IN (${kinds}) AND status IN (${statuses})
      AND (artifact IS NULL OR json_extract(artifact, '$.duplicateOf') IS NULL)`;
    let stmt = counters.get(sql);
    if (!stmt) counters.set(sql, (stmt = sqlite.prepare(sql)));
    return (stmt.get(...params, q.dryRun ? 1 : 0, ...q.kinds, ...q.statuses) as { n: number }).n;
  }
  return {
    insert: (row: ActionRecord) => void s.insert.run({ ...row, dryRun: (row.dryRun ? 1 : 0) as never }),
    get: (id: string): ActionRecord | undefined => normalise(s.byId.get(id)),
    /** Writes `patch` onto the row; the caller has read the row in the same transaction. */
    update(id: string, patch: ActionPatch): void {
      const keys = Object.keys(patch) as Array<keyof ActionPatch>;
      const sets = keys.map((k) => `${COLUMN[k]} = @${k}`).join(', ');
      const sql = `UPDATE actions SET ${sets} WHERE id = @id`;
      let stmt = updates.get(sql);
      if (!stmt) updates.set(sql, (stmt = sqlite.prepare(sql)));
      stmt.run({ ...patch, id });
    },
    /** The actions of a case, oldest first. */
    ofCase: (caseId: string) => s.ofCase.all(caseId).map(normaliseRow),
    /** The actions of a playbook run, oldest first. */
    ofRun: (runId: string) => s.ofRun.all(runId).map(normaliseRow),
    /** The executed, not yet undone, original block (or isolation) of `target`. */
    activeOf: (kind: string, target: string) => normalise(s.active.get(kind, target)),
    /** Executed actions whose `revertAt` has come, oldest due first. */
    dueForRevert: (now: number, limit: number) => s.due.all(now, limit).map(normaliseRow),
    /** A revert of `actionId` that was requested but not yet executed (a crash between the two). */
    pendingRevertOf: (actionId: string) => normalise(s.pendingRevert.get(actionId)),
    /** How many reverts of `actionId` failed (the sweep backs off and notifies once by it). */
    failedRevertsOf: (actionId: string) => s.failedReverts.get(actionId)!.n,
    countInRun: (runId: string, q: CountQuery) => countWhere('run_id = ?', [runId], q),
    /**
     * Actions requested, approved or executed since `since` (other than `excludeId`). Not just created:
     * an action approved or run hours after its request acts now, and must count in this hour's window.
     * `updated_at` bounds the JSON look-ups to rows touched since then.
     */
    countSince: (since: number, q: CountQuery, excludeId = '') =>
      countWhere(
        `id != ? AND (created_at >= ? OR (updated_at >= ? AND (json_extract(artifact, '$.approvedAt') >= ? OR json_extract(artifact, '$.executedAt') >= ?)))`,
        [excludeId, since, since, since, since],
        q,
      ),
    /** A filtered page, newest first. */
    list(filter: ActionFilter, page: Page): ActionRecord[] {
      const conditions: Array<SQL | undefined> = [
        filter.caseId ? eq(actions.caseId, filter.caseId) : undefined,
        filter.runId ? eq(actions.runId, filter.runId) : undefined,
        filter.statuses?.length ? inArray(actions.status, [...filter.statuses]) : undefined,
        filter.kinds?.length ? inArray(actions.kind, [...filter.kinds]) : undefined,
        filter.target ? eq(actions.target, filter.target) : undefined,
        filter.dryRun != null ? eq(actions.dryRun, filter.dryRun) : undefined,
      ];
      const { where, orderBy } = keyset(actions.id, page);
      return db
        .select()
        .from(actions)
        .where(and(...conditions, where))
        .orderBy(orderBy)
        .limit(page.limit)
        .all();
    },
  };
}

const COLUMN: Record<keyof ActionPatch, string> = {
  status: 'status',
  reason: 'reason',
  artifact: 'artifact',
  executor: 'executor',
  revertAt: 'revert_at',
  revertedAt: 'reverted_at',
  updatedAt: 'updated_at',
};

/** Raw SQL returns the boolean column as 0/1. */
function normaliseRow(row: ActionRecord): ActionRecord {
  return { ...row, dryRun: Boolean(row.dryRun) };
}
function normalise(row: ActionRecord | undefined): ActionRecord | undefined {
  return row ? normaliseRow(row) : undefined;
}

export type ActionStore = ReturnType<typeof createActionStore>;

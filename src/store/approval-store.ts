/** Approvals that actions wait for, through prepared statements; callers group writes in a transaction. */
import type Database from 'better-sqlite3';
import { approvals } from '../../db/schema.js';
import { selectList, type ApprovalRecord } from './records.js';

const COLUMNS = selectList(approvals);

export function createApprovalStore(sqlite: Database.Database) {
  const s = {
    insert: sqlite.prepare<[ApprovalRecord]>(
      `INSERT OR IGNORE INTO approvals (id, action_id, required_role, required_count, status, default_outcome, expires_at, decisions, created_at, decided_at)
       VALUES (@id, @actionId, @requiredRole, @requiredCount, @status, @defaultOutcome, @expiresAt, @decisions, @createdAt, @decidedAt)`,
    ),
    byAction: sqlite.prepare<[string], ApprovalRecord>(`SELECT ${COLUMNS} FROM approvals WHERE action_id = ?`),
    byId: sqlite.prepare<[string], ApprovalRecord>(`SELECT ${COLUMNS} FROM approvals WHERE id = ?`),
    // Only a PENDING approval changes: a decision raced by another one (or by expiry) writes nothing.
    decide: sqlite.prepare<[{ id: string; status: string; decisions: string; decidedAt: number | null }]>(
      "UPDATE approvals SET status = @status, decisions = @decisions, decided_at = @decidedAt WHERE id = @id AND status = 'PENDING'",
    ),
    pending: sqlite.prepare<[], ApprovalRecord>(`SELECT ${COLUMNS} FROM approvals WHERE status = 'PENDING' ORDER BY created_at, id`),
    expired: sqlite.prepare<[number], ApprovalRecord>(`SELECT ${COLUMNS} FROM approvals WHERE status = 'PENDING' AND expires_at <= ? ORDER BY expires_at, id`),
  };
  return {
    /** Stores an approval unless the action already has one (the action service may have written it). */
    insert: (row: ApprovalRecord) => s.insert.run(row).changes === 1,
    ofAction: (actionId: string) => s.byAction.get(actionId),
    get: (id: string) => s.byId.get(id),
    /** Writes the new state if the approval is still PENDING; false when it was decided meanwhile. */
    decide: (id: string, status: string, decisions: string, decidedAt: number | null) => s.decide.run({ id, status, decisions, decidedAt }).changes === 1,
    pending: () => s.pending.all(),
    expiredBy: (now: number) => s.expired.all(now),
  };
}

export type ApprovalStore = ReturnType<typeof createApprovalStore>;

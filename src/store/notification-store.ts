/**
 * The notification outbox. Rows are written inside the transaction of the change that causes them and
 * claimed by the deliverer with a lease (`next_attempt_at` moved past the delivery timeout) so two
 * deliveries of one row never run at once; every outcome is written only if the row is still at the
 * attempt that was claimed, so a stale result (after a lease expired or a redelivery) changes nothing.
 */
import { and, desc, asc, eq, gt, lt, type SQL } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.js';
import * as schema from '../../db/schema.js';
import { notifications } from '../../db/schema.js';
import type { Page } from './page.js';
import { selectList, type NotificationRecord } from './records.js';

export const NotificationStatus = { PENDING: 'PENDING', DELIVERED: 'DELIVERED', DEAD: 'DEAD' } as const;
export type NotificationStatus = (typeof NotificationStatus)[keyof typeof NotificationStatus];

export interface NotificationFilter {
  status?: string | null | undefined;
  channel?: string | null | undefined;
  event?: string | null | undefined;
  caseId?: string | null | undefined;
}

const COLUMNS = selectList(schema.notifications);

export function createNotificationStore(db: Db, sqlite: Database.Database) {
  const s = {
    insert: sqlite.prepare<[NotificationRecord]>(
      `INSERT INTO notifications (id, channel, event, severity, case_id, payload, idempotency_key, status, attempts, next_attempt_at, last_error, created_at, delivered_at)
       VALUES (@id, @channel, @event, @severity, @caseId, @payload, @idempotencyKey, @status, @attempts, @nextAttemptAt, @lastError, @createdAt, @deliveredAt)`,
    ),
    byId: sqlite.prepare<[string], NotificationRecord>(`SELECT ${COLUMNS} FROM notifications WHERE id = ?`),
    due: sqlite.prepare<[number, number], NotificationRecord>(
      `SELECT ${COLUMNS} FROM notifications WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
    ),
    claim: sqlite.prepare<[number, string, number]>(
      `UPDATE notifications SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND status = 'PENDING' AND next_attempt_at <= ?`,
    ),
    delivered: sqlite.prepare<[number, number, string, number]>(
      `UPDATE notifications SET status = 'DELIVERED', delivered_at = ?, next_attempt_at = ? WHERE id = ? AND status = 'PENDING' AND attempts = ?`,
    ),
    retry: sqlite.prepare<[number, string, string, number]>(
      `UPDATE notifications SET next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'PENDING' AND attempts = ?`,
    ),
    dead: sqlite.prepare<[string, number, string, number]>(
      `UPDATE notifications SET status = 'DEAD', last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'PENDING' AND attempts = ?`,
    ),
    release: sqlite.prepare<[number, string, number]>(
      `UPDATE notifications SET attempts = attempts - 1, next_attempt_at = ? WHERE id = ? AND status = 'PENDING' AND attempts = ?`,
    ),
    requeue: sqlite.prepare<[number, string]>(
      `UPDATE notifications SET status = 'PENDING', attempts = 0, next_attempt_at = ?, delivered_at = NULL WHERE id = ? AND status IN ('DELIVERED', 'DEAD')`,
    ),
  };

  return {
    insert: (row: NotificationRecord) => void s.insert.run(row),
    get: (id: string) => s.byId.get(id),
    /** Up to `limit` PENDING rows whose time has come, oldest first. */
    due: (now: number, limit: number) => s.due.all(now, limit),
    /** Takes a due row for one delivery attempt until `leaseUntil`; false when someone else took it first. */
    claim: (id: string, now: number, leaseUntil: number): boolean => s.claim.run(leaseUntil, id, now).changes === 1,
    markDelivered: (id: string, attempt: number, now: number): boolean => s.delivered.run(now, now, id, attempt).changes === 1,
    scheduleRetry: (id: string, attempt: number, at: number, error: string): boolean => s.retry.run(at, error, id, attempt).changes === 1,
    markDead: (id: string, attempt: number, now: number, error: string): boolean => s.dead.run(error, now, id, attempt).changes === 1,
    /** Gives a claimed row back untouched (the attempt did not happen, e.g. interrupted by shutdown). */
    release: (id: string, attempt: number, at: number): boolean => s.release.run(at, id, attempt).changes === 1,
    /** A DELIVERED or DEAD row back to PENDING with a fresh set of attempts; false when it is PENDING already. */
    requeue: (id: string, now: number): boolean => s.requeue.run(now, id).changes === 1,

    /** Filtered, keyset-paginated list, newest first (ids are ULIDs, so they sort by creation). */
    list(filter: NotificationFilter, page: Page): NotificationRecord[] {
      const conditions: Array<SQL | undefined> = [
        filter.status ? eq(notifications.status, filter.status) : undefined,
        filter.channel ? eq(notifications.channel, filter.channel) : undefined,
        filter.event ? eq(notifications.event, filter.event) : undefined,
        filter.caseId ? eq(notifications.caseId, filter.caseId) : undefined,
        page.after ? lt(notifications.id, page.after) : undefined,
        page.before ? gt(notifications.id, page.before) : undefined,
      ];
      return db
        .select()
        .from(notifications)
        .where(and(...conditions))
        .orderBy(page.inverted ? asc(notifications.id) : desc(notifications.id))
        .limit(page.limit)
        .all();
    },
  };
}

export type NotificationStore = ReturnType<typeof createNotificationStore>;

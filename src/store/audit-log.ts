/** Appends to audit_log. Callers run it inside their own transaction so the change and its record commit together. */
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { IdPrefix, newId } from '../ids.js';

export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export function createAuditLog(sqlite: Database.Database, clock: Clock) {
  const insert = sqlite.prepare(
    'INSERT INTO audit_log (id, actor, action, entity_type, entity_id, before, after, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return {
    record(entry: AuditEntry): void {
      const now = clock();
      insert.run(
        newId(IdPrefix.AuditEntry, now),
        entry.actor,
        entry.action,
        entry.entityType,
        entry.entityId,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
        now,
      );
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

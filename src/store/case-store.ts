/**
 * Cases, their alert links, observables and events through prepared statements: correlation runs on the
 * pipeline's hot path. Methods do not open transactions; callers group them with `transaction`.
 */
import type Database from 'better-sqlite3';
import { OPEN_STATUSES } from '../engine/cases/model.js';
import { CASE_COLUMNS, CASE_EVENT_COLUMNS, type CaseAlertRecord, type CaseEventRecord, type CaseRecord } from './records.js';
import { transactionsOf } from './transactions.js';
import { levelRankSql } from '../engine/score/model.js';

export type NewCaseEvent = Omit<CaseEventRecord, 'seq'>;
/** The fields a change may set; `id` and `version` identify the row and the version read. */
export type CaseUpdate = Omit<CaseRecord, 'number' | 'createdBy' | 'createdAt'>;

const OPEN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

export function createCaseStore(sqlite: Database.Database) {
  const s = {
    insert: sqlite.prepare<[CaseRecord]>(
      `INSERT INTO cases (id, number, title, description, status, resolution, severity, severity_set_by, score, category, tlp, pap, assignee, tags, techniques, kind_key,
         alert_count, folded_count, merged_into, created_by, version, first_alert_at, last_alert_at, created_at, updated_at)
       VALUES (@id, @number, @title, @description, @status, @resolution, @severity, @severitySetBy, @score, @category, @tlp, @pap, @assignee, @tags, @techniques, @kindKey,
         @alertCount, @foldedCount, @mergedInto, @createdBy, @version, @firstAlertAt, @lastAlertAt, @createdAt, @updatedAt)`,
    ),
    nextNumber: sqlite.prepare<[], { next: number }>('SELECT coalesce(max(number), 0) + 1 AS next FROM cases'),
    byId: sqlite.prepare<[string], CaseRecord>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = ?`),
    byNumber: sqlite.prepare<[number], CaseRecord>(`SELECT ${CASE_COLUMNS} FROM cases WHERE number = ?`),
    update: sqlite.prepare<[CaseUpdate]>(
      `UPDATE cases SET title = @title, description = @description, status = @status, resolution = @resolution, severity = @severity, severity_set_by = @severitySetBy, score = @score,
         category = @category, tlp = @tlp, pap = @pap, assignee = @assignee, tags = @tags, techniques = @techniques, kind_key = @kindKey,
         alert_count = @alertCount, folded_count = @foldedCount, merged_into = @mergedInto, first_alert_at = @firstAlertAt,
         last_alert_at = @lastAlertAt, updated_at = @updatedAt, version = version + 1
       WHERE id = @id AND version = @version`,
    ),
    link: sqlite.prepare<[CaseAlertRecord]>(
      `INSERT INTO case_alerts (alert_id, case_id, linked_by, reason, added_by, added_at) VALUES (@alertId, @caseId, @linkedBy, @reason, @addedBy, @addedAt)
       ON CONFLICT (alert_id) DO UPDATE SET case_id = excluded.case_id, linked_by = excluded.linked_by, reason = excluded.reason,
         added_by = excluded.added_by, added_at = excluded.added_at`,
    ),
    linkOf: sqlite.prepare<[string], CaseAlertRecord>('SELECT alert_id AS alertId, case_id AS caseId, linked_by AS linkedBy, reason, added_by AS addedBy, added_at AS addedAt FROM case_alerts WHERE alert_id = ?'),
    linksOf: sqlite.prepare<[string], CaseAlertRecord>(
      'SELECT alert_id AS alertId, case_id AS caseId, linked_by AS linkedBy, reason, added_by AS addedBy, added_at AS addedAt FROM case_alerts WHERE case_id = ? ORDER BY added_at, alert_id',
    ),
    addObservable: sqlite.prepare<[string, string, string, number, number]>(
      'INSERT OR IGNORE INTO case_observables (case_id, ioc_id, role, is_ioc, added_at) VALUES (?, ?, ?, ?, ?)',
    ),
    clearObservables: sqlite.prepare<[string]>('DELETE FROM case_observables WHERE case_id = ? AND overridden_by IS NULL'),
    dropOrphanOverrides: sqlite.prepare<[string]>(
      `DELETE FROM case_observables WHERE case_id = ? AND overridden_by IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM case_alerts ca JOIN alert_iocs ai ON ai.alert_id = ca.alert_id
         WHERE ca.case_id = case_observables.case_id AND ai.ioc_id = case_observables.ioc_id AND ai.role = case_observables.role)`,
    ),
    setObservableIoc: sqlite.prepare<[number, string, string, string]>('UPDATE case_observables SET is_ioc = ?, overridden_by = ? WHERE case_id = ? AND ioc_id = ?'),
    // Hosts (or, for alerts naming none, sources) among the IOC's latest alerts: how widespread it is.
    spread: sqlite.prepare<[string, number], { n: number }>(
      `SELECT count(DISTINCT coalesce(json_extract(a.normalized, '$.host'), 'source:' || a.source)) AS n
       FROM (SELECT alert_id FROM alert_iocs WHERE ioc_id = ? ORDER BY alert_id DESC LIMIT ?) x JOIN alerts a ON a.id = x.alert_id`,
    ),
    openCasesWithIoc: sqlite.prepare<[string, number, number], { caseId: string; lastAlertAt: number }>(
      `SELECT DISTINCT c.id AS caseId, c.last_alert_at AS lastAlertAt FROM case_observables co JOIN cases c ON c.id = co.case_id
       WHERE co.ioc_id = ? AND co.is_ioc = 1 AND c.status IN (${OPEN}) AND c.last_alert_at >= ? ORDER BY c.last_alert_at DESC LIMIT ?`,
    ),
    openCaseWithEntity: sqlite.prepare<[string, string, number], { caseId: string }>(
      `SELECT c.id AS caseId FROM case_observables co JOIN cases c ON c.id = co.case_id
       WHERE co.ioc_id = ? AND co.role IN ('HOST', 'USER', 'TARGET_USER') AND c.category = ? AND c.status IN (${OPEN}) AND c.last_alert_at >= ?
       ORDER BY c.last_alert_at DESC LIMIT 1`,
    ),
    // Both on event time, like every correlation window (so a replayed backlog folds as it happened).
    openCasesOfKind: sqlite.prepare<[string, number], { caseId: string }>(
      `SELECT id AS caseId FROM cases WHERE kind_key = ? AND first_alert_at >= ? AND status IN (${OPEN}) ORDER BY first_alert_at DESC, id DESC`,
    ),
    ongoingStorm: sqlite.prepare<[string, number], { caseId: string }>(
      `SELECT id AS caseId FROM cases WHERE kind_key = ? AND folded_count > 0 AND status IN (${OPEN}) AND last_alert_at >= ?
       ORDER BY last_alert_at DESC LIMIT 1`,
    ),
    aggregates: sqlite.prepare<[string], { alertCount: number; score: number | null; levelRank: number | null; firstAt: number | null; lastAt: number | null }>(
      `SELECT count(*) AS alertCount, max(coalesce(a.score, 0)) AS score,
         max(${levelRankSql('a.risk_level')}) AS levelRank,
         min(coalesce(a.event_time, a.received_at)) AS firstAt, max(coalesce(a.event_time, a.received_at)) AS lastAt
       FROM case_alerts ca JOIN alerts a ON a.id = ca.alert_id WHERE ca.case_id = ?`,
    ),
    techniques: sqlite.prepare<[string], { id: string }>(
      `SELECT DISTINCT json_extract(t.value, '$.id') AS id
       FROM case_alerts ca JOIN alerts a ON a.id = ca.alert_id, json_each(a.classification, '$.techniques') t
       WHERE ca.case_id = ? AND a.classification IS NOT NULL ORDER BY id`,
    ),
    iocLinks: sqlite.prepare<[string], { iocId: string; role: string }>(
      'SELECT DISTINCT ai.ioc_id AS iocId, ai.role AS role FROM case_alerts ca JOIN alert_iocs ai ON ai.alert_id = ca.alert_id WHERE ca.case_id = ?',
    ),
    linkCount: sqlite.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM case_alerts WHERE case_id = ? LIMIT ?)'),
    // A merge target takes its sources' derived observables as they are (an index read, not a scan of alerts).
    copyObservables: sqlite.prepare<[string, number, string]>(
      `INSERT OR IGNORE INTO case_observables (case_id, ioc_id, role, is_ioc, added_at)
       SELECT ?, ioc_id, role, is_ioc, ? FROM case_observables WHERE case_id IN (SELECT value FROM json_each(?)) AND overridden_by IS NULL`,
    ),
    overriddenObservables: sqlite.prepare<[string], { iocId: string; role: string }>(
      'SELECT DISTINCT ioc_id AS iocId, role FROM case_observables WHERE case_id IN (SELECT value FROM json_each(?)) AND overridden_by IS NOT NULL',
    ),
    dropObservables: sqlite.prepare<[string]>('DELETE FROM case_observables WHERE case_id = ?'),
    appendEvent: sqlite.prepare<[NewCaseEvent], { seq: number }>(
      'INSERT INTO case_events (case_id, kind, actor, summary, detail, created_at) VALUES (@caseId, @kind, @actor, @summary, @detail, @createdAt) RETURNING seq',
    ),
    eventsOf: sqlite.prepare<[string], CaseEventRecord>(`SELECT ${CASE_EVENT_COLUMNS} FROM case_events WHERE case_id = ? ORDER BY seq`),
  };

  return {
    transaction: <T>(fn: () => T): T => transactionsOf(sqlite).run(fn),
    afterCommit: (callback: () => void) => transactionsOf(sqlite).afterCommit(callback),
    insert: (row: CaseRecord) => void s.insert.run(row),
    nextNumber: () => s.nextNumber.get()!.next,
    get: (id: string) => s.byId.get(id),
    getByNumber: (number: number) => s.byNumber.get(number),
    /** Writes the row if it is still at `row.version`; false when someone changed it meanwhile. */
    update: (row: CaseUpdate): boolean => s.update.run(row).changes === 1,
    link: (link: CaseAlertRecord) => void s.link.run(link),
    linkOf: (alertId: string) => s.linkOf.get(alertId),
    linksOf: (caseId: string) => s.linksOf.all(caseId),
    addObservable: (caseId: string, iocId: string, role: string, isIoc: boolean, now: number) => void s.addObservable.run(caseId, iocId, role, isIoc ? 1 : 0, now),
    /** Drops observables that were derived from alerts (analyst overrides stay), before re-adding them. */
    clearDerivedObservables: (caseId: string) => void s.clearObservables.run(caseId),
    /** Drops analyst overrides of observables no alert of the case holds any more (they left by a split or move). */
    dropOrphanOverrides: (caseId: string) => void s.dropOrphanOverrides.run(caseId),
    setObservableIoc: (caseId: string, iocId: string, isIoc: boolean, actor: string) => s.setObservableIoc.run(isIoc ? 1 : 0, actor, caseId, iocId).changes > 0,
    /** How many distinct hosts (or sources) reported the IOC among its latest `sample` alerts: the rarity that weighs it in correlation. */
    spreadOf: (iocId: string, sample: number) => s.spread.get(iocId, sample)!.n,
    openCasesWithIoc: (iocId: string, since: number, limit: number) => s.openCasesWithIoc.all(iocId, since, limit),
    openCaseWithEntity: (iocId: string, category: string, since: number) => s.openCaseWithEntity.get(iocId, category, since)?.caseId,
    openCasesOfKind: (kindKey: string, since: number) => s.openCasesOfKind.all(kindKey, since).map((r) => r.caseId),
    /** An open storm case of this kind that took an alert since `since`: the storm is still going on. */
    ongoingStorm: (kindKey: string, since: number) => s.ongoingStorm.get(kindKey, since)?.caseId,
    /** What a case derives from its alerts, computed in SQL (a storm case may hold very many). */
    aggregatesOf: (caseId: string) => s.aggregates.get(caseId)!,
    techniquesOf: (caseId: string) => s.techniques.all(caseId).map((r) => r.id),
    iocLinksOf: (caseId: string) => s.iocLinks.all(caseId),
    /** How many alerts the case holds, counting no further than `limit` ("is there more than one left?"). */
    linkCountUpTo: (caseId: string, limit: number) => s.linkCount.get(caseId, limit)!.n,
    /** Adds the derived observables of `fromCaseIds` to the case (analyst overrides stay with their case). */
    copyObservables: (caseId: string, fromCaseIds: readonly string[], now: number) => void s.copyObservables.run(caseId, now, JSON.stringify(fromCaseIds)),
    /** Observables of these cases an analyst overrode: the override is theirs, the merge target judges them afresh. */
    overriddenObservablesOf: (caseIds: readonly string[]) => s.overriddenObservables.all(JSON.stringify(caseIds)),
    /** Drops every observable of a case left without alerts (its overrides too: no alert holds them any more). */
    dropObservables: (caseId: string) => void s.dropObservables.run(caseId),
    appendEvent: (event: NewCaseEvent): CaseEventRecord => ({ ...event, seq: s.appendEvent.get(event)!.seq }),
    eventsOf: (caseId: string) => s.eventsOf.all(caseId),
  };
}

export type CaseStore = ReturnType<typeof createCaseStore>;

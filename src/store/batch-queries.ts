/**
 * Relations of many parents at once, for the API's per-request loaders (schema/loaders.ts): a list of 50
 * alerts costs one statement for all their IOCs instead of one per alert.
 *
 * The parent ids travel as one JSON array bound to `IN (SELECT value FROM json_each(?))`, so each query has
 * a single statement text, prepared once, whatever the batch size (an `IN (?, ?, ...)` list would need a
 * statement per size and would meet SQLite's limit on bound parameters). Every row carries its parent id as
 * `batchKey`; rows come sorted by it and then in the order the per-parent query used, so grouping keeps
 * each parent's order.
 */
import type Database from 'better-sqlite3';
import * as schema from '../../db/schema.js';
import { CASE_COLUMNS, selectList, type AlertRecord, type CaseRecord, type IocRecord } from './records.js';

const IN_IDS = 'IN (SELECT value FROM json_each(?))';

export type Keyed<T> = T & { batchKey: string };
export type AlertIocRow = IocRecord & { role: string };
export type CaseAlertRow = AlertRecord & { linkedBy: string; reason: string; addedBy: string; addedAt: number };
export type ObservableRow = IocRecord & { role: string; isIoc: boolean; overriddenBy: string | null; addedAt: number };

/** Most observables listed per case (IOCs first): a folded storm case can hold tens of thousands. */
export const MAX_OBSERVABLES = 1000;

export function createBatchQueries(sqlite: Database.Database) {
  const s = {
    iocsOfAlerts: sqlite.prepare<[string], Keyed<AlertIocRow>>(
      `SELECT ai.alert_id AS batchKey, ${selectList(schema.iocs, { alias: 'i' })}, ai.role AS role
       FROM alert_iocs ai JOIN iocs i ON i.id = ai.ioc_id WHERE ai.alert_id ${IN_IDS} ORDER BY ai.alert_id, i.type, i.value, ai.role`,
    ),
    caseOfAlerts: sqlite.prepare<[string], Keyed<CaseRecord>>(
      `SELECT ca.alert_id AS batchKey, ${selectList(schema.cases, { alias: 'c' })}
       FROM case_alerts ca JOIN cases c ON c.id = ca.case_id WHERE ca.alert_id ${IN_IDS}`,
    ),
    casesByIds: sqlite.prepare<[string], CaseRecord>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id ${IN_IDS}`),
    // `first` applies per case: number each case's links in join order and keep the first `limit` of each.
    alertsOfCases: sqlite.prepare<[string, number], Keyed<CaseAlertRow>>(
      `SELECT ca.case_id AS batchKey, ${selectList(schema.alerts, { alias: 'a' })},
         ca.linked_by AS linkedBy, ca.reason AS reason, ca.added_by AS addedBy, ca.added_at AS addedAt
       FROM (SELECT *, row_number() OVER (PARTITION BY case_id ORDER BY added_at, alert_id) AS n FROM case_alerts WHERE case_id ${IN_IDS}) ca
       JOIN alerts a ON a.id = ca.alert_id WHERE ca.n <= ? ORDER BY ca.case_id, ca.added_at, ca.alert_id`,
    ),
    observablesOfCases: sqlite.prepare<[string], Keyed<Omit<ObservableRow, 'isIoc'> & { isIoc: number }>>(
      `SELECT co.case_id AS batchKey, ${selectList(schema.iocs, { alias: 'i' })},
         co.role AS role, co.is_ioc AS isIoc, co.overridden_by AS overriddenBy, co.added_at AS addedAt
       FROM (SELECT co.*, row_number() OVER (PARTITION BY co.case_id ORDER BY co.is_ioc DESC, i.type, i.value, co.role) AS n
             FROM case_observables co JOIN iocs i ON i.id = co.ioc_id WHERE co.case_id ${IN_IDS}) co
       JOIN iocs i ON i.id = co.ioc_id WHERE co.n <= ${MAX_OBSERVABLES} ORDER BY co.case_id, co.is_ioc DESC, i.type, i.value, co.role`,
    ),
  };
  const json = (ids: readonly string[]) => JSON.stringify([...new Set(ids)]);

  return {
    /** The IOCs of each alert with their role, as `AlertQueries.iocsOf` orders them. */
    iocsOfAlerts: (alertIds: readonly string[]) => s.iocsOfAlerts.all(json(alertIds)),
    /** The case of each cased alert (uncased alerts have no row). */
    caseOfAlerts: (alertIds: readonly string[]) => s.caseOfAlerts.all(json(alertIds)),
    casesByIds: (caseIds: readonly string[]) => s.casesByIds.all(json(caseIds)),
    /** The first `limit` alerts of each case, as `CaseQueries.alertsOf` orders them. */
    alertsOfCases: (caseIds: readonly string[], limit: number) => s.alertsOfCases.all(json(caseIds), limit),
    /** The observables of each case, as `CaseQueries.observablesOf` orders them. */
    observablesOfCases: (caseIds: readonly string[]) =>
      s.observablesOfCases.all(json(caseIds)).map((o): Keyed<ObservableRow> => ({ ...o, isIoc: o.isIoc === 1 })),
  };
}

export type BatchQueries = ReturnType<typeof createBatchQueries>;

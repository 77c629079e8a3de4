/**
 * The reads behind related cases and the case graph, as a fixed set of prepared statements. Whatever the
 * size of a case or the number of hops, a graph costs four statements: the related-case walk (one
 * recursive CTE), the cases it reached, the alerts of the expanded cases, and those alerts' IOCs. Sets of
 * ids travel as one JSON array bound to `json_each`, so no statement is built per request.
 */
import type Database from 'better-sqlite3';
import * as schema from '../../db/schema.js';
import { CASE_COLUMNS, selectList, type AlertRecord, type CaseRecord, type IocRecord } from './records.js';

/** Two cases sharing one indicator, found by the walk; `holders` is how many cases hold it (at most `cap + 1`). */
export type SharedIocRow = IocRecord & { fromCase: string; fromDepth: number; toCase: string; toDepth: number; holders: number; reachRows: number };
export type GraphAlertRow = AlertRecord & { caseId: string; linkedBy: string; addedAt: number };
export type GraphIocRow = IocRecord & { alertId: string; role: string };

export interface WalkOptions {
  /** How far from the root to follow shared indicators (1 = its related cases). */
  hops: number;
  /** An indicator held by more cases than this links none of them. */
  cap: number;
  /** At most this many (case, depth) rows are reached; the walk is breadth-first, so the farthest go first. */
  maxReach: number;
}

/** How many live (not merged-away) cases hold an indicator as an IOC, counting no further than `@cap + 1`. */
const holders = (iocColumn: string) =>
  `(SELECT count(*) FROM (SELECT DISTINCT x.case_id FROM case_observables x JOIN cases xc ON xc.id = x.case_id AND xc.merged_into IS NULL
     WHERE x.ioc_id = ${iocColumn} AND x.is_ioc = 1 LIMIT @cap + 1))`;

// Depth 0 is the root; a case at depth d < hops is "expanded": its indicators are followed to depth d + 1.
// `+other.is_ioc` keeps SQLite from indexing is_ioc on the fly: the lookup must go through (ioc_id, case_id).
const WALK = `
WITH RECURSIVE
reach(case_id, depth) AS (
  SELECT @root, 0
  UNION
  SELECT other.case_id, r.depth + 1
  FROM reach r
  JOIN case_observables mine ON mine.case_id = r.case_id AND mine.is_ioc = 1
  JOIN case_observables other ON other.ioc_id = mine.ioc_id AND +other.is_ioc = 1 AND other.case_id <> r.case_id
  JOIN cases oc ON oc.id = other.case_id AND oc.merged_into IS NULL
  WHERE r.depth < @hops AND ${holders('mine.ioc_id')} <= @cap
  ORDER BY 2
  LIMIT @maxReach
),
depths AS (SELECT case_id, min(depth) AS depth FROM reach GROUP BY case_id),
shared AS (
  SELECT DISTINCT d.case_id AS from_case, d.depth AS from_depth, mine.ioc_id AS ioc_id
  FROM depths d JOIN case_observables mine ON mine.case_id = d.case_id AND mine.is_ioc = 1
  WHERE d.depth < @hops
),
weighted AS MATERIALIZED (SELECT u.ioc_id, ${holders('u.ioc_id')} AS holders FROM (SELECT DISTINCT ioc_id FROM shared) u)
SELECT DISTINCT s.from_case AS fromCase, s.from_depth AS fromDepth, t.case_id AS toCase, t.depth AS toDepth, w.holders AS holders,
  ${selectList(schema.iocs, { alias: 'i' })}, (SELECT count(*) FROM reach) AS reachRows
FROM shared s
JOIN weighted w ON w.ioc_id = s.ioc_id AND w.holders <= @cap
JOIN case_observables other ON other.ioc_id = s.ioc_id AND +other.is_ioc = 1 AND other.case_id <> s.from_case
JOIN depths t ON t.case_id = other.case_id
JOIN iocs i ON i.id = s.ioc_id
ORDER BY s.from_depth, s.from_case, t.case_id, i.type, i.value`;

export function createCaseGraphQueries(sqlite: Database.Database) {
  const s = {
    walk: sqlite.prepare<[{ root: string; hops: number; cap: number; maxReach: number }], SharedIocRow>(WALK),
    cases: sqlite.prepare<[string], CaseRecord>(`SELECT ${CASE_COLUMNS} FROM cases WHERE id IN (SELECT value FROM json_each(?))`),
    // `j.key` is the position in the given list: alerts of the root come first, then nearer cases before farther.
    alerts: sqlite.prepare<[string, number], GraphAlertRow>(
      `SELECT ${selectList(schema.alerts, { alias: 'a' })}, ca.case_id AS caseId, ca.linked_by AS linkedBy, ca.added_at AS addedAt
       FROM json_each(?) j JOIN case_alerts ca ON ca.case_id = j.value JOIN alerts a ON a.id = ca.alert_id
       ORDER BY j.key, ca.added_at, a.id LIMIT ?`,
    ),
    iocs: sqlite.prepare<[string, number], GraphIocRow>(
      `SELECT ${selectList(schema.iocs, { alias: 'i' })}, ai.alert_id AS alertId, ai.role AS role
       FROM json_each(?) j JOIN alert_iocs ai ON ai.alert_id = j.value JOIN iocs i ON i.id = ai.ioc_id
       ORDER BY j.key, i.type, i.value, ai.role LIMIT ?`,
    ),
  };

  return {
    /** Every (case, indicator, case) link from the cases within `hops - 1` of the root to the cases within `hops`. */
    walk: (root: string, options: WalkOptions) => s.walk.all({ root, ...options }),
    casesByIds: (ids: readonly string[]) => (ids.length ? s.cases.all(JSON.stringify(ids)) : []),
    /** The alerts of these cases, in the order of `caseIds`, at most `limit`. */
    alertsOfCases: (caseIds: readonly string[], limit: number) => (caseIds.length ? s.alerts.all(JSON.stringify(caseIds), limit) : []),
    /** The IOC links of these alerts, at most `limit` rows. */
    iocsOfAlerts: (alertIds: readonly string[], limit: number) => (alertIds.length ? s.iocs.all(JSON.stringify(alertIds), limit) : []),
  };
}

export type CaseGraphQueries = ReturnType<typeof createCaseGraphQueries>;

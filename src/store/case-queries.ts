/** Read side of cases for the API: filtered, ordered, keyset-paginated lists and per-case relations. */
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.js';
import { cases } from '../../db/schema.js';
import { containsPattern, type Page } from './page.js';
import { CASE_EVENT_COLUMNS, selectList, type AlertRecord, type CaseAlertRecord, type CaseEventRecord, type CaseRecord, type IocRecord } from './records.js';
import * as schema from '../../db/schema.js';
import { levelRank, levelRankSql } from '../engine/score/model.js';

export interface CaseFilter {
  statuses?: readonly string[] | null | undefined;
  severities?: readonly string[] | null | undefined;
  categories?: readonly string[] | null | undefined;
  /** An assignee's name; `null` inside `unassigned` asks for cases nobody owns. */
  assignee?: string | null | undefined;
  unassigned?: boolean | null | undefined;
  tag?: string | null | undefined;
  text?: string | null | undefined;
  createdAfter?: number | null | undefined;
  createdBefore?: number | null | undefined;
}

export const CaseOrderField = { CREATED_AT: 'CREATED_AT', LAST_ALERT_AT: 'LAST_ALERT_AT', SEVERITY: 'SEVERITY', SCORE: 'SCORE', NUMBER: 'NUMBER' } as const;
export type CaseOrderField = (typeof CaseOrderField)[keyof typeof CaseOrderField];
export interface CaseOrder {
  field: CaseOrderField;
  direction: 'ASC' | 'DESC';
}

const severityRank = sql<number>`${sql.raw(levelRankSql('severity'))}`;
const SORT_KEY: Record<CaseOrderField, { expr: SQL | typeof cases.createdAt; of: (c: CaseRecord) => number }> = {
  CREATED_AT: { expr: cases.createdAt, of: (c) => c.createdAt },
  LAST_ALERT_AT: { expr: sql`coalesce(${cases.lastAlertAt}, 0)`, of: (c) => c.lastAlertAt ?? 0 },
  SEVERITY: { expr: severityRank, of: (c) => levelRank(c.severity) },
  SCORE: { expr: cases.score, of: (c) => c.score },
  NUMBER: { expr: cases.number, of: (c) => c.number },
};

/** A cursor holds the sort key and the id, so pages stay stable under any order. */
export function caseCursor(order: CaseOrder, c: CaseRecord): string {
  return Buffer.from(JSON.stringify([SORT_KEY[order.field].of(c), c.id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // fall through to the error below
  }
  throw new RangeError(`not a case list cursor: ${cursor.slice(0, 100)}`);
}

/** Reads a stored event stream page by page from `afterSeq` to its end, so a replay misses nothing and never loads it whole. */
export function* pagedEvents(read: (afterSeq: number, limit: number) => CaseEventRecord[], afterSeq: number, pageSize = 500): Generator<CaseEventRecord> {
  let after = afterSeq;
  for (;;) {
    const page = read(after, pageSize);
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.seq;
  }
}

export function createCaseQueries(db: Db, sqlite: Database.Database) {
  const s = {
    alertsOf: sqlite.prepare<[string, number], AlertRecord & { linkedBy: string; reason: string; addedBy: string; addedAt: number }>(
      `SELECT ${selectList(schema.alerts, { alias: 'a' })}, ca.linked_by AS linkedBy, ca.reason AS reason, ca.added_by AS addedBy, ca.added_at AS addedAt
       FROM case_alerts ca JOIN alerts a ON a.id = ca.alert_id WHERE ca.case_id = ? ORDER BY ca.added_at, a.id LIMIT ?`,
    ),
    caseOfAlert: sqlite.prepare<[string], CaseAlertRecord>(
      'SELECT alert_id AS alertId, case_id AS caseId, linked_by AS linkedBy, reason, added_by AS addedBy, added_at AS addedAt FROM case_alerts WHERE alert_id = ?',
    ),
    observablesOf: sqlite.prepare<[string], IocRecord & { role: string; isIoc: number; overriddenBy: string | null; addedAt: number }>(
      `SELECT ${selectList(schema.iocs, { alias: 'i' })}, co.role AS role, co.is_ioc AS isIoc, co.overridden_by AS overriddenBy, co.added_at AS addedAt
       FROM case_observables co JOIN iocs i ON i.id = co.ioc_id WHERE co.case_id = ? ORDER BY co.is_ioc DESC, i.type, i.value, co.role`,
    ),
    eventsAfter: sqlite.prepare<[string, number, number], CaseEventRecord>(`SELECT ${CASE_EVENT_COLUMNS} FROM case_events WHERE case_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
    activityAfter: sqlite.prepare<[number, number], CaseEventRecord>(`SELECT ${CASE_EVENT_COLUMNS} FROM case_events WHERE seq > ? ORDER BY seq LIMIT ?`),
  };

  function conditions(f: CaseFilter): SQL[] {
    const c: SQL[] = [];
    if (f.statuses?.length) c.push(inArray(cases.status, [...f.statuses]));
    if (f.severities?.length) c.push(inArray(cases.severity, [...f.severities]));
    if (f.categories?.length) c.push(inArray(cases.category, [...f.categories]));
    if (f.assignee) c.push(eq(cases.assignee, f.assignee));
    if (f.unassigned) c.push(isNull(cases.assignee));
    if (f.tag) c.push(sql`EXISTS (SELECT 1 FROM json_each(${cases.tags}) WHERE value = ${f.tag})`);
    if (f.createdAfter != null) c.push(gte(cases.createdAt, f.createdAfter));
    if (f.createdBefore != null) c.push(lte(cases.createdAt, f.createdBefore));
    if (f.text) {
      const pattern = containsPattern(f.text);
      c.push(or(sql`${cases.title} LIKE ${pattern} ESCAPE '\\'`, sql`${cases.description} LIKE ${pattern} ESCAPE '\\'`)!);
    }
    return c;
  }

  /** `(key, id)` strictly after the cursor in the list's direction. */
  function after(order: CaseOrder, cursor: string, forward: boolean): SQL {
    const [key, id] = decodeCursor(cursor);
    const expr = SORT_KEY[order.field].expr;
    const descending = (order.direction === 'DESC') === forward;
    const cmp = descending ? lt : gt;
    return or(cmp(expr as never, key), and(sql`${expr} = ${key}`, cmp(cases.id, id)))!;
  }

  return {
    list(filter: CaseFilter, order: CaseOrder, page: Page): CaseRecord[] {
      const expr = SORT_KEY[order.field].expr;
      // `inverted` reads from the far end (for `last`); the connection helper reverses it back.
      const descending = (order.direction === 'DESC') !== page.inverted;
      const bounds = [page.after ? after(order, page.after, true) : undefined, page.before ? after(order, page.before, false) : undefined];
      const direction = descending ? desc : asc;
      return db
        .select()
        .from(cases)
        .where(and(...bounds, ...conditions(filter)))
        .orderBy(direction(expr as never), direction(cases.id))
        .limit(page.limit)
        .all();
    },
    /** The alerts of a case with how each came to be there, in the order they joined (at most `limit`). */
    alertsOf: (caseId: string, limit: number) => s.alertsOf.all(caseId, limit),
    caseOfAlert: (alertId: string) => s.caseOfAlert.get(alertId),
    observablesOf: (caseId: string) => s.observablesOf.all(caseId).map((o) => ({ ...o, isIoc: o.isIoc === 1 })),
    /** A case's events after `seq`, oldest first, at most `limit`. */
    eventsAfter: (caseId: string, seq: number, limit: number) => s.eventsAfter.all(caseId, seq, limit),
    /** Every case's events after `seq`, oldest first, at most `limit`. */
    activityAfter: (seq: number, limit: number) => s.activityAfter.all(seq, limit),
  };
}

export type CaseQueries = ReturnType<typeof createCaseQueries>;

/** Read side of alerts for the API: filtered, keyset-paginated lists and per-alert relations. */
import { and, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.js';
import { alerts, iocs } from '../../db/schema.js';
import { containsPattern, keyset, type Page } from './page.js';
import { EVENT_COLUMNS, selectList, type AlertRecord, type IocRecord, type PipelineEventRecord } from './records.js';

export interface AlertFilter {
  statuses?: readonly string[] | null | undefined;
  categories?: readonly string[] | null | undefined;
  sources?: readonly string[] | null | undefined;
  receivedAfter?: number | null | undefined;
  receivedBefore?: number | null | undefined;
  text?: string | null | undefined;
}

export function createAlertQueries(db: Db, sqlite: Database.Database) {
  const iocsOfAlert = sqlite.prepare<[string], IocRecord & { role: string }>(
    `SELECT ${selectList(iocs, { alias: 'i' })}, ai.role AS role
     FROM alert_iocs ai JOIN iocs i ON i.id = ai.ioc_id WHERE ai.alert_id = ? ORDER BY i.type, i.value, ai.role`,
  );
  const eventsOfAlert = sqlite.prepare<[string], PipelineEventRecord>(`SELECT ${EVENT_COLUMNS} FROM pipeline_events WHERE alert_id = ? ORDER BY seq`);

  function conditions(filter: AlertFilter): SQL[] {
    const c: SQL[] = [];
    if (filter.statuses?.length) c.push(inArray(alerts.status, [...filter.statuses]));
    if (filter.categories?.length) c.push(inArray(alerts.category, [...filter.categories]));
    if (filter.sources?.length) c.push(inArray(alerts.source, [...filter.sources]));
    if (filter.receivedAfter != null) c.push(gte(alerts.receivedAt, filter.receivedAfter));
    if (filter.receivedBefore != null) c.push(lte(alerts.receivedAt, filter.receivedBefore));
    if (filter.text) {
      const pattern = containsPattern(filter.text);
      c.push(or(sql`${alerts.message} LIKE ${pattern} ESCAPE '\\'`, sql`${alerts.payload} LIKE ${pattern} ESCAPE '\\'`)!);
    }
    return c;
  }

  return {
    list(filter: AlertFilter, page: Page): AlertRecord[] {
      const { where, orderBy } = keyset(alerts.id, page);
      return db.select().from(alerts).where(and(where, ...conditions(filter))).orderBy(orderBy).limit(page.limit).all();
    },
    iocsOf: (alertId: string) => iocsOfAlert.all(alertId),
    eventsOf: (alertId: string) => eventsOfAlert.all(alertId),
  };
}

export type AlertQueries = ReturnType<typeof createAlertQueries>;

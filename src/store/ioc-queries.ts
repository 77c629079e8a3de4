/** Read side of IOCs for the API. */
import { and, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.js';
import { alerts, iocs } from '../../db/schema.js';
import { containsPattern, keyset, type Page } from './page.js';
import { selectList, type AlertRecord, type IocRecord } from './records.js';

export interface IocFilter {
  types?: readonly string[] | null | undefined;
  /** Substring of the normalized value. */
  search?: string | null | undefined;
  seenAfter?: number | null | undefined;
  seenBefore?: number | null | undefined;
}

export function createIocQueries(db: Db, sqlite: Database.Database) {
  const qualified = selectList(alerts, { alias: 'a' });
  const alertsOf = (direction: 'ASC' | 'DESC', bound: '' | '<' | '>') =>
    sqlite.prepare<unknown[], AlertRecord & { roles: string }>(
      `SELECT ${qualified}, group_concat(ai.role) AS roles FROM alert_iocs ai JOIN alerts a ON a.id = ai.alert_id
       WHERE ai.ioc_id = ? ${bound ? `AND a.id ${bound} ?` : ''} GROUP BY a.id ORDER BY a.id ${direction} LIMIT ?`,
    );
  const statements = {
    DESC: { '': alertsOf('DESC', ''), '<': alertsOf('DESC', '<'), '>': alertsOf('DESC', '>') },
    ASC: { '': alertsOf('ASC', ''), '<': alertsOf('ASC', '<'), '>': alertsOf('ASC', '>') },
  };

  function conditions(filter: IocFilter): SQL[] {
    const c: SQL[] = [];
    if (filter.types?.length) c.push(inArray(iocs.type, [...filter.types]));
    if (filter.search) c.push(sql`${iocs.value} LIKE ${containsPattern(filter.search.toLowerCase())} ESCAPE '\\'`);
    if (filter.seenAfter != null) c.push(gte(iocs.lastSeenAt, filter.seenAfter));
    if (filter.seenBefore != null) c.push(lte(iocs.firstSeenAt, filter.seenBefore));
    return c;
  }

  return {
    list(filter: IocFilter, page: Page): IocRecord[] {
      const { where, orderBy } = keyset(iocs.id, page);
      return db.select().from(iocs).where(and(where, ...conditions(filter))).orderBy(orderBy).limit(page.limit).all();
    },
    /** Alerts holding an IOC, newest first, each with the roles the IOC plays in it. */
    alertsOf(iocId: string, page: Page): Array<{ alert: AlertRecord; roles: string[] }> {
      const direction = page.inverted ? 'ASC' : 'DESC';
      const [bound, cursor] = page.after ? (['<', page.after] as const) : page.before ? (['>', page.before] as const) : (['', undefined] as const);
      const rows = statements[direction][bound].all(...(cursor ? [iocId, cursor, page.limit] : [iocId, page.limit]));
      return rows.map(({ roles, ...alert }) => ({ alert, roles: roles.split(',') }));
    },
  };
}

export type IocQueries = ReturnType<typeof createIocQueries>;

/** IOCs and their links to alerts. Each IOC is one row per (type, normalized value). */
import type Database from 'better-sqlite3';
import { IdPrefix, newId } from '../ids.js';
import { IOC_COLUMNS, type IocRecord } from './records.js';

export interface IocLink {
  iocId: string;
  role: string;
  type: string;
  value: string;
}

export function createIocStore(sqlite: Database.Database) {
  const s = {
    upsert: sqlite.prepare<[string, string, string, string | null, number, number, number], { id: string }>(
      `INSERT INTO iocs (id, type, value, attributes, first_seen_at, last_seen_at, sightings) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (type, value) DO UPDATE SET
         last_seen_at = max(last_seen_at, excluded.last_seen_at),
         first_seen_at = min(first_seen_at, excluded.first_seen_at),
         sightings = sightings + excluded.sightings,
         attributes = coalesce(excluded.attributes, attributes)
       RETURNING id`,
    ),
    addSightings: sqlite.prepare<[number, string]>('UPDATE iocs SET sightings = max(0, sightings + ?) WHERE id = ?'),
    links: sqlite.prepare<[string], IocLink>(
      'SELECT ai.ioc_id AS iocId, ai.role AS role, i.type AS type, i.value AS value FROM alert_iocs ai JOIN iocs i ON i.id = ai.ioc_id WHERE ai.alert_id = ?',
    ),
    link: sqlite.prepare<[string, string, string, number]>('INSERT OR IGNORE INTO alert_iocs (alert_id, ioc_id, role, created_at) VALUES (?, ?, ?, ?)'),
    unlink: sqlite.prepare<[string, string, string]>('DELETE FROM alert_iocs WHERE alert_id = ? AND ioc_id = ? AND role = ?'),
    seenAgain: sqlite.prepare<[number, string]>(
      `UPDATE iocs SET sightings = sightings + 1, last_seen_at = max(last_seen_at, ?)
       WHERE id IN (SELECT DISTINCT ioc_id FROM alert_iocs WHERE alert_id = ?)`,
    ),
    ofAlert: sqlite.prepare<[string], IocRecord>(
      `SELECT ${IOC_COLUMNS} FROM iocs WHERE id IN (SELECT ioc_id FROM alert_iocs WHERE alert_id = ?) ORDER BY type, value`,
    ),
    byTypeValue: sqlite.prepare<[string, string], IocRecord>(`SELECT ${IOC_COLUMNS} FROM iocs WHERE type = ? AND value = ?`),
    byId: sqlite.prepare<[string], IocRecord>(`SELECT ${IOC_COLUMNS} FROM iocs WHERE id = ?`),
  };

  return {
    /** Inserts or updates an IOC, adding `sightings`; returns its id. */
    upsert(ioc: { type: string; value: string; attributes: string | null; seenAt: number; sightings: number }): string {
      return s.upsert.get(newId(IdPrefix.Ioc, ioc.seenAt), ioc.type, ioc.value, ioc.attributes, ioc.seenAt, ioc.seenAt, ioc.sightings)!.id;
    },
    addSightings: (iocId: string, delta: number) => void s.addSightings.run(delta, iocId),
    linksOf: (alertId: string) => s.links.all(alertId),
    link: (alertId: string, iocId: string, role: string, now: number) => void s.link.run(alertId, iocId, role, now),
    unlink: (alertId: string, iocId: string, role: string) => void s.unlink.run(alertId, iocId, role),
    /** A repeat of an alert is another sighting of every IOC it holds. */
    recordAlertSeenAgain: (alertId: string, now: number) => void s.seenAgain.run(now, alertId),
    find: (type: string, value: string) => s.byTypeValue.get(type, value),
    /** The distinct IOCs an alert holds. */
    ofAlert: (alertId: string) => s.ofAlert.all(alertId),
    get: (id: string) => s.byId.get(id),
  };
}

export type IocStore = ReturnType<typeof createIocStore>;

/**
 * Per-request loaders: the resolvers of list items ask for their relations here, and DataLoader gathers
 * the asks made in one tick (every alert of a page asking for its IOCs) into one batch query
 * (src/store/batch-queries.ts).
 *
 * A fresh set is made with every GraphQL context (one per HTTP request, one per graphql-ws operation), so
 * nothing is shared between requests or users. They batch but do not cache: a subscription keeps one
 * context for every event it delivers, and a request with several mutations reads again after each one,
 * so a cache would serve rows as they were at the first read. A key asked for twice in one batch still
 * costs nothing more (the batch query reads each id once).
 */
import DataLoader from 'dataloader';
import type { AlertIocRow, BatchQueries, CaseAlertRow, Keyed, ObservableRow } from '../src/store/batch-queries.js';
import type { CaseRecord } from '../src/store/records.js';

/**
 * Rows sorted by `batchKey` into one list per key, in the keys' order (DataLoader's contract). Rows keep
 * their `batchKey` (no field exposes it): copying 200 alert rows to drop it cost about 2 ms a request in
 * bench/case-graph.ts, as much as the query itself.
 */
function grouped<T>(keys: readonly string[], rows: Keyed<T>[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.batchKey);
    if (group) group.push(row);
    else groups.set(row.batchKey, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

/** At most one row per key, or null. */
function single<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): Array<T | null> {
  const byKey = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => byKey.get(key) ?? null);
}

const loader = <V>(load: (keys: readonly string[]) => V[]) => new DataLoader<string, V>(async (keys) => load(keys), { cache: false });

export function createLoaders(queries: BatchQueries) {
  // `Case.alerts(first:)` may be asked with different limits in one request (aliases): one loader per limit.
  const alertsOfCaseByLimit = new Map<number, DataLoader<string, CaseAlertRow[]>>();
  return {
    iocsOfAlert: loader<AlertIocRow[]>((ids) => grouped(ids, queries.iocsOfAlerts(ids))),
    caseOfAlert: loader<CaseRecord | null>((ids) =>
      grouped(ids, queries.caseOfAlerts(ids)).map((found) => found[0] ?? null),
    ),
    caseById: loader<CaseRecord | null>((ids) => single(ids, queries.casesByIds(ids), (c) => c.id)),
    alertsOfCase(limit: number): DataLoader<string, CaseAlertRow[]> {
      let byLimit = alertsOfCaseByLimit.get(limit);
      if (!byLimit) {
        byLimit = loader((ids) => grouped(ids, queries.alertsOfCases(ids, limit)));
        alertsOfCaseByLimit.set(limit, byLimit);
      }
      return byLimit;
    },
    observablesOfCase: loader<ObservableRow[]>((ids) => grouped(ids, queries.observablesOfCases(ids))),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

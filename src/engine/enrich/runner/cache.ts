/**
 * The `enrichments` table through prepared statements: one row per (provider, IOC), the latest answer
 * worth keeping, with the time it stops being fresh.
 */
import type Database from 'better-sqlite3';
import type { IocType } from '../../types.js';
import type { EnrichmentResult, EnrichmentStatus, Verdict } from '../types.js';

interface Row {
  provider: string;
  iocType: string;
  iocValue: string;
  status: string;
  verdict: string;
  reasons: string;
  data: string;
  error: string | null;
  fetchedAt: number;
  expiresAt: number;
}

export interface CachedEnrichment {
  result: EnrichmentResult;
  fetchedAt: number;
  expiresAt: number;
}

export interface RetryEntry {
  provider: string;
  type: IocType;
  value: string;
}

const COLUMNS = `provider, ioc_type AS iocType, ioc_value AS iocValue, status, verdict, reasons, data, error,
  fetched_at AS fetchedAt, expires_at AS expiresAt`;

/** Statuses that are a non-answer worth asking again; SKIPPED rows are only stored for an open circuit. */
const RETRYABLE = `('RATE_LIMITED', 'ERROR', 'TIMEOUT', 'SKIPPED')`;

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toCached(row: Row): CachedEnrichment {
  const result: EnrichmentResult = {
    provider: row.provider,
    status: row.status as EnrichmentStatus,
    verdict: row.verdict as Verdict,
    reasons: parseJson<string[]>(row.reasons, []),
    data: parseJson<Record<string, unknown>>(row.data, {}),
  };
  if (row.error !== null) result.error = row.error;
  // A rate-limited row is kept exactly until the provider may be asked again.
  if (row.status === 'RATE_LIMITED') result.retryAt = row.expiresAt;
  return { result, fetchedAt: row.fetchedAt, expiresAt: row.expiresAt };
}

export function createEnrichmentCache(sqlite: Database.Database) {
  const s = {
    one: sqlite.prepare<[string, string, string], Row>(`SELECT ${COLUMNS} FROM enrichments WHERE provider = ? AND ioc_type = ? AND ioc_value = ?`),
    forIoc: sqlite.prepare<[string, string], Row>(`SELECT ${COLUMNS} FROM enrichments WHERE ioc_type = ? AND ioc_value = ? ORDER BY provider`),
    // A non-answer never replaces a stale real answer: an old verdict is worth more to the analyst
    // than "timed out", and the stale row is refreshed at the IOC's next lookup anyway.
    upsert: sqlite.prepare(
      `INSERT INTO enrichments (provider, ioc_type, ioc_value, status, verdict, reasons, data, error, fetched_at, expires_at)
       VALUES (@provider, @iocType, @iocValue, @status, @verdict, @reasons, @data, @error, @fetchedAt, @expiresAt)
       ON CONFLICT (provider, ioc_type, ioc_value) DO UPDATE SET
         status = excluded.status, verdict = excluded.verdict, reasons = excluded.reasons, data = excluded.data,
         error = excluded.error, fetched_at = excluded.fetched_at, expires_at = excluded.expires_at
       WHERE excluded.status IN ('OK', 'NO_DATA') OR enrichments.status NOT IN ('OK', 'NO_DATA')`,
    ),
    due: sqlite.prepare<[number, number], { provider: string; type: string; value: string }>(
      `SELECT provider, ioc_type AS type, ioc_value AS value FROM enrichments
       WHERE status IN ${RETRYABLE} AND expires_at <= ? ORDER BY expires_at, id LIMIT ?`,
    ),
  };

  return {
    get(provider: string, type: IocType, value: string): CachedEnrichment | undefined {
      const row = s.one.get(provider, type, value);
      return row ? toCached(row) : undefined;
    },
    forIoc(type: IocType, value: string): CachedEnrichment[] {
      return s.forIoc.all(type, value).map(toCached);
    },
    put(type: IocType, value: string, result: EnrichmentResult, fetchedAt: number, expiresAt: number): void {
      s.upsert.run({
        provider: result.provider,
        iocType: type,
        iocValue: value,
        status: result.status,
        verdict: result.verdict,
        reasons: JSON.stringify(result.reasons),
        data: JSON.stringify(result.data),
        error: result.error ?? null,
        fetchedAt,
        expiresAt,
      });
    },
    due(now: number, limit: number): RetryEntry[] {
      return s.due.all(now, limit).map((r) => ({ provider: r.provider, type: r.type as IocType, value: r.value }));
    },
  };
}

export type EnrichmentCache = ReturnType<typeof createEnrichmentCache>;

/**
 * Opens the SQLite database with the pragmas Vigil relies on and wraps it in drizzle.
 * Hot paths use `sqlite` prepared statements directly (drizzle's builder costs 10-20x per call).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { relations } from './relations.js';

export type Synchronous = 'OFF' | 'NORMAL' | 'FULL';

export interface DatabaseOptions {
  /** A file path, or ':memory:' for tests. */
  path: string;
  /**
   * WAL with NORMAL survives a killed process (every acknowledged commit is in the WAL); FULL also
   * survives power loss at the cost of an fsync per commit.
   */
  synchronous?: Synchronous;
  /** Called with every SQL statement executed (better-sqlite3's `verbose`): tests count statements with it. */
  verbose?: (sql: string) => void;
}

export type Db = BetterSQLite3Database<typeof relations>;

export interface DatabaseHandle {
  sqlite: Database.Database;
  db: Db;
  close(): void;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  const inMemory = options.path === ':memory:';
  if (!inMemory) mkdirSync(dirname(options.path), { recursive: true });
  const sqlite = new Database(options.path, options.verbose ? { verbose: (message) => options.verbose!(String(message)) } : {});
  if (!inMemory) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle({ client: sqlite, relations });
  return {
    sqlite,
    db,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}

/** Applies drizzle-kit's generated migrations; run at every start-up, a no-op when up to date. */
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Db } from './client.js';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export function runMigrations(db: Db): void {
  const failure = migrate(db, { migrationsFolder });
  if (failure) throw new Error(`database migration failed: ${JSON.stringify(failure)}`);
}

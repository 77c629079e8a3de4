/** Playbook versions by content hash: every text ever loaded, so a run can always name (and re-read) what it ran. */
import type Database from 'better-sqlite3';
import { selectList, type PlaybookVersionRecord } from './records.js';
import { playbookVersions } from '../../db/schema.js';

const COLUMNS = selectList(playbookVersions);

export function createPlaybookStore(sqlite: Database.Database) {
  const s = {
    insert: sqlite.prepare<[PlaybookVersionRecord]>(
      'INSERT OR IGNORE INTO playbook_versions (hash, name, origin, source, loaded_at) VALUES (@hash, @name, @origin, @source, @loadedAt)',
    ),
    byHash: sqlite.prepare<[string], PlaybookVersionRecord>(`SELECT ${COLUMNS} FROM playbook_versions WHERE hash = ?`),
    ofName: sqlite.prepare<[string], PlaybookVersionRecord>(`SELECT ${COLUMNS} FROM playbook_versions WHERE name = ? ORDER BY loaded_at DESC, hash`),
  };
  return {
    /** Stores a version unless the same text was stored before (its first load time stays). */
    record: (version: PlaybookVersionRecord) => void s.insert.run(version),
    get: (hash: string) => s.byHash.get(hash),
    /** Every version of a playbook, newest first. */
    versionsOf: (name: string) => s.ofName.all(name),
  };
}

export type PlaybookStore = ReturnType<typeof createPlaybookStore>;

/** Keyset pagination over text ids that sort by creation time (ULIDs): newest first. */
import { and, asc, desc, gt, lt, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** What Pothos' resolveCursorConnection asks for; cursors are ids. */
export interface Page {
  before?: string | undefined;
  after?: string | undefined;
  limit: number;
  inverted: boolean;
}

/** The id condition and order for a page, newest first (`inverted` reads oldest first, for `last`). */
export function keyset(id: SQLiteColumn, page: Page): { where: SQL | undefined; orderBy: SQL } {
  const bounds = [page.after ? lt(id, page.after) : undefined, page.before ? gt(id, page.before) : undefined];
  return { where: and(...bounds), orderBy: page.inverted ? asc(id) : desc(id) };
}

/** `column LIKE %text%` with LIKE's wildcards in `text` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

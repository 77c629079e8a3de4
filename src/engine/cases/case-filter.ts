/**
 * The case filter as a predicate, for live subscriptions: the same conditions `cases(filter)` applies in SQL,
 * checked against the case as it is when the event is delivered.
 */
import type { CaseFilter } from '../../store/case-queries.js';
import type { CaseRecord } from '../../store/records.js';

export function matchesCaseFilter(c: CaseRecord, f: CaseFilter): boolean {
  const within = (list: readonly string[] | null | undefined, value: string | null) => !list?.length || (value !== null && list.includes(value));
  if (!within(f.statuses, c.status) || !within(f.severities, c.severity) || !within(f.categories, c.category)) return false;
  if (f.assignee && c.assignee !== f.assignee) return false;
  if (f.unassigned && c.assignee !== null) return false;
  if (f.tag && !(JSON.parse(c.tags) as string[]).includes(f.tag)) return false;
  if (f.createdAfter != null && c.createdAt < f.createdAfter) return false;
  if (f.createdBefore != null && c.createdAt > f.createdBefore) return false;
  if (f.text) {
    // SQLite's LIKE folds ASCII case only; so does this.
    const fold = (s: string) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
    const needle = fold(f.text);
    if (!fold(c.title).includes(needle) && !fold(c.description).includes(needle)) return false;
  }
  return true;
}

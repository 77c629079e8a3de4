/** Small helpers shared by the detectors when they build a hit. */
import type { ObservationRow } from './store.js';

/** Alert ids oldest first, this alert last, each once; `rows` come newest first. */
export function relatedIds(rows: readonly ObservationRow[], alertId: string): string[] {
  const ids = new Set<string>();
  for (let i = rows.length - 1; i >= 0; i--) {
    const id = rows[i]!.alertId;
    if (id !== alertId) ids.add(id);
  }
  return [...ids, alertId];
}

/** Seconds for people, rounded to 0.1 s. */
export const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** Time covered by rows that come newest first. */
export const spanMs = (rows: readonly ObservationRow[]) => (rows.length > 1 ? rows[0]!.at - rows[rows.length - 1]!.at : 0);

export const distinctValues = (rows: readonly ObservationRow[]) => new Set(rows.map((r) => r.value).filter((v): v is string => v !== null)).size;

/** "10" or "1000+" when the count reached its cap. */
export const countText = (count: number, cap: number) => (count >= cap ? `${cap}+` : String(count));

import type { IocStore } from '../../../store/ioc-store.js';
import type { AlertRecord } from '../../../store/records.js';
import { extractIocs } from '../../extract/index.js';
import type { ExtractedIoc, NormalizedEvent } from '../../types.js';
import type { StageHandler } from '../stage-handler.js';
import { PipelineStage } from '../stages.js';

/** How many IOCs a stage event lists; the full set is on the alert. */
const LISTED_IN_EVENT = 20;

export function createExtractStage(deps: { iocs: IocStore }): StageHandler {
  return {
    stage: PipelineStage.EXTRACT,
    run({ alert, now }) {
      if (alert.normalized === null) throw new Error('alert has no normalized event');
      const found = extractIocs(JSON.parse(alert.normalized) as NormalizedEvent);
      const byType: Record<string, number> = {};
      for (const ioc of found) byType[ioc.type] = (byType[ioc.type] ?? 0) + 1;
      const counts = Object.entries(byType).map(([type, n]) => `${n} ${type}`).join(', ');
      return {
        summary: found.length === 0 ? 'found no IOCs' : `found ${found.length} IOC${found.length === 1 ? '' : 's'}: ${counts}`,
        detail: { count: found.length, byType, iocs: found.slice(0, LISTED_IN_EVENT).map(({ type, value, role }) => ({ type, value, role })) },
        commit: () => linkIocs(deps.iocs, alert, found, now),
      };
    },
  };
}

/**
 * Replaces the alert's IOC links with `found`. Sightings count alert occurrences, so an IOC newly linked
 * gains the alert's occurrence count and one no longer linked loses it: re-running the stage is idempotent.
 */
function linkIocs(iocs: IocStore, alert: AlertRecord, found: readonly ExtractedIoc[], now: number): void {
  const key = (type: string, value: string) => `${type}\n${value}`;
  const before = iocs.linksOf(alert.id);
  const linkedBefore = new Set(before.map((l) => key(l.type, l.value)));
  const linkedNow = new Set<string>();
  const keptLinks = new Set<string>();
  for (const ioc of found) {
    const k = key(ioc.type, ioc.value);
    const newlyLinked = !linkedBefore.has(k) && !linkedNow.has(k);
    linkedNow.add(k);
    const attributes = ioc.ip ? JSON.stringify(ioc.ip) : null;
    const iocId = iocs.upsert({ type: ioc.type, value: ioc.value, attributes, seenAt: alert.lastSeenAt, sightings: newlyLinked ? alert.occurrenceCount : 0 });
    keptLinks.add(key(iocId, ioc.role));
    iocs.link(alert.id, iocId, ioc.role, now);
  }
  for (const link of before) {
    if (!keptLinks.has(key(link.iocId, link.role))) iocs.unlink(alert.id, link.iocId, link.role);
  }
  const dropped = new Set(before.filter((l) => !linkedNow.has(key(l.type, l.value))).map((l) => l.iocId));
  for (const iocId of dropped) iocs.addSightings(iocId, -alert.occurrenceCount);
}

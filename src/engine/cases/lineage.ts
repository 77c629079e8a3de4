/**
 * Merge, split and move: the analyst operations that take alerts from one case to another. Each runs in one
 * synchronous transaction, writes cases through the case writer (versions, recomputation) and the journal
 * (audit, events), and leaves a case_operations row (with case_operation_alerts and case_operation_cases)
 * holding exactly what `undo` needs. Alerts move set-based: a merge of a 100,000-alert storm case runs about
 * as many statements as one of a 2-alert case.
 */
import type { Clock } from '../../clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { IdPrefix, newId } from '../../ids.js';
import type { AlertStore } from '../../store/alert-store.js';
import type { CaseOperationRole, CaseOperationStore } from '../../store/case-operation-store.js';
import type { CaseOperationRecord, CaseRecord } from '../../store/records.js';
import { absorb, derivedLevels, emptied } from './lineage-aggregates.js';
import { afterState, assertVersion, auditState, label, recordStatus, rewrite, snapshot, storms, type LineageDeps, type OperationDetail } from './lineage-detail.js';
import { createUndo } from './lineage-undo.js';
import { CaseEventKind, CaseOperationKind, CaseStatus, isClosedStatus, LinkedBy, Resolution } from './model.js';

export const MAX_MERGE_SOURCES = 20;
export const MAX_SPLIT_ALERTS = 500;
const MAX_TITLE = 200;

export interface CaseLineageDeps extends LineageDeps {
  alerts: AlertStore;
  operations: CaseOperationStore;
  clock: Clock;
}

const TLP_RANK = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'];
const PAP_RANK = ['CLEAR', 'GREEN', 'AMBER', 'RED'];
/** Alerts carry their case's sharing limits with them: the receiving case takes the strictest. */
const strictest = (rank: string[], values: string[]) => values.reduce((a, b) => (rank.indexOf(b) > rank.indexOf(a) ? b : a));
const firstDuplicate = (ids: readonly string[]) => ids.find((id, i) => ids.indexOf(id) !== i);

export function createCaseLineage(deps: CaseLineageDeps) {
  const { cases, writer, journal, operations, clock } = deps;
  const undo = createUndo(deps);

  /** `doing` reads "merging cases into" or "moving alerts into". */
  function refuseIntoClosed(target: CaseRecord, doing: string): void {
    if (target.mergedInto) throw new ConflictError(`case #${target.number} was merged into ${label(cases, target.mergedInto)}: use that case instead`);
    if (isClosedStatus(target.status)) throw new ConflictError(`case #${target.number} is ${target.status}: reopen it before ${doing} it`);
  }

  /** The operation row goes in first: its moved alerts and cases reference it. */
  function begin(kind: CaseOperationKind, actor: string, targetCaseId: string, now: number, involved: ReadonlyArray<[string, CaseOperationRole]>): CaseOperationRecord {
    const row: CaseOperationRecord = { id: newId(IdPrefix.CaseOperation, now), kind, actor, targetCaseId, detail: '{}', movedAlertCount: 0, createdAt: now, undoneAt: null, undoneBy: null };
    operations.insert(row);
    operations.addCases(row.id, involved);
    return row;
  }

  function finish(row: CaseOperationRecord, before: CaseRecord[], changed: CaseRecord[], addedTags: string[], movedAlertCount: number): CaseOperationRecord {
    const detail: OperationDetail = { before: Object.fromEntries(before.map((c) => [c.id, snapshot(c)])), after: Object.fromEntries(changed.map((c) => [c.id, afterState(c)])), addedTags };
    const done = { ...row, detail: JSON.stringify(detail), movedAlertCount };
    operations.finish(row.id, done.detail, movedAlertCount);
    return done;
  }

  return {
    /** Moves every alert of each source into the target; the sources are CLOSED as DUPLICATE and point at it. */
    merge(targetCaseId: string, sourceCaseIds: readonly string[], actor: string, expectedVersions: Record<string, number> = {}) {
      if (sourceCaseIds.length === 0) throw new ValidationError('EMPTY', 'sourceIds', 'give at least one case to merge into the target');
      if (sourceCaseIds.length > MAX_MERGE_SOURCES) throw new ValidationError('BATCH_TOO_LARGE', 'sourceIds', `at most ${MAX_MERGE_SOURCES} cases can be merged at once; you gave ${sourceCaseIds.length}`);
      const twice = firstDuplicate(sourceCaseIds);
      if (twice) throw new ValidationError('INVALID_VALUE', 'sourceIds', `case ${twice} is listed twice`);
      if (sourceCaseIds.includes(targetCaseId)) throw new ValidationError('INVALID_VALUE', 'sourceIds', `a case cannot be merged into itself (${targetCaseId} is both the target and a source)`);
      const stray = Object.keys(expectedVersions).find((id) => id !== targetCaseId && !sourceCaseIds.includes(id));
      if (stray) throw new ValidationError('INVALID_VALUE', 'expectedVersions', `case ${stray} is not part of this merge`);

      return cases.transaction(() => {
        const target = writer.mustGet(targetCaseId);
        const sources = sourceCaseIds.map((id) => writer.mustGet(id));
        refuseIntoClosed(target, 'merging cases into');
        for (const s of sources) if (s.mergedInto) throw new ConflictError(`case #${s.number} was already merged into ${label(cases, s.mergedInto)}`);
        for (const c of [target, ...sources]) assertVersion(c, expectedVersions[c.id]);

        const now = clock();
        const levels = derivedLevels(deps, target, sources);
        const row = begin(CaseOperationKind.MERGE, actor, target.id, now, [[target.id, 'TARGET'], ...sources.map((s): [string, CaseOperationRole] => [s.id, 'SOURCE'])]);
        const movedFrom = new Map<string, number>();
        for (const source of sources) {
          movedFrom.set(source.id, operations.recordCase(row.id, source.id));
          operations.relinkCase(source.id, { caseId: target.id, linkedBy: LinkedBy.MERGE, reason: `merged from case #${source.number}`, addedBy: actor, addedAt: now });
        }
        const movedCount = [...movedFrom.values()].reduce((a, b) => a + b, 0);
        const targetTags = JSON.parse(target.tags) as string[];
        const addedTags = [...new Set(sources.flatMap((s) => JSON.parse(s.tags) as string[]))].filter((t) => !targetTags.includes(t));
        const all = [target, ...sources];
        // The sources' aggregates add up into the target (before they are emptied): no scan of the alerts.
        const gained = absorb(deps, target, sources, levels, movedCount, now);
        const merged = writer.change(target.id, undefined, () => ({
          ...gained,
          tags: JSON.stringify([...targetTags, ...addedTags]),
          tlp: strictest(TLP_RANK, all.map((c) => c.tlp)),
          pap: strictest(PAP_RANK, all.map((c) => c.pap)),
        })).after;
        const closed = sources.map(
          (source) => writer.change(source.id, undefined, (c) => ({ ...emptied(deps, c), status: CaseStatus.CLOSED, resolution: Resolution.DUPLICATE, mergedInto: target.id })).after,
        );
        const operation = finish(row, all, [merged, ...closed], addedTags, movedCount);
        const numbers = sources.map((s) => `#${s.number}`).join(', ');
        journal.record({
          caseId: target.id,
          kind: CaseEventKind.MERGED,
          actor,
          summary: `case${sources.length > 1 ? 's' : ''} ${numbers} merged into #${target.number} (${movedCount} alerts moved, ${merged.alertCount} now)`,
          detail: { operationId: operation.id, sourceCaseIds: [...sourceCaseIds], movedAlerts: movedCount },
          audit: { action: 'case.merge', before: auditState(target), after: { ...auditState(merged), operationId: operation.id, sourceCaseIds: [...sourceCaseIds] } },
        });
        sources.forEach((source, i) => {
          const after = closed[i]!;
          journal.record({
            caseId: source.id,
            kind: CaseEventKind.MERGED,
            actor,
            summary: `case #${source.number} merged into #${target.number} (${source.alertCount} alerts moved)`,
            detail: { operationId: operation.id, targetCaseId: target.id, movedAlerts: movedFrom.get(source.id) ?? 0 },
            audit: { action: 'case.merge', before: auditState(source), after: { ...auditState(after), operationId: operation.id } },
          });
          recordStatus(deps, actor, source, after, `merged into #${target.number}`);
        });
        return { operation, target: merged, sources: closed };
      });
    },

    /** Detaches alerts into a new case opened from the first of them; the rest follow it. */
    split(sourceCaseId: string, alertIds: readonly string[], actor: string, opts: { title?: string | null; expectedVersion?: number | null } = {}) {
      if (alertIds.length === 0) throw new ValidationError('EMPTY', 'alertIds', 'give at least one alert to detach');
      if (alertIds.length > MAX_SPLIT_ALERTS) throw new ValidationError('BATCH_TOO_LARGE', 'alertIds', `at most ${MAX_SPLIT_ALERTS} alerts can be detached at once; you gave ${alertIds.length}`);
      const twice = firstDuplicate(alertIds);
      if (twice) throw new ValidationError('INVALID_VALUE', 'alertIds', `alert ${twice} is listed twice`);
      const title = opts.title?.trim();
      if (opts.title != null && !title) throw new ValidationError('EMPTY', 'title', 'the title of the new case is empty');
      if (title && title.length > MAX_TITLE) throw new ValidationError('TOO_LARGE', 'title', `the title is ${title.length} characters; at most ${MAX_TITLE}`);

      return cases.transaction(() => {
        const source = writer.mustGet(sourceCaseId);
        if (source.mergedInto) throw new ConflictError(`case #${source.number} was merged into ${label(cases, source.mergedInto)}; its alerts are there now`);
        const stray = operations.firstNotIn(alertIds, source.id);
        if (stray) throw new ValidationError('INVALID_VALUE', 'alertIds', `alert ${stray} is not in case #${source.number}`);
        if (alertIds.length >= cases.linkCountUpTo(source.id, alertIds.length + 1)) {
          throw new ValidationError('INVALID_VALUE', 'alertIds', `those are all the alerts of case #${source.number}: nothing would remain; leave some, or change the case itself`);
        }
        assertVersion(source, opts.expectedVersion ?? undefined);

        const now = clock();
        const reason = `split from case #${source.number}`;
        const first = deps.alerts.getAlert(alertIds[0]!);
        if (!first) throw new NotFoundError('alert', alertIds[0]!);
        const firstLink = cases.linkOf(first.id)!;
        // Not the source's kind key: a case an analyst carved out should not start collecting storm alerts.
        const opened = writer.open(first, { actor, kindKey: null, reason, linkedBy: LinkedBy.SPLIT });
        const row = begin(CaseOperationKind.SPLIT, actor, opened.id, now, [[opened.id, 'CREATED'], [source.id, 'SOURCE']]);
        // The first alert was relinked by `open`: its old link was read before.
        const { linkedBy, reason: firstReason, addedBy, addedAt } = firstLink;
        operations.recordOne(row.id, { alertId: first.id, fromCaseId: source.id, linkedBy, reason: firstReason, addedBy, addedAt });
        const rest = alertIds.slice(1);
        if (rest.length) {
          operations.recordAlerts(row.id, rest);
          operations.relinkAlerts(rest, { caseId: opened.id, linkedBy: LinkedBy.SPLIT, reason, addedBy: actor, addedAt: now });
        }
        const counts = operations.movedCounts(row.id);

        const created = rewrite(deps, opened.id, (c) => ({ title: title ?? c.title, tlp: source.tlp, pap: source.pap, tags: source.tags }));
        const remaining = rewrite(deps, source.id, (c) => ({ foldedCount: Math.max(0, Math.min(source.foldedCount - storms(counts, source.id), c.alertCount)) }));
        const operation = finish(row, [source], [created, remaining], [], alertIds.length);
        const detail = { operationId: operation.id, sourceCaseId: source.id, createdCaseId: created.id, alertIds: [...alertIds] };
        journal.record({
          caseId: source.id,
          kind: CaseEventKind.SPLIT,
          actor,
          summary: `${alertIds.length} alerts of case #${source.number} detached into new case #${created.number} (${remaining.alertCount} remain)`,
          detail,
          audit: { action: 'case.split', before: auditState(source), after: { ...auditState(remaining), ...detail } },
        });
        journal.record({
          caseId: created.id,
          kind: CaseEventKind.SPLIT,
          actor,
          summary: `case #${created.number} split from case #${source.number} with ${alertIds.length} alerts`,
          detail,
          audit: { action: 'case.split', before: null, after: { ...auditState(created), title: created.title, ...detail } },
        });
        return { operation, source: remaining, created };
      });
    },

    /** Moves one alert from its case to another open case. */
    /** `expectedVersion`, when given, is the destination case's version as the caller read it. */
    move(alertId: string, toCaseId: string, actor: string, expectedVersion?: number) {
      return cases.transaction(() => {
        if (!deps.alerts.getAlert(alertId)) throw new NotFoundError('alert', alertId);
        const link = cases.linkOf(alertId);
        if (!link) throw new ValidationError('INVALID_VALUE', 'alertId', `alert ${alertId} is not in a case; only an alert in a case can be moved`);
        const from = writer.mustGet(link.caseId);
        const to = writer.mustGet(toCaseId);
        if (from.id === to.id) throw new ValidationError('INVALID_VALUE', 'toCaseId', `alert ${alertId} is already in case #${to.number}`);
        refuseIntoClosed(to, 'moving alerts into');
        assertVersion(to, expectedVersion);
        if (cases.linkCountUpTo(from.id, 2) <= 1) {
          throw new ValidationError('INVALID_VALUE', 'alertId', `alert ${alertId} is the only alert of case #${from.number}; merge that case into #${to.number} instead`);
        }

        const now = clock();
        const row = begin(CaseOperationKind.MOVE, actor, to.id, now, [[to.id, 'TARGET'], [from.id, 'SOURCE']]);
        operations.recordAlerts(row.id, [alertId]);
        operations.relinkAlerts([alertId], { caseId: to.id, linkedBy: LinkedBy.MOVE, reason: `moved from case #${from.number}`, addedBy: actor, addedAt: now });
        const folded = link.linkedBy === LinkedBy.STORM ? 1 : 0;
        const left = rewrite(deps, from.id, (c) => ({ foldedCount: Math.max(0, Math.min(from.foldedCount - folded, c.alertCount)) }));
        const joined = rewrite(deps, to.id, () => ({ tlp: strictest(TLP_RANK, [to.tlp, from.tlp]), pap: strictest(PAP_RANK, [to.pap, from.pap]) }));
        const operation = finish(row, [to, from], [joined, left], [], 1);
        const detail = { operationId: operation.id, alertId, fromCaseId: from.id, toCaseId: to.id };
        journal.record({
          caseId: from.id,
          kind: CaseEventKind.ALERT_REMOVED,
          actor,
          summary: `alert ${alertId} moved from case #${from.number} to #${to.number} (${left.alertCount} remain)`,
          detail,
          audit: { action: 'case.move', before: { ...auditState(from), caseId: from.id }, after: { ...auditState(left), ...detail } },
        });
        journal.record({
          caseId: to.id,
          kind: CaseEventKind.ALERT_ADDED,
          actor,
          summary: `alert ${alertId} moved to case #${to.number} from #${from.number} (${joined.alertCount} alerts)`,
          detail,
          audit: { action: 'case.move', before: auditState(to), after: { ...auditState(joined), ...detail } },
        });
        return { operation, from: left, to: joined };
      });
    },

    undo,

    /** One operation, for the API. */
    get: (operationId: string) => operations.get(operationId),
    /** The cases it involved with their role (SOURCE, TARGET or CREATED), target or created case first. */
    casesOf: (operationId: string) => operations.casesOf(operationId),
    /** The alerts it moved with the case and link each had before, by alert id after `afterAlertId`. */
    movedAlertsOf: (operationId: string, afterAlertId: string | null, limit: number) => operations.movedAlerts(operationId, afterAlertId, limit),
    /** Operations that touched the case, newest first: its lineage. */
    operationsOf: (caseId: string, limit: number) => operations.listByCase(caseId, limit),
    /** Cases merged into this one. */
    mergedCasesOf: (caseId: string, limit: number) => operations.mergedInto(caseId, limit),
  };
}

export type CaseLineage = ReturnType<typeof createCaseLineage>;

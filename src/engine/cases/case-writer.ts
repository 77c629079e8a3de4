/**
 * The writes every case operation is made of: open a case from an alert, add an alert to one, change a case
 * under optimistic concurrency, and recompute what a case derives from its alerts after alerts leave it.
 * Synchronous: callers run these inside their transaction.
 */
import type { Clock } from '../../clock.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { IdPrefix, newId } from '../../ids.js';
import type { AlertStore } from '../../store/alert-store.js';
import type { CaseStore, CaseUpdate } from '../../store/case-store.js';
import type { IocStore } from '../../store/ioc-store.js';
import type { AlertRecord, CaseRecord } from '../../store/records.js';
import type { Classification } from '../classify/classification.js';
import type { EnrichmentResult, EnrichmentTarget } from '../enrich/types.js';
import { indicatorJudge, type IndicatorJudge } from '../correlate/significance.js';
import type { CaseJournal } from './journal.js';
import { CaseEventKind, CaseStatus, maxLevel, Pap, Tlp, type LinkedBy } from './model.js';
import { RISK_LEVELS } from '../score/model.js';

export interface CaseWriterDeps {
  cases: CaseStore;
  alerts: AlertStore;
  iocs: IocStore;
  enrichment: { cached(target: Pick<EnrichmentTarget, 'type' | 'value'>): EnrichmentResult[] };
  journal: CaseJournal;
  clock: Clock;
}

const classificationOf = (alert: AlertRecord): Classification | null => (alert.classification ? (JSON.parse(alert.classification) as Classification) : null);
const eventTimeOf = (alert: AlertRecord): number => alert.eventTime ?? alert.receivedAt;
const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])].sort();

/** "Brute Force on web-01 from 185.22.13.9": what happened, where, and from where. */
export function caseTitle(alert: AlertRecord, links: ReadonlyArray<{ role: string; value: string }>): string {
  const label = classificationOf(alert)?.label ?? 'Alert';
  const host = links.find((l) => l.role === 'HOST')?.value;
  const source = links.find((l) => l.role === 'SOURCE')?.value;
  return `${label}${host ? ` on ${host}` : ''}${source ? ` from ${source}` : ''}`;
}

export function createCaseWriter(deps: CaseWriterDeps) {
  const { cases, journal, clock } = deps;

  function mustGet(caseId: string): CaseRecord {
    const found = cases.get(caseId);
    if (!found) throw new NotFoundError('case', caseId);
    return found;
  }

  /** Adds observables (kept where the case has them), judging each IOC once: indicator or context. */
  function addObservables(caseId: string, links: ReadonlyArray<{ iocId: string; role: string }>, now: number, judge: IndicatorJudge = indicatorJudge(deps)): void {
    for (const link of links) cases.addObservable(caseId, link.iocId, link.role, judge(link.iocId)?.isIoc ?? false, now);
  }


  /** Writes `next` if the case is still at `expectedVersion` (or at what was read, when none was given). */
  function write(current: CaseRecord, next: CaseUpdate, expectedVersion: number | undefined): CaseRecord {
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw stale(current, expectedVersion);
    if (!cases.update({ ...next, version: current.version })) throw stale(mustGet(current.id), current.version);
    return mustGet(current.id);
  }

  function stale(current: CaseRecord, sent: number): ConflictError {
    return new ConflictError(`case #${current.number} was changed by someone else: you sent version ${sent}, it is now at version ${current.version}; reload it and apply your change again`, current.version);
  }

  return {
    mustGet,
    addObservables,

    /** Opens a case around an alert and links the alert to it. */
    open(alert: AlertRecord, opts: { actor: string; kindKey: string | null; reason: string; linkedBy: LinkedBy; judge?: IndicatorJudge }): CaseRecord {
      const now = clock();
      const classification = classificationOf(alert);
      const links = deps.iocs.linksOf(alert.id);
      const at = eventTimeOf(alert);
      const row: CaseRecord = {
        id: newId(IdPrefix.Case, now),
        number: cases.nextNumber(),
        title: caseTitle(alert, links),
        description: classification?.summary ?? alert.message ?? '',
        status: CaseStatus.NEW,
        resolution: null,
        severity: alert.riskLevel ?? 'LOW',
        severitySetBy: null,
        score: alert.score ?? 0,
        category: alert.category,
        tlp: Tlp.AMBER,
        pap: Pap.AMBER,
        assignee: null,
        tags: '[]',
        techniques: JSON.stringify(union([], classification?.techniques.map((t) => t.id) ?? [])),
        kindKey: opts.kindKey,
        alertCount: 1,
        foldedCount: 0,
        mergedInto: null,
        createdBy: opts.actor,
        version: 1,
        firstAlertAt: at,
        lastAlertAt: at,
        createdAt: now,
        updatedAt: now,
      };
      cases.insert(row);
      cases.link({ alertId: alert.id, caseId: row.id, linkedBy: opts.linkedBy, reason: opts.reason, addedBy: opts.actor, addedAt: now });
      addObservables(row.id, links, now, opts.judge);
      journal.record({
        caseId: row.id,
        kind: CaseEventKind.CREATED,
        actor: opts.actor,
        summary: `case #${row.number} opened: ${row.title} (${row.severity} ${row.score}); ${opts.reason}`,
        detail: { number: row.number, alertId: alert.id, severity: row.severity, reason: opts.reason },
        audit: { action: 'case.create', after: { ...row, alertIds: [alert.id] } },
      });
      return row;
    },

    /** Links an alert to a case (moving it if it was in another) and folds its severity, score, techniques and times in. */
    addAlert(caseId: string, alert: AlertRecord, opts: { actor: string; linkedBy: LinkedBy; reason: string; folded?: boolean; judge?: IndicatorJudge }): CaseRecord {
      const now = clock();
      const current = mustGet(caseId);
      const at = eventTimeOf(alert);
      cases.link({ alertId: alert.id, caseId, linkedBy: opts.linkedBy, reason: opts.reason, addedBy: opts.actor, addedAt: now });
      addObservables(caseId, deps.iocs.linksOf(alert.id), now, opts.judge);
      const techniques = classificationOf(alert)?.techniques.map((t) => t.id) ?? [];
      const next = write(
        current,
        {
          ...current,
          alertCount: current.alertCount + 1,
          foldedCount: current.foldedCount + (opts.folded ? 1 : 0),
          severity: maxLevel(current.severity, alert.riskLevel),
          score: Math.max(current.score, alert.score ?? 0),
          techniques: JSON.stringify(union(JSON.parse(current.techniques) as string[], techniques)),
          firstAlertAt: Math.min(current.firstAlertAt ?? at, at),
          lastAlertAt: Math.max(current.lastAlertAt ?? at, at),
          updatedAt: now,
        },
        undefined,
      );
      journal.record({
        caseId,
        kind: CaseEventKind.ALERT_ADDED,
        actor: opts.actor,
        summary: `alert ${alert.id} added to case #${next.number} (${next.alertCount} alerts): ${opts.reason}`,
        detail: { alertId: alert.id, linkedBy: opts.linkedBy, alertCount: next.alertCount, folded: opts.folded ?? false },
        audit: { action: 'case.alert.add', before: { alertCount: current.alertCount, severity: current.severity }, after: { alertId: alert.id, alertCount: next.alertCount, severity: next.severity, linkedBy: opts.linkedBy, reason: opts.reason } },
      });
      return next;
    },

    /**
     * Applies `patch` to a case under optimistic concurrency: a stale `expectedVersion` is a ConflictError
     * that names the current version. The caller records the change with the journal.
     */
    change(caseId: string, expectedVersion: number | undefined, patch: (current: CaseRecord) => Partial<CaseUpdate>): { before: CaseRecord; after: CaseRecord } {
      const before = mustGet(caseId);
      if (expectedVersion !== undefined && expectedVersion !== before.version) throw stale(before, expectedVersion);
      const after = write(before, { ...before, ...patch(before), updatedAt: clock() }, expectedVersion);
      return { before, after };
    },

    /**
     * Recomputes what a case derives from the alerts it holds now (count, score, techniques, times,
     * observables, and severity unless someone set it by hand), after alerts left it by a split, move or
     * undo. Aggregated in SQL: a folded storm case can hold a great many alerts.
     */
    recompute(caseId: string): CaseRecord {
      const current = mustGet(caseId);
      const now = clock();
      const totals = cases.aggregatesOf(caseId);
      cases.clearDerivedObservables(caseId);
      cases.dropOrphanOverrides(caseId);
      addObservables(caseId, cases.iocLinksOf(caseId), now);
      const derivedSeverity = RISK_LEVELS[totals.levelRank ?? 0] ?? 'LOW';
      return write(
        current,
        {
          ...current,
          alertCount: totals.alertCount,
          foldedCount: Math.min(current.foldedCount, totals.alertCount),
          severity: current.severitySetBy ? current.severity : derivedSeverity,
          score: totals.score ?? 0,
          techniques: JSON.stringify(cases.techniquesOf(caseId)),
          firstAlertAt: totals.firstAt,
          lastAlertAt: totals.lastAt,
          updatedAt: now,
        },
        undefined,
      );
    },
  };
}

export type CaseWriter = ReturnType<typeof createCaseWriter>;

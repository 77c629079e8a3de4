/**
 * Puts a scored alert into a case, or leaves it uncased. In order:
 * 1. an open case sharing significant indicators with it (summed significance at least `joinThreshold`),
 * 2. an open case of the same category about the same host or named user, within the window,
 * 3. a new case when its score reaches `openScore`, unless an alert storm of its kind is on, in which case
 *    it folds into the storm's latest case (counted there) instead of opening one more.
 * Synchronous, inside the pipeline's transaction, so alerts of one batch see each other's cases.
 */
import type { CaseStore } from '../../store/case-store.js';
import type { IocStore } from '../../store/ioc-store.js';
import type { AlertRecord } from '../../store/records.js';
import type { Classification } from '../classify/classification.js';
import type { CaseWriter } from '../cases/case-writer.js';
import type { CaseJournal } from '../cases/journal.js';
import { CaseEventKind, LinkedBy, maxLevel } from '../cases/model.js';
import type { EnrichmentResult, EnrichmentTarget } from '../enrich/types.js';
import { indicatorJudge, significance, type IndicatorJudge } from './significance.js';

export interface CorrelationSettings {
  /** How long after a case's last alert it still takes related alerts (ms). */
  windowMs: number;
  /** Lowest score that opens a case for an alert nothing else claims. */
  openScore: number;
  /** Summed significance of shared indicators that joins an alert to a case. */
  joinThreshold: number;
  /** An indicator reported by more distinct hosts than this links nothing. */
  maxSpread: number;
  /** A storm: this many open cases of one kind opened within `stormWindowMs`; more alerts of that kind fold into the latest. */
  stormThreshold: number;
  stormWindowMs: number;
}

export const DEFAULT_CORRELATION: CorrelationSettings = {
  windowMs: 24 * 3600_000,
  openScore: 40,
  joinThreshold: 0.5,
  maxSpread: 5,
  stormThreshold: 3,
  stormWindowMs: 10 * 60_000,
};

/** Accounts present on nearly every host: sharing one says nothing about two alerts being one incident. */
const GENERIC_ACCOUNTS = new Set(['root', 'administrator', 'admin', 'guest', 'user', 'test', 'ubuntu', 'ec2-user', 'pi', 'oracle', 'postgres', 'nobody', 'system', 'local service', 'network service', '-']);
const ENTITY_ROLES = new Set(['HOST', 'USER', 'TARGET_USER']);
/** Spread is counted over an IOC's latest alerts only, so a value seen a million times costs no more. */
const SPREAD_SAMPLE = 200;
/** Open cases considered per shared indicator. */
const MAX_CANDIDATES = 20;

export type CorrelationOutcome =
  | { outcome: 'OPENED' | 'JOINED' | 'FOLDED'; caseId: string; caseNumber: number; linkedBy: LinkedBy; reason: string }
  | { outcome: 'ALREADY_CASED'; caseId: string; caseNumber: number; reason: string }
  | { outcome: 'UNCASED'; reason: string };

export const CORRELATOR_ACTOR = 'system:correlator';

export function createCorrelator(deps: {
  cases: CaseStore;
  iocs: IocStore;
  writer: CaseWriter;
  journal: CaseJournal;
  enrichment: { cached(target: Pick<EnrichmentTarget, 'type' | 'value'>): EnrichmentResult[] };
  settings: CorrelationSettings;
}) {
  const { cases, settings } = deps;

  function byIndicators(alert: AlertRecord, since: number, judge: IndicatorJudge): { caseId: string; reason: string } | undefined {
    const totals = new Map<string, { weight: number; shared: string[]; lastAlertAt: number }>();
    const seen = new Set<string>();
    for (const link of deps.iocs.linksOf(alert.id)) {
      if (seen.has(link.iocId)) continue;
      seen.add(link.iocId);
      const judged = judge(link.iocId);
      if (!judged?.isIoc) continue;
      const { ioc } = judged;
      const weight = significance(ioc.type, cases.spreadOf(ioc.id, SPREAD_SAMPLE), settings.maxSpread);
      if (weight === 0) continue;
      for (const candidate of cases.openCasesWithIoc(ioc.id, since, MAX_CANDIDATES)) {
        const total = totals.get(candidate.caseId) ?? { weight: 0, shared: [], lastAlertAt: candidate.lastAlertAt };
        total.weight += weight;
        total.shared.push(`${ioc.value} (${ioc.type}, ${weight.toFixed(2)})`);
        totals.set(candidate.caseId, total);
      }
    }
    const best = [...totals.entries()]
      .filter(([, t]) => t.weight >= settings.joinThreshold)
      .sort(([, a], [, b]) => b.weight - a.weight || b.lastAlertAt - a.lastAlertAt)[0];
    return best && { caseId: best[0], reason: `shares ${best[1].shared.join(', ')}: significance ${best[1].weight.toFixed(2)}` };
  }

  function byEntity(alert: AlertRecord, since: number): { caseId: string; reason: string } | undefined {
    if (!alert.category || alert.category === 'BENIGN') return undefined;
    const entities = deps.iocs
      .linksOf(alert.id)
      .filter((l) => ENTITY_ROLES.has(l.role) && !(l.type === 'USERNAME' && GENERIC_ACCOUNTS.has(l.value)))
      // Hosts first: "same machine, same kind of attack" is the stronger tie.
      .sort((a, b) => Number(a.role !== 'HOST') - Number(b.role !== 'HOST'));
    for (const entity of entities) {
      const caseId = cases.openCaseWithEntity(entity.iocId, alert.category, since);
      if (caseId) return { caseId, reason: `same ${entity.role === 'HOST' ? 'host' : 'user'} ${entity.value} and category ${alert.category}` };
    }
    return undefined;
  }

  /** A cased alert rescored higher (new evidence) raises its case's score and severity with it. */
  function escalate(caseId: string, alert: AlertRecord) {
    const current = deps.writer.mustGet(caseId);
    const severity = maxLevel(current.severity, alert.riskLevel);
    const score = Math.max(current.score, alert.score ?? 0);
    if (severity === current.severity && score === current.score) return current;
    const { before, after } = deps.writer.change(caseId, undefined, () => ({ severity, score }));
    deps.journal.record({
      caseId,
      kind: CaseEventKind.UPDATED,
      actor: CORRELATOR_ACTOR,
      summary: `case #${after.number} raised to ${after.severity} ${after.score}: alert ${alert.id} was rescored on new evidence`,
      detail: { alertId: alert.id, severity: after.severity, score: after.score },
      audit: { action: 'case.escalate', before: { severity: before.severity, score: before.score }, after: { severity: after.severity, score: after.score, alertId: alert.id } },
    });
    return after;
  }

  /**
   * The case an alert storm of this kind folds into: one already folding that took an alert within the storm
   * window (so a storm lasting hours stays one case), or the latest of `stormThreshold` cases of the kind
   * opened within the window (a storm starting).
   */
  function stormCaseFor(kindKey: string, at: number): { caseId: string; reason: string } | undefined {
    const minutes = Math.round(settings.stormWindowMs / 60_000);
    const ongoing = cases.ongoingStorm(kindKey, at - settings.stormWindowMs);
    if (ongoing) return { caseId: ongoing, reason: `alert storm of ${kindKey} still going on (an alert within ${minutes} min)` };
    const recent = cases.openCasesOfKind(kindKey, at - settings.stormWindowMs);
    if (recent.length < settings.stormThreshold) return undefined;
    return { caseId: recent[0]!, reason: `alert storm: ${recent.length} cases of ${kindKey} opened within ${minutes} min` };
  }

  function correlateOne(alert: AlertRecord): CorrelationOutcome {
    const existing = cases.linkOf(alert.id);
    if (existing) {
      const found = escalate(existing.caseId, alert);
      return { outcome: 'ALREADY_CASED', caseId: found.id, caseNumber: found.number, reason: `already in case #${found.number}` };
    }
    const at = alert.eventTime ?? alert.receivedAt;
    const since = at - settings.windowMs;
    // One judgement per IOC for both the matching and the observables the case writer records.
    const judge = indicatorJudge(deps);
    const match = byIndicators(alert, since, judge) ?? byEntity(alert, since);
    if (match) {
      const linkedBy = match.reason.startsWith('shares') ? LinkedBy.IOC : LinkedBy.ENTITY;
      const joined = deps.writer.addAlert(match.caseId, alert, { actor: CORRELATOR_ACTOR, linkedBy, reason: match.reason, judge });
      return { outcome: 'JOINED', caseId: joined.id, caseNumber: joined.number, linkedBy, reason: match.reason };
    }
    if (!alert.category || alert.category === 'BENIGN' || (alert.score ?? 0) < settings.openScore) {
      return { outcome: 'UNCASED', reason: `score ${alert.score ?? 0} is below ${settings.openScore} and no open case is related` };
    }
    const classification = alert.classification ? (JSON.parse(alert.classification) as Classification) : null;
    const kindKey = `${alert.category}:${classification?.rules[0]?.ruleId ?? classification?.decidedBy ?? 'unknown'}`;
    const stormCase = stormCaseFor(kindKey, at);
    if (stormCase) {
      const folded = deps.writer.addAlert(stormCase.caseId, alert, { actor: CORRELATOR_ACTOR, linkedBy: LinkedBy.STORM, reason: stormCase.reason, folded: true, judge });
      return { outcome: 'FOLDED', caseId: folded.id, caseNumber: folded.number, linkedBy: LinkedBy.STORM, reason: stormCase.reason };
    }
    const reason = `score ${alert.score} reached ${settings.openScore}`;
    const opened = deps.writer.open(alert, { actor: CORRELATOR_ACTOR, kindKey, reason, linkedBy: LinkedBy.OPENED, judge });
    return { outcome: 'OPENED', caseId: opened.id, caseNumber: opened.number, linkedBy: LinkedBy.OPENED, reason };
  }

  const hooks: Array<(alert: AlertRecord, outcome: CorrelationOutcome) => void> = [];
  function finish(alert: AlertRecord, outcome: CorrelationOutcome): CorrelationOutcome {
    for (const hook of hooks) hook(alert, outcome);
    return outcome;
  }

  return {
    /** Runs `hook` after each scored alert is correlated, inside the same transaction (for "alert scored" playbook triggers). */
    onCorrelated(hook: (alert: AlertRecord, outcome: CorrelationOutcome) => void): void {
      hooks.push(hook);
    },

    correlate(alert: AlertRecord): CorrelationOutcome {
      return finish(alert, correlateOne(alert));
    },
  };
}

export type Correlator = ReturnType<typeof createCorrelator>;

/**
 * Enrichment around the pipeline. The ENRICH stage answers from what needs no network (feeds, warning
 * lists, the cache) and hands everything else to a background queue here, so ingestion never waits on
 * DNS or an API. Each background result lands as another ENRICH stage event of the alert, and lookups
 * that were rate-limited or failed are retried when they fall due: nothing asked for is dropped.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { AlertStore } from '../../store/alert-store.js';
import type { IocRecord } from '../../store/records.js';
import { PipelineStage, StageStatus, type EmitStageEvent } from '../pipeline/stages.js';
import type { IocType, IpFlags } from '../types.js';
import { reputationOf } from './reputation.js';
import type { EnrichmentRunner } from './runner/index.js';
import { Tlp, type Enricher, type EnrichmentResult, type EnrichmentTarget } from './types.js';

export interface EnrichmentServiceDeps {
  runner: EnrichmentRunner;
  providers: readonly Enricher[];
  alerts: AlertStore;
  emit: EmitStageEvent;
  clock: Clock;
  logger: Logger;
  /** Background lookups running at once (each provider has its own limits inside the runner too). */
  concurrency?: number;
  /** How often due retries are looked for, in ms (0: never, for tests that call `retryDue`). */
  retryEveryMs?: number;
  /** Most lookups waiting at once; beyond it new ones are not queued (the IOC's next sighting asks again). */
  maxQueued?: number;
}

const DEFAULT_MAX_QUEUED = 10_000;

export function targetOf(ioc: Pick<IocRecord, 'type' | 'value' | 'attributes'>): EnrichmentTarget {
  const ip = ioc.attributes ? (JSON.parse(ioc.attributes) as IpFlags) : undefined;
  // Alert data has no marking of its own: AMBER, which online services only get when configured.
  return { type: ioc.type as IocType, value: ioc.value, ...(ip ? { ip } : {}), tlp: Tlp.AMBER };
}

export function createEnrichmentService(deps: EnrichmentServiceDeps) {
  const { runner, clock, logger } = deps;
  const local = deps.providers.filter((p) => !p.external).map((p) => p.name);
  const networked = deps.providers.filter((p) => p.external).map((p) => p.name);
  const queue: Array<{ alertId: string; source: string; target: EnrichmentTarget }> = [];
  let active = 0;
  let dropped = 0;
  let closed = false;
  const idle: Array<() => void> = [];
  const listeners: Array<(alertId: string) => void> = [];
  const timer = deps.retryEveryMs ? setInterval(() => void service.retryDue(), deps.retryEveryMs) : undefined;
  timer?.unref();

  function publishForAlert(alertId: string, source: string, target: EnrichmentTarget, results: EnrichmentResult[], durationMs: number): void {
    const reputation = reputationOf(results);
    const statuses = results.map((r) => `${r.provider} ${r.status}`).join(', ');
    const summary = `${target.type} ${target.value}: ${reputation.verdict}${statuses ? ` (${statuses})` : ''}`;
    const detail = { ioc: { type: target.type, value: target.value }, verdict: reputation.verdict, reasons: reputation.reasons.slice(0, 10), statuses: results.map((r) => ({ provider: r.provider, status: r.status, verdict: r.verdict })) };
    const event = deps.alerts.appendEvent({ alertId, jobId: null, stage: PipelineStage.ENRICH, status: StageStatus.COMPLETED, durationMs, summary: summary.slice(0, 500), detail: JSON.stringify(detail), createdAt: clock() });
    deps.emit({ ...event, source });
  }

  function pump(): void {
    const limit = deps.concurrency ?? 4;
    while (!closed && active < limit && queue.length > 0) {
      const job = queue.shift()!;
      active += 1;
      const started = performance.now();
      runner
        .enrich(job.target, { providers: networked })
        .then((results) => {
          if (closed || !deps.alerts.getAlert(job.alertId)) return;
          publishForAlert(job.alertId, job.source, job.target, results, Math.round(performance.now() - started));
          for (const listener of listeners) listener(job.alertId);
        })
        .catch((error: unknown) => logger.warn({ err: error, ioc: job.target.value }, 'background enrichment failed'))
        .finally(() => {
          active -= 1;
          if (active === 0 && queue.length === 0) idle.splice(0).forEach((resolve) => resolve());
          pump();
        });
    }
  }

  const service = {
    /** Calls `listener` with the alert id after each background result for it was recorded. */
    onResult(listener: (alertId: string) => void): void {
      listeners.push(listener);
    },

    /** Answers from local providers and the cache, without the network. */
    async localAndCached(target: EnrichmentTarget): Promise<EnrichmentResult[]> {
      const fresh = local.length ? await runner.enrich(target, { providers: local }) : [];
      const cached = runner.cached(target).filter((r) => networked.includes(r.provider));
      return [...fresh, ...cached];
    },

    /** Queues network lookups for IOCs the cache has nothing on from some networked provider. */
    schedule(alertId: string, source: string, targets: readonly EnrichmentTarget[]): number {
      if (networked.length === 0 || closed) return 0;
      let queued = 0;
      for (const target of targets) {
        const known = new Set(runner.cached(target).map((r) => r.provider));
        if (networked.every((p) => known.has(p))) continue;
        // A storm of new IOCs on a slow network must not grow memory without bound.
        if (queue.length >= (deps.maxQueued ?? DEFAULT_MAX_QUEUED)) {
          dropped += 1;
          if (dropped === 1 || dropped % 1000 === 0) logger.warn({ dropped }, 'enrichment queue full: lookups not queued (they are asked again at the next sighting)');
          continue;
        }
        queue.push({ alertId, source, target });
        queued += 1;
      }
      pump();
      return queued;
    },

    /** Every provider, now (cached answers stay unless `force`); for `lookupIoc` and `refreshEnrichment`. */
    lookup: (target: EnrichmentTarget, force = false) => runner.enrich(target, { force }),

    cached: (target: Pick<EnrichmentTarget, 'type' | 'value'>) => runner.cached(target),

    /** Asks again what was rate-limited or failed, once its time has come. */
    async retryDue(): Promise<number> {
      const due = runner.dueForRetry(clock());
      for (const entry of due) await runner.enrich({ type: entry.type, value: entry.value, tlp: Tlp.AMBER }, { providers: [entry.provider] }).catch(() => undefined);
      return due.length;
    },

    /** Waits (up to `timeoutMs`) for queued lookups; what is left is simply not done (the cache has no entry). */
    async close(timeoutMs: number): Promise<void> {
      if (timer) clearInterval(timer);
      if (active === 0 && queue.length === 0) {
        closed = true;
        return;
      }
      await Promise.race([new Promise<void>((resolve) => idle.push(resolve)), new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref())]);
      closed = true;
      queue.length = 0;
    },

    get pending(): number {
      return active + queue.length;
    },
  };
  return service;
}

export type EnrichmentService = ReturnType<typeof createEnrichmentService>;

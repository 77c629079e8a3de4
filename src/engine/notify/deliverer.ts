/**
 * Delivers the outbox, outside any transaction. A due PENDING row is claimed first (its next attempt is
 * moved past the delivery timeout, its attempt counted), so no two deliveries of one row run at once, and
 * a process that dies mid-delivery leaves a row that becomes due again when the claim lapses: delivery is
 * at-least-once, and receivers dedupe on the idempotency key. Failures retry with exponential backoff
 * (and the receiver's Retry-After, if longer) until `maxAttempts`, then the row is DEAD with its last error.
 *
 * An attempt's outcome (and so its retry) is recorded only when the channel's `deliver` has settled, and
 * channels settle only once their request or SMTP conversation has stopped (they honour the abort signal),
 * so a timed-out attempt cannot still be sending when the next one starts. As a second guard, a row whose
 * delivery is still in flight in this process is never claimed again, even if its lease has lapsed.
 */
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { NotificationStore } from '../../store/notification-store.js';
import type { NotificationRecord } from '../../store/records.js';
import { transactionsOf } from '../../store/transactions.js';
import type Database from 'better-sqlite3';
import type { Channel, OutgoingNotification } from './channels/types.js';
import { DeliveryError } from './channels/types.js';
import type { NotificationPayload } from './notifier.js';

export interface DeliverySettings {
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** 0..1: each delay is shortened by up to this fraction at random, so retries of many rows spread out. */
  jitter: number;
  timeoutMs: number;
  pollMs: number;
  /** Rows claimed (and delivered in parallel) at a time. */
  batchSize: number;
}

export interface DeliveryReport {
  delivered: number;
  retried: number;
  dead: number;
}

const ERROR_CHARS = 1000;
/** A claim outlives the delivery timeout by this much before another delivery may take the row. */
const LEASE_MARGIN_MS = 60_000;

/** The delay before attempt `failedAttempts + 1`: base * 2^(failed - 1), capped, minus jitter. */
export function backoffDelay(failedAttempts: number, settings: Pick<DeliverySettings, 'backoffBaseMs' | 'backoffMaxMs' | 'jitter'>, random: () => number): number {
  const exponential = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exponential * (1 - settings.jitter * random()));
}

/** Error text for storage: one bounded line with every channel secret blanked out. */
export function redact(message: string, secrets: readonly string[]): string {
  let text = message;
  for (const secret of secrets) if (secret) text = text.split(secret).join('***');
  return text.replace(/\s+/g, ' ').slice(0, ERROR_CHARS);
}

function outgoing(row: NotificationRecord, attempt: number, now: number): OutgoingNotification {
  let payload: NotificationPayload;
  try {
    payload = JSON.parse(row.payload) as NotificationPayload;
  } catch {
    payload = { title: row.event, text: '', facts: {} };
  }
  return {
    id: row.id,
    channel: row.channel,
    event: row.event,
    severity: row.severity,
    caseId: row.caseId,
    idempotencyKey: row.idempotencyKey,
    createdAt: row.createdAt,
    attempt,
    attemptAt: now,
    payload: { title: payload.title ?? row.event, text: payload.text ?? '', facts: payload.facts ?? {} },
  };
}

export function createDeliverer(deps: {
  sqlite: Database.Database;
  store: NotificationStore;
  channels: ReadonlyMap<string, Channel>;
  clock: Clock;
  logger: Logger;
  settings: DeliverySettings;
  /** Jitter source; tests pass a constant (or set jitter to 0). */
  random?: () => number;
}) {
  const { store, clock, logger, settings } = deps;
  const random = deps.random ?? Math.random;
  const transactions = transactionsOf(deps.sqlite);
  const stopping = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  /** Rows whose channel call has not settled yet. */
  const delivering = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> | undefined;
  let again = false;

  /** Claims up to a batch of due rows in one transaction; returns them with the attempt number each is at. */
  function claimDue(): Array<{ row: NotificationRecord; attempt: number }> {
    return transactions.run(() => {
      const now = clock();
      const leaseUntil = now + settings.timeoutMs + LEASE_MARGIN_MS;
      return store
        .due(now, settings.batchSize)
        .filter((row) => !delivering.has(row.id) && store.claim(row.id, now, leaseUntil))
        .map((row) => ({ row, attempt: row.attempts + 1 }));
    });
  }

  async function deliverOne(row: NotificationRecord, attempt: number, report: DeliveryReport): Promise<void> {
    const channel = deps.channels.get(row.channel);
    if (!channel) {
      store.markDead(row.id, attempt, clock(), `channel ${row.channel} is not configured (any more); restore it and redeliver`);
      report.dead++;
      return;
    }
    const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(settings.timeoutMs)]);
    // Only the channel's own failure is a failed attempt; an error recording the outcome propagates.
    delivering.add(row.id);
    const failure = await Promise.resolve()
      .then(() => channel.deliver(outgoing(row, attempt, clock()), signal))
      .then(
        () => undefined,
        (error: unknown) => ({ error }),
      )
      .finally(() => delivering.delete(row.id));
    const now = clock();
    if (!failure) {
      store.markDelivered(row.id, attempt, now);
      report.delivered++;
      return;
    }
    if (stopping.signal.aborted) {
      // Shutdown cut the attempt short: it does not count, and the next start picks the row up at once.
      store.release(row.id, attempt, now);
      return;
    }
    const { error } = failure;
    const message = redact(error instanceof Error ? error.message : String(error), channel.secrets);
    if (attempt >= settings.maxAttempts) {
      store.markDead(row.id, attempt, now, message);
      report.dead++;
      logger.warn({ notification: row.id, channel: row.channel, attempts: attempt, error: message }, 'notification is DEAD: retries exhausted');
      return;
    }
    let at = now + backoffDelay(attempt, settings, random);
    const wanted = error instanceof DeliveryError ? error.retryAt : undefined;
    if (wanted !== undefined && wanted > at) at = Math.min(wanted, now + settings.backoffMaxMs);
    store.scheduleRetry(row.id, attempt, at, message);
    report.retried++;
    logger.debug({ notification: row.id, channel: row.channel, attempt, retryAt: at, error: message }, 'notification delivery failed; will retry');
  }

  /** Delivers every row due now (batch after batch) and reports what happened. Tests await it. */
  async function deliverDue(): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, retried: 0, dead: 0 };
    for (;;) {
      if (stopping.signal.aborted) return report;
      const claimed = claimDue();
      if (!claimed.length) return report;
      const batch = Promise.all(claimed.map(({ row, attempt }) => deliverOne(row, attempt, report)));
      inFlight.add(batch);
      try {
        await batch;
      } finally {
        inFlight.delete(batch);
      }
      if (claimed.length < settings.batchSize) return report;
    }
  }

  function tick(): void {
    if (stopping.signal.aborted) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = deliverDue()
      .catch((error: unknown) => logger.error({ err: error }, 'notification delivery round failed'))
      .finally(() => {
        ticking = undefined;
        if (again) {
          again = false;
          tick();
        }
      });
  }

  return {
    deliverDue,
    /** Polls for due rows every `pollMs` (and delivers what an earlier run left PENDING right away). */
    start(): void {
      if (timer || stopping.signal.aborted) return;
      timer = setInterval(tick, settings.pollMs);
      timer.unref();
      tick();
    },
    /** Wakes a started deliverer now (new rows committed); does nothing when it is not started. */
    kick(): void {
      if (timer) setImmediate(tick).unref();
    },
    /** Stops polling and interrupts deliveries in flight (their rows stay PENDING, attempt not counted). */
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      stopping.abort(new Error('shutting down'));
      await Promise.allSettled([...inFlight, ...(ticking ? [ticking] : [])]);
    },
  };
}

export type Deliverer = ReturnType<typeof createDeliverer>;

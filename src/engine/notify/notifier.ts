/**
 * The transactional outbox writer. `notify` is synchronous and joins the caller's transaction: the rows
 * commit with the change that caused them, or vanish with it when it rolls back, so a notification never
 * describes something that did not happen and nothing that happened goes unannounced. Delivery is the
 * deliverer's job, after commit.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.js';
import { IdPrefix, newId } from '../../ids.js';
import type { NotificationStore } from '../../store/notification-store.js';
import { NotificationStatus } from '../../store/notification-store.js';
import { transactionsOf } from '../../store/transactions.js';
import type { NotificationRequest, Notify } from '../respond/types.js';
import type { NotifyRouting } from './config.js';
import { selectChannels } from './routing.js';

/** What a channel receives in `payload`: the request's text, bounded. */
export interface NotificationPayload {
  title: string;
  text: string;
  facts: Record<string, unknown>;
}

export const PAYLOAD_LIMITS = { title: 250, text: 4000, factsBytes: 16_384 } as const;
const EVENT = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Titles are one line: a newline in alert text must not start a new header or paragraph anywhere. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim();
}

export function payloadOf(request: NotificationRequest): NotificationPayload {
  let facts = request.facts ?? {};
  // Facts are for display; an oversized set is dropped rather than failing the change that notifies.
  if (JSON.stringify(facts).length > PAYLOAD_LIMITS.factsBytes) facts = { note: 'facts omitted: too large' };
  return { title: bounded(oneLine(request.title), PAYLOAD_LIMITS.title), text: bounded(request.text, PAYLOAD_LIMITS.text), facts };
}

export function createNotifier(deps: {
  sqlite: Database.Database;
  store: NotificationStore;
  routing: NotifyRouting;
  clock: Clock;
  /** Called once the rows commit (the deliverer wakes up). */
  onCommitted?: () => void;
}): Notify {
  const transactions = transactionsOf(deps.sqlite);
  return (request) => {
    if (!EVENT.test(request.event)) throw new RangeError(`not a notification event name: ${request.event.slice(0, 80)}`);
    const severity = request.severity ? request.severity.toUpperCase() : null;
    const channels = selectChannels(deps.routing.routes, request.event, severity);
    if (!channels.length) return [];
    const payload = JSON.stringify(payloadOf(request));
    return transactions.run(() => {
      const now = deps.clock();
      const ids = channels.map((channel) => {
        const id = newId(IdPrefix.Notification, now);
        deps.store.insert({
          id,
          channel,
          event: request.event,
          severity,
          caseId: request.caseId ?? null,
          payload,
          // Stable across retries and redeliveries of this row: receivers dedupe on it.
          idempotencyKey: id,
          status: NotificationStatus.PENDING,
          attempts: 0,
          nextAttemptAt: now,
          lastError: null,
          createdAt: now,
          deliveredAt: null,
        });
        return id;
      });
      if (deps.onCommitted) transactions.afterCommit(deps.onCommitted);
      return ids;
    });
  };
}

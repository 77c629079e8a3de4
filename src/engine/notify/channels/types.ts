/** The uniform shape of a delivery channel: a type, and `deliver` that resolves once the receiver accepted the message. */
import type { ChannelType } from '../config.js';
import type { NotificationPayload } from '../notifier.js';

/** One outbox row as a channel sees it. */
export interface OutgoingNotification {
  id: string;
  channel: string;
  event: string;
  severity: string | null;
  caseId: string | null;
  /** The same on every attempt and redelivery of this row: receivers dedupe on it. */
  idempotencyKey: string;
  createdAt: number;
  /** 1 for the first attempt. */
  attempt: number;
  /** When this attempt started (the Vigil clock). */
  attemptAt: number;
  payload: NotificationPayload;
}

export interface Channel {
  readonly name: string;
  readonly type: ChannelType;
  /** Values that must never reach a stored error or a log (URLs with tokens, secrets, passwords). */
  readonly secrets: readonly string[];
  /** Resolves when delivered; rejects (preferably with a DeliveryError) otherwise. Must stop when `signal` aborts. */
  deliver(notification: OutgoingNotification, signal: AbortSignal): Promise<void>;
}

/** A failed delivery; `retryAt` (epoch ms) is the receiver's own wish (HTTP Retry-After), if it said one. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    readonly retryAt?: number,
  ) {
    super(message);
  }
}

export interface ChannelOptions {
  /** Longest a delivery may take (also enforced by the deliverer's abort signal). */
  timeoutMs: number;
}

/**
 * Generic webhook: the notification as JSON, signed so the receiver can tell it came from us.
 * `X-Vigil-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the channel secret;
 * `Idempotency-Key` stays the same on every retry so the receiver can drop repeats.
 */
import { createHmac } from 'node:crypto';
import { postJson } from './http.js';
import type { Channel, OutgoingNotification } from './types.js';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** The body is the same on every attempt (no attempt time inside), so a retry is byte-identical. */
export function webhookBody(n: OutgoingNotification): string {
  return JSON.stringify({
    id: n.id,
    idempotencyKey: n.idempotencyKey,
    event: n.event,
    severity: n.severity,
    caseId: n.caseId,
    createdAt: new Date(n.createdAt).toISOString(),
    title: n.payload.title,
    text: n.payload.text,
    facts: n.payload.facts,
  });
}

export function webhookChannel(config: { name: string; url: string; secret: string }): Channel {
  return {
    name: config.name,
    type: 'webhook',
    secrets: [config.secret],
    deliver(n, signal) {
      const body = webhookBody(n);
      return postJson(
        config.url,
        body,
        {
          'x-vigil-signature': signBody(config.secret, body),
          'x-vigil-timestamp': String(Math.floor(n.attemptAt / 1000)),
          'x-vigil-event': n.event,
          'x-vigil-delivery-attempt': String(n.attempt),
          'idempotency-key': n.idempotencyKey,
        },
        signal,
        () => n.attemptAt,
      );
    },
  };
}

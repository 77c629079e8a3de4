import { createHash } from 'node:crypto';
import type { AlertPayload } from '../types.js';

/** Content identity of an alert: the same text of the same kind is the same alert, whoever sent it. */
export function fingerprint(kind: AlertPayload['kind'], text: string): string {
  return createHash('sha256').update(kind).update('\n').update(text).digest('hex');
}

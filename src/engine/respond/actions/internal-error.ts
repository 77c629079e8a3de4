/**
 * What an action records when something unexpected breaks (a SQLite error, a TypeError, an unknown
 * network failure). `reason` is served by GraphQL and copied into notifications, so it must not carry
 * the error's own text (paths, SQL, internal addresses): it says "internal error" with a reference, and
 * the detail goes to the server log under the same reference for whoever runs Vigil.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../logger.js';

/** Logs `error` with a fresh reference; answers the text to store instead of its message. */
export function internalError(logger: Logger, error: unknown, context: Record<string, unknown>, message: string, prefix = 'internal error'): string {
  const ref = randomBytes(4).toString('hex');
  logger.error({ err: error, ref, ...context }, message);
  return `${prefix} (see server log, ref ${ref})`;
}

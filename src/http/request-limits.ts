/**
 * Limits on what one request may cost, before and during GraphQL execution: body size (checked on the
 * declared length and while streaming), and query depth, aliases and tokens (graphql-armor).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { sendJson } from './json.js';

/** Deep enough for alert -> iocs -> ioc -> alerts -> edges -> node -> iocs -> ioc -> value, with room. */
export const MAX_QUERY_DEPTH = 12;
export const MAX_ALIASES = 20;
export const MAX_TOKENS = 5000;

export function queryLimitPlugins() {
  return [
    maxDepthPlugin({ n: MAX_QUERY_DEPTH, exposeLimits: true, flattenFragments: true }),
    maxAliasesPlugin({ n: MAX_ALIASES, exposeLimits: true }),
    maxTokensPlugin({ n: MAX_TOKENS, exposeLimits: true }),
  ];
}

/**
 * Refuses a body over `limit` with 413: at once when Content-Length says so, otherwise by counting a
 * streamed (chunked) body and cutting it off. Returns false when the request was refused.
 */
export function enforceBodyLimit(req: IncomingMessage, res: ServerResponse, limit: number): boolean {
  const declared = Number(req.headers['content-length']);
  const tooLarge = () => sendJson(res, 413, { errors: [{ message: `request body is over the limit of ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }, { connection: 'close' });
  if (Number.isFinite(declared)) {
    if (declared <= limit) return true;
    tooLarge();
    req.resume();
    return false;
  }
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit && !res.headersSent) {
      tooLarge();
      req.destroy();
    }
  });
  return true;
}

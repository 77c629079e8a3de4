/**
 * RFC 3912: connect, send the query and CRLF, read until the server closes. Bounded in bytes and time,
 * abortable, and every failure is a value.
 */
import net from 'node:net';
import type { WhoisServer } from './servers.js';

export type WhoisReply =
  | { kind: 'ok'; text: string; truncated: boolean }
  | { kind: 'timeout' }
  | { kind: 'error'; error: string };

export interface WhoisQueryOptions {
  timeoutMs: number;
  maxBytes: number;
  signal: AbortSignal;
}

export function queryWhois(server: WhoisServer, query: string, options: WhoisQueryOptions): Promise<WhoisReply> {
  return new Promise((resolve) => {
    if (options.signal.aborted) return resolve({ kind: 'timeout' });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const socket = net.connect({ host: server.host, port: server.port });
    const finish = (reply: WhoisReply): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(reply);
    };
    const text = (): string => Buffer.concat(chunks).toString('utf8');
    const onAbort = (): void => finish({ kind: 'timeout' });
    const timer = setTimeout(onAbort, options.timeoutMs);
    options.signal.addEventListener('abort', onAbort, { once: true });
    // write, not end: some servers drop a half-closed connection before answering.
    socket.on('connect', () => socket.write(`${query}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      const room = options.maxBytes - size;
      if (chunk.length >= room) {
        // Registry replies put the record first and the legal text after: the head is what we need.
        chunks.push(chunk.subarray(0, room));
        finish({ kind: 'ok', text: text(), truncated: chunk.length > room });
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    socket.on('end', () => finish({ kind: 'ok', text: text(), truncated: false }));
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'error', error: error.code ?? error.message }));
  });
}

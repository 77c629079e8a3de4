/** Shared by the feed tests: a migrated `:memory:` store, fixture paths, and a loopback file server. */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { openDatabase, type DatabaseHandle } from '../../../../db/client.js';
import { runMigrations } from '../../../../db/migrate.js';
import { createFeedStore, type FeedStore } from '../../../../src/engine/enrich/feeds/index.js';

export const T0 = Date.parse('2026-11-23T04:00:00.000Z');

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/threat_intel/', import.meta.url));

export function fixture(path: string): string {
  return readFileSync(`${FIXTURES}${path}`, 'utf8');
}

export interface TestStore {
  handle: DatabaseHandle;
  store: FeedStore;
}

export function createTestStore(): TestStore {
  const handle = openDatabase({ path: ':memory:' });
  runMigrations(handle.db);
  return { handle, store: createFeedStore(handle.sqlite) };
}

export interface FileServer {
  url: string;
  /** Replace or add what a path serves; a missing path answers 404. */
  files: Map<string, { status?: number; body: string }>;
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 serving in-memory bodies by path. */
export async function startFileServer(): Promise<FileServer> {
  const files = new Map<string, { status?: number; body: string }>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const file = files.get(path);
    res.statusCode = file ? (file.status ?? 200) : 404;
    res.end(file ? file.body : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

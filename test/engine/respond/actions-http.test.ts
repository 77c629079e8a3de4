import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from '../../helpers/harness.js';
import { artifact, notificationsOf, request, withCase } from './actions-helpers.js';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A firewall/EDR stand-in on 127.0.0.1 that records what it receives and answers as the test says. */
async function receiver(answer: (seen: Seen, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const s = { path: req.url ?? '', headers: req.headers, body };
      seen.push(s);
      answer(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let h: Harness;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  await h?.close();
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('the HTTP executor', () => {
  it('POSTs the action to the configured endpoint, signed, and records the 2xx answer as EXECUTED', async () => {
    const fw = await receiver((_s, res) => json(res, 200, { ruleId: 'r-42', state: 'blocked' }));
    stop = fw.close;
    let caseId: string;
    ({ h, caseId } = await withCase({ VIGIL_EXECUTOR_FIREWALL_URL: `${fw.url}/api/block?tenant=x`, VIGIL_EXECUTOR_FIREWALL_TOKEN: 'fw-token-123', VIGIL_EXECUTOR_FIREWALL_HMAC_SECRET: 'shh' }));
    const requested = request(h, 'BLOCK_IP', { ip: '185.22.13.9', ttl: '24h' }, { caseId });
    expect(requested.executor).toBe('http:firewall');
    const done = await h.services.actions.execute(requested.id);
    expect(done).toMatchObject({ status: 'EXECUTED', executor: 'http:firewall', revertAt: h.clock() + 86_400_000 });
    expect(fw.seen).toHaveLength(1);
    const [call] = fw.seen;
    expect(call!.path).toBe('/api/block?tenant=x');
    expect(JSON.parse(call!.body)).toEqual({ action: 'BLOCK_IP', target: '185.22.13.9', params: { ip: '185.22.13.9', ttl: 86_400_000 }, ttl: 86_400_000, idempotencyKey: done.id, caseId, requestedBy: 'alice' });
    expect(call!.headers).toMatchObject({ authorization: 'Bearer fw-token-123', 'idempotency-key': done.id, 'content-type': 'application/json' });
    const timestamp = call!.headers['x-vigil-timestamp'] as string;
    expect(call!.headers['x-vigil-signature']).toBe(`sha256=${createHmac('sha256', 'shh').update(`${timestamp}.${call!.body}`).digest('hex')}`);
    // The artifact keeps the request (without the query or the token) and the answer.
    const a = artifact(done);
    expect(a).toMatchObject({ executor: 'http:firewall', request: { endpoint: `${fw.url}/api/block`, method: 'POST' }, response: { status: 200, body: { ruleId: 'r-42', state: 'blocked' } } });
    expect(JSON.stringify(a)).not.toContain('fw-token-123');
    // The revert goes to the same endpoint as UNBLOCK_IP.
    const unblock = await h.services.actions.revert(done.id, 'bob');
    expect(unblock).toMatchObject({ kind: 'UNBLOCK_IP', status: 'EXECUTED', revertOf: done.id, executor: 'http:firewall' });
    expect(JSON.parse(fw.seen[1]!.body)).toMatchObject({ action: 'UNBLOCK_IP', target: '185.22.13.9', ttl: null, idempotencyKey: unblock.id });
    expect(h.services.actions.get(done.id)).toMatchObject({ status: 'REVERTED' });
  });

  it('records a 500 answer as FAILED with the reason, and notifies it', async () => {
    const edr = await receiver((_s, res) => json(res, 500, { error: 'agent offline' }));
    stop = edr.close;
    ({ h } = await withCase({ VIGIL_EXECUTOR_EDR_URL: `${edr.url}/contain` }));
    const failed = await h.services.actions.execute(request(h, 'ISOLATE_HOST', { host: 'laptop-9' }).id);
    expect(failed).toMatchObject({ status: 'FAILED', reason: 'edr executor answered HTTP 500', revertAt: null });
    expect(artifact(failed).response).toEqual({ status: 500, body: { error: 'agent offline' } });
    expect(notificationsOf(h, 'action.failed')).toHaveLength(1);
    // Simulated kinds are unaffected by another system's endpoint.
    expect((await h.services.actions.execute(request(h, 'BLOCK_IP', { ip: '185.22.13.9' }).id)).executor).toBe('simulated');
  });

  it('gives up after VIGIL_EXECUTOR_TIMEOUT_MS and records FAILED; redirects are not followed', async () => {
    const slow = await receiver((s, res) => {
      if (s.path === '/moved') {
        res.writeHead(307, { location: 'http://127.0.0.1:9/elsewhere' });
        res.end();
      }
      // otherwise never answers
    });
    stop = slow.close;
    ({ h } = await withCase({ VIGIL_EXECUTOR_DIRECTORY_URL: `${slow.url}/hang`, VIGIL_EXECUTOR_TIMEOUT_MS: '200' }));
    const started = Date.now();
    const failed = await h.services.actions.execute(request(h, 'DISABLE_USER', { user: 'mallory' }).id);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(failed).toMatchObject({ status: 'FAILED', reason: 'directory executor did not answer within 200 ms' });
    await h.close();

    ({ h } = await withCase({ VIGIL_EXECUTOR_DIRECTORY_URL: `${slow.url}/moved` }));
    const moved = await h.services.actions.execute(request(h, 'RESET_PASSWORD', { user: 'mallory' }).id);
    expect(moved).toMatchObject({ status: 'FAILED', reason: 'directory executor answered HTTP 307 (redirects are not followed)' });
    expect(slow.seen.map((s) => s.path)).toEqual(['/hang', '/moved']);
  });

  it('backs off a failing TTL revert and notifies its failure once, not at every retry', async () => {
    let down = true;
    const fw = await receiver((s, res) => json(res, down && JSON.parse(s.body).action === 'UNBLOCK_IP' ? 503 : 200, {}));
    stop = fw.close;
    ({ h } = await withCase({ VIGIL_EXECUTOR_FIREWALL_URL: `${fw.url}/fw` }));
    const block = await h.services.actions.execute(request(h, 'BLOCK_IP', { ip: '185.22.13.9', ttl: '1m' }).id);
    const unblocks = () => fw.seen.filter((s) => JSON.parse(s.body).action === 'UNBLOCK_IP').length;
    // Each failure waits twice as long as the one before: 1, 2, 4 minutes (the retry interval is 60 s).
    h.clock.advance(60_000);
    for (const wait of [60_000, 120_000, 240_000]) {
      expect(await h.services.actions.sweepReverts()).toBe(0);
      expect(h.services.actions.get(block.id)).toMatchObject({ status: 'EXECUTED', revertAt: h.clock() + wait });
      h.clock.advance(wait - 1000);
      expect(await h.services.actions.sweepReverts()).toBe(0); // not due yet: no call, no row
      h.clock.advance(1000);
    }
    expect(unblocks()).toBe(3);
    expect(h.services.actions.list({ kinds: ['UNBLOCK_IP'] }, { limit: 10, inverted: false })).toHaveLength(3);
    const failed = notificationsOf(h, 'action.failed').map((n) => JSON.parse(n.payload));
    expect(failed).toHaveLength(1);
    expect(failed[0].text).toContain(`${block.id} stays in force; further failures to revert it are not notified`);
    down = false;
    expect(await h.services.actions.sweepReverts()).toBe(1);
    expect(h.services.actions.get(block.id)!.status).toBe('REVERTED');
    expect(notificationsOf(h, 'action.reverted')).toHaveLength(1);
  });

  it('names a connection failure by its code, never by its message (addresses, ports)', async () => {
    const gone = await receiver(() => {});
    await gone.close();
    ({ h } = await withCase({ VIGIL_EXECUTOR_EDR_URL: `${gone.url}/contain` }));
    const failed = await h.services.actions.execute(request(h, 'ISOLATE_HOST', { host: 'laptop-9' }).id);
    expect(failed).toMatchObject({ status: 'FAILED', reason: 'could not reach the edr executor (ECONNREFUSED)' });
    expect(JSON.parse(notificationsOf(h, 'action.failed')[0]!.payload).text).not.toContain('127.0.0.1');
  });

  it('refuses an executor URL that is not http(s) at startup', async () => {
    const { loadConfig } = await import('../../../src/config.js');
    expect(() => loadConfig({ VIGIL_EXECUTOR_FIREWALL_URL: 'file:///etc/passwd' })).toThrow('VIGIL_EXECUTOR_FIREWALL_URL: must be an http:// or https:// URL');
  });
});

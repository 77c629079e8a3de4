import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { ALL } from '../../src/events.js';
import { shareKey } from '../../src/http/shared-subscriptions.js';
import { parse } from 'graphql';
import { createHarness, type Harness } from '../helpers/harness.js';
import { wsClient } from '../helpers/ws.js';

let h: Harness;
let port: number;
const clients: Client[] = [];
beforeAll(async () => {
  h = createHarness();
  port = await h.app.start(0, '127.0.0.1');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await h.close();
});

function client(token = h.tokens.VIEWER): Client {
  const c = wsClient(port, token);
  clients.push(c);
  return c;
}

/** Subscribes and collects results until disposed; `got` fills as results arrive. */
function follow(c: Client, query: string, variables: Record<string, unknown> = {}) {
  const got: any[] = [];
  const dispose = c.subscribe({ query, variables }, { next: (r) => got.push(r.data ?? r.errors), error: () => undefined, complete: () => undefined });
  return { got, dispose };
}

const until = async (condition: () => boolean) => {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const ACTIVITY = `subscription($kinds: [CaseEventKind!]) { caseActivity(kinds: $kinds) { seq kind summary } }`;
const listeners = () => h.services.caseEvents.listenerCount(ALL);

describe('shared subscription executions', () => {
  it('runs one execution for every subscriber of the same live feed, and stops it when the last one leaves', async () => {
    const a = follow(client(), ACTIVITY, { kinds: ['CREATED'] });
    await until(() => listeners() === 1);
    const b = follow(client(), ACTIVITY, { kinds: ['CREATED'] });
    const other = follow(client(), ACTIVITY, { kinds: ['ALERT_ADDED'] });
    await until(() => listeners() === 2);
    // Same document, variables and role share; other variables get their own execution.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listeners()).toBe(2);

    h.services.pipeline.submit([{ log: 'Nov 23 04:00:01 web-01 sshd[101]: Failed password for root from 185.22.13.9 port 40001 ssh2' }]);
    await until(() => a.got.length === 1 && b.got.length === 1);
    expect(b.got).toEqual(a.got);
    expect(a.got[0].caseActivity.kind).toBe('CREATED');

    a.dispose();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listeners()).toBe(2); // b still holds the shared execution
    b.dispose();
    other.dispose();
    await until(() => listeners() === 0);
  });

  it('never shares a replay, nor across roles', () => {
    const args = (query: string, role: string) => ({ document: parse(query), variableValues: {}, contextValue: { principal: { id: 'k', name: 'k', role } } });
    expect(shareKey(args(`subscription { caseActivity { seq } }`, 'VIEWER'))).toBeDefined();
    expect(shareKey(args(`subscription { caseActivity(afterSeq: 3) { seq } }`, 'VIEWER'))).toBeUndefined();
    expect(shareKey(args(`subscription($id: ID!) { caseEvents(caseId: $id) { seq } }`, 'VIEWER'))).toBeUndefined();
    expect(shareKey(args(`subscription { caseActivity { seq } }`, 'VIEWER'))).not.toBe(shareKey(args(`subscription { caseActivity { seq } }`, 'ADMIN')));
  });
});

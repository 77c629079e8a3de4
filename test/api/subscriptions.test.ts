import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL } from '../../src/events.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { sseEvents } from '../helpers/sse.js';
import WebSocket from 'ws';
import { collectWs, wsClient } from '../helpers/ws.js';

let h: Harness;
let port: number;
beforeAll(async () => {
  h = createHarness();
  port = await h.app.start(0, '127.0.0.1');
});
afterAll(() => h.close());

const SUBMIT = `mutation($log: String!) { submitAlert(input: { log: $log }) { ... on SubmitAlertSuccess { alert { id } } } }`;
const EVENTS = `subscription($id: ID!) { pipelineEvents(alertId: $id) { seq stage status summary alertId } }`;
const STAGES = ['INGEST', 'NORMALIZE', 'EXTRACT', 'CLASSIFY', 'ENRICH', 'SCORE', 'CORRELATE'];

const connect = (token: string) => wsClient(port, token);

async function submit(log: string): Promise<string> {
  return (await h.ok(SUBMIT, { log })).submitAlert.alert.id;
}

describe('live stage events over real sockets', () => {
  it('streams every stage event of an alert, in order, to a graphql-ws and an SSE client subscribed right after submitting', async () => {
    const id = await submit('Failed password for root from 185.22.13.9 port 22 ssh2');
    const client = connect(h.tokens.VIEWER);
    const controller = new AbortController();
    const sse = (async () => {
      const got: any[] = [];
      for await (const payload of sseEvents(`http://127.0.0.1:${port}/graphql`, { query: EVENTS, variables: { id } }, h.tokens.VIEWER, controller.signal)) {
        got.push(payload.data.pipelineEvents);
        if (got.length === STAGES.length) break;
      }
      controller.abort();
      return got;
    })();
    const [wsEvents, sseGot] = await Promise.all([collectWs(client, EVENTS, { id }, STAGES.length), sse]);
    await client.dispose();
    for (const events of [wsEvents, sseGot]) {
      expect(events.map((e) => e.stage)).toEqual(STAGES);
      expect(events.every((e) => e.alertId === id && e.status === 'COMPLETED')).toBe(true);
      expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    }
    expect(wsEvents.find((e) => e.stage === 'EXTRACT').summary).toMatch(/found 2 IOCs/);
  });

  it('replays stored events to a late subscriber, then streams live ones without duplicates', async () => {
    const id = await submit('Accepted password for alice from 192.0.2.10 port 40000 ssh2');
    // Let the pipeline finish, so everything so far is history.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const client = connect(h.tokens.VIEWER);
    const collecting = collectWs(client, EVENTS, { id }, 2 * STAGES.length);
    await new Promise((resolve) => setTimeout(resolve, 100));
    h.services.pipeline.reprocess(id, 'test');
    const events = await collecting;
    await client.dispose();
    expect(events.map((e) => e.stage)).toEqual([...STAGES, ...STAGES]);
    expect(new Set(events.map((e) => e.seq)).size).toBe(2 * STAGES.length);
    expect(events[STAGES.length].summary).toBe('reprocessing requested by test');
  });

  it('feeds pipelineActivity with events of every alert, filtered', async () => {
    const client = connect(h.tokens.VIEWER);
    const collecting = collectWs(client, `subscription { pipelineActivity(filter: { stages: [EXTRACT] }) { stage alertId } }`, {}, 2);
    // A live feed has no history: wait until the server holds the subscription before submitting.
    while (h.services.stageEvents.listenerCount(ALL) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const ids = [await submit('first line for activity'), await submit('second line for activity')];
    const events = await collecting;
    await client.dispose();
    expect(events.map((e) => e.stage)).toEqual(['EXTRACT', 'EXTRACT']);
    expect(events.map((e) => e.alertId).sort()).toEqual([...ids].sort());
  });

  it('closes a graphql-ws connection without a valid key with 4403, and refuses SSE with 401', async () => {
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer wrong' } })));
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    expect(closed).toEqual({ code: 4403, reason: 'Forbidden' });
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: EVENTS, variables: { id: 'alt_x' } }),
    });
    expect(response.status).toBe(401);
  });

  it('answers a subscription to an unknown alert with a clear error', async () => {
    const client = connect(h.tokens.VIEWER);
    await expect(collectWs(client, EVENTS, { id: 'alt_missing' }, 1)).rejects.toThrow(/no alert with id alt_missing/);
    await client.dispose();
  });
});

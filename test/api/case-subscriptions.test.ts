import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { createHarness, settle, type Harness } from '../helpers/harness.js';
import { collectWs, wsClient } from '../helpers/ws.js';

let h: Harness;
let port: number;
let client: Client;
beforeAll(async () => {
  h = createHarness();
  port = await h.app.start(0, '127.0.0.1');
  client = wsClient(port, h.tokens.VIEWER);
});
afterAll(async () => {
  await client.dispose();
  await h.close();
});

const sshFailure = (i: number, host: string, ip: string) => `Nov 23 04:00:${String(i).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`;

const collect = (query: string, variables: Record<string, unknown>, count: number) => collectWs(client, query, variables, count);

async function untilListening(key: string, n = 1): Promise<void> {
  while (h.services.caseEvents.listenerCount(key) < n) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('case subscriptions over a real graphql-ws socket', () => {
  it('caseActivity streams only events of matching cases and kinds', async () => {
    const activity = collect(
      `subscription { caseActivity(filter: { category: [BRUTE_FORCE] }, kinds: [CREATED, ALERT_ADDED]) { seq kind actor summary case { number category } } }`,
      {},
      2,
    );
    await untilListening('*');
    h.services.pipeline.submit([{ alert: { message: 'Malware detected: Trojan.GenericKD in invoice.exe', host: 'laptop-9', sha256: 'b'.repeat(64), program: 'defender' } }]);
    await settle(h);
    h.services.pipeline.submit([{ log: sshFailure(1, 'web-01', '185.22.13.9') }, { log: sshFailure(2, 'web-01', '185.22.13.9') }]);
    const events = await activity;
    expect(events.map((e) => e.kind)).toEqual(['CREATED', 'ALERT_ADDED']);
    expect(events.every((e) => e.case.category === 'BRUTE_FORCE' && e.actor === 'system:correlator')).toBe(true);
    expect(events[0].seq).toBeLessThan(events[1].seq);
  });

  it('caseEvents replays the stored events to a late subscriber, then streams live ones once each', async () => {
    await settle(h);
    const found = await h.ok(`{ cases(filter: { text: "web-01" }) { edges { node { id events { seq kind } } } } }`);
    const { id, events: stored } = found.cases.edges[0].node;
    expect(stored.map((e: any) => e.kind)).toEqual(['CREATED', 'ALERT_ADDED']);
    const subscription = collect(`subscription($id: ID!) { caseEvents(caseId: $id) { seq kind summary } }`, { id }, 3);
    await untilListening(id);
    h.services.pipeline.submit([{ log: sshFailure(3, 'web-01', '185.22.13.9') }]);
    const got = await subscription;
    expect(got.map((e) => e.kind)).toEqual(['CREATED', 'ALERT_ADDED', 'ALERT_ADDED']);
    expect(new Set(got.map((e) => e.seq)).size).toBe(3);
    expect(got[2].summary).toMatch(/\(3 alerts\): shares 185\.22\.13\.9/);
  });

  it('refuses caseEvents for a case that does not exist', async () => {
    await expect(collect(`subscription { caseEvents(caseId: "cas_nope") { seq } }`, {}, 1)).rejects.toThrow(/no case with id cas_nope/);
  });
});

describe('long histories', () => {
  it('replays every stored event after afterSeq, page by page, and Case.events pages with first and afterSeq', async () => {
    await settle(h);
    const found = await h.ok(`{ cases(filter: { text: "web-01" }) { edges { node { id } } } }`);
    const caseId = found.cases.edges[0].node.id;
    const start = h.services.database.sqlite.prepare('SELECT max(seq) AS seq FROM case_events').get() as { seq: number };
    h.services.cases.transaction(() => {
      for (let i = 0; i < 1200; i++) h.services.caseJournal.record({ caseId, kind: 'COMMENTED', actor: 'bulk', summary: `note ${i}`, audit: { action: 'case.comment', after: { i } } });
    });
    const replayed = await collect(`subscription($after: Int) { caseActivity(afterSeq: $after, kinds: [COMMENTED]) { seq summary } }`, { after: start.seq }, 1200);
    expect(replayed.map((e) => e.summary)).toEqual(Array.from({ length: 1200 }, (_, i) => `note ${i}`));
    const page = await h.ok(`query($id: ID!, $after: Int) { case(id: $id) { events(first: 2, afterSeq: $after) { seq summary } } }`, { id: caseId, after: replayed[499].seq });
    expect(page.case.events).toEqual([replayed[500], replayed[501]]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, settle, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const sshFailure = (i: number, host: string, ip: string) => `Nov 23 04:00:${String(i).padStart(2, '0')} ${host} sshd[${1000 + i}]: Failed password for root from ${ip} port ${40000 + i} ssh2`;

async function threeCases() {
  h = createHarness();
  h.services.pipeline.submit([{ log: sshFailure(1, 'web-01', '185.22.13.9') }, { log: sshFailure(2, 'web-01', '185.22.13.9') }]);
  await settle(h);
  h.clock.advance(60_000);
  h.services.pipeline.submit([{ log: sshFailure(3, 'db-02', '203.0.113.50') }]);
  await settle(h);
  h.clock.advance(60_000);
  h.services.pipeline.submit([{ alert: { message: 'Malware detected: Trojan.GenericKD quarantined failed, file C:\\Users\\bob\\invoice.exe', host: 'laptop-9', sha256: 'a'.repeat(64), program: 'defender' } }]);
  await settle(h);
}

const LIST = `query($filter: CaseFilter, $orderBy: CaseOrder, $first: Int, $after: String) {
  cases(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    edges { cursor node { id number title status severity score category alertCount tags techniques version } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('case queries', () => {
  it('lists cases newest first, filters them, orders them and pages through them', async () => {
    await threeCases();
    const all = await h.ok(LIST);
    const numbers = all.cases.edges.map((e: any) => e.node.number);
    expect(numbers.length).toBeGreaterThanOrEqual(2);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    const brute = await h.ok(LIST, { filter: { category: ['BRUTE_FORCE'], status: ['NEW'] } });
    expect(brute.cases.edges.map((e: any) => e.node.title).sort()).toEqual(['Brute Force on db-02 from 203.0.113.50', 'Brute Force on web-01 from 185.22.13.9']);
    expect(brute.cases.edges.find((e: any) => e.node.title.includes('web-01')).node).toMatchObject({ alertCount: 2, techniques: ['T1110.001'] });
    const text = await h.ok(LIST, { filter: { text: 'DB-02' } });
    expect(text.cases.edges).toHaveLength(1);

    const byNumber = await h.ok(LIST, { orderBy: { field: 'NUMBER', direction: 'ASC' }, first: 1 });
    expect(byNumber.cases.edges[0].node.number).toBe(1);
    const next = await h.ok(LIST, { orderBy: { field: 'NUMBER', direction: 'ASC' }, first: 1, after: byNumber.cases.pageInfo.endCursor });
    expect(next.cases.edges[0].node.number).toBe(2);
  });

  it('answers case(number) and case(id) with alerts, observables and Alert.case, and refuses both or neither', async () => {
    await threeCases();
    const one = await h.ok(`{ case(number: 1) { id number alerts { linkedBy reason alert { id case { number } } } observables { isIoc role ioc { type value } } } }`);
    expect(one.case.alerts).toHaveLength(2);
    expect(one.case.alerts.map((a: any) => a.linkedBy)).toEqual(['OPENED', 'IOC']);
    expect(one.case.alerts[0].alert.case.number).toBe(1);
    expect(one.case.observables).toContainEqual({ isIoc: true, role: 'SOURCE', ioc: { type: 'IPV4', value: '185.22.13.9' } });
    expect(one.case.observables).toContainEqual({ isIoc: false, role: 'USER', ioc: { type: 'USERNAME', value: 'root' } });
    const byId = await h.ok(`query($id: ID!) { case(id: $id) { number } node(id: $id) { ... on Case { number } } }`, { id: one.case.id });
    expect(byId).toEqual({ case: { number: 1 }, node: { number: 1 } });
    const both = await h.gql(`{ case(id: "cas_x", number: 1) { id } }`);
    expect(both.errors?.[0]?.message).toBe('give exactly one of `id` or `number`');
    const badCursor = await h.gql(LIST, { after: 'not-a-cursor' });
    expect(badCursor.errors?.[0]?.message).toMatch(/^not a case list cursor/);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, settle, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeEach(() => {
  h = createHarness({ VIGIL_MAX_BATCH: '3', VIGIL_MAX_PAGE: '50' });
});
afterEach(() => h.close());

const SUBMIT = `mutation Submit($input: AlertInput!) {
  submitAlert(input: $input) {
    __typename
    ... on SubmitAlertSuccess { duplicate alert { id status } job { id status } }
    ... on ValidationError { code field message }
  }
}`;

const ALERT = `query Alert($id: ID!) {
  alert(id: $id) {
    id status format message source occurrenceCount
    normalized { srcIp srcPort user program }
    iocs { role ioc { type value sightings ip { private loopback reserved } } }
    events { seq stage status summary }
    job { status stage attempts error }
  }
}`;

describe('submitAlert over GraphQL', () => {
  it('stores the seed line, runs the pipeline and finds the source IP and user', async () => {
    const data = await h.ok(SUBMIT, { input: { log: 'Failed password for root from 185.22.13.9 port 22 ssh2' } });
    expect(data.submitAlert).toMatchObject({ __typename: 'SubmitAlertSuccess', duplicate: false, alert: { status: 'RECEIVED' }, job: { status: 'PENDING' } });
    await settle(h);
    const { alert } = await h.ok(ALERT, { id: data.submitAlert.alert.id });
    expect(alert).toMatchObject({ status: 'PROCESSED', normalized: { srcIp: '185.22.13.9', srcPort: 22, user: 'root' }, job: { status: 'COMPLETED', stage: 'DONE', attempts: 1, error: null } });
    expect(alert.iocs).toEqual(
      expect.arrayContaining([
        { role: 'SOURCE', ioc: { type: 'IPV4', value: '185.22.13.9', sightings: 1, ip: { private: false, loopback: false, reserved: false } } },
        { role: 'USER', ioc: { type: 'USERNAME', value: 'root', sightings: 1, ip: null } },
      ]),
    );
    expect(alert.events.map((e: { stage: string }) => e.stage)).toEqual(['INGEST', 'NORMALIZE', 'EXTRACT', 'CLASSIFY', 'ENRICH', 'SCORE', 'CORRELATE']);
    expect(alert.events.every((e: { status: string }) => e.status === 'COMPLETED')).toBe(true);
  });

  it('answers bad input with a typed ValidationError naming the problem', async () => {
    const cases = [
      [{}, 'MISSING'],
      [{ log: '' }, 'EMPTY'],
      [{ alert: 'not json' }, 'INVALID_JSON'],
      [{ alert: [1] }, 'WRONG_TYPE'],
      [{ log: 'x'.repeat(70_000) }, 'TOO_LARGE'],
    ] as const;
    for (const [input, code] of cases) {
      const data = await h.ok(SUBMIT, { input });
      expect(data.submitAlert).toMatchObject({ __typename: 'ValidationError', code });
    }
  });

  it('refuses a wrongly typed variable with a GraphQL error, not a crash', async () => {
    const result = await h.gql(SUBMIT, { input: { log: 12 } });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.message).toMatch(/String cannot represent a non string value/);
  });

  it('records a repeat as an occurrence and another sighting of its IOCs', async () => {
    const input = { log: 'Invalid user admin from 203.0.113.50 port 4242' };
    const first = await h.ok(SUBMIT, { input });
    await settle(h);
    const again = await h.ok(SUBMIT, { input });
    expect(again.submitAlert).toMatchObject({ duplicate: true, job: null, alert: { id: first.submitAlert.alert.id } });
    const { alert } = await h.ok(ALERT, { id: first.submitAlert.alert.id });
    expect(alert.occurrenceCount).toBe(2);
    expect(alert.iocs.find((l: any) => l.ioc.value === 'admin').ioc.sightings).toBe(2);
  });

  it('accepts a batch, reporting rejected items by index', async () => {
    const data = await h.ok(
      `mutation($alerts: [AlertInput!]!) { submitAlerts(alerts: $alerts) { __typename
        ... on SubmitAlertsSuccess { accepted { index duplicate alert { id } } rejected { index code field message } }
        ... on ValidationError { code message } } }`,
      { alerts: [{ log: 'sshd: Accepted password for bob from 10.0.0.5 port 22 ssh2' }, { alert: '{oops' }, { log: 'another line' }] },
    );
    expect(data.submitAlerts.accepted.map((a: any) => a.index)).toEqual([0, 2]);
    expect(data.submitAlerts.rejected).toEqual([{ index: 1, code: 'INVALID_JSON', field: 'alert', message: expect.stringMatching(/^`alert` is not valid JSON/) }]);
    const tooMany = await h.ok(`mutation($alerts: [AlertInput!]!) { submitAlerts(alerts: $alerts) { __typename ... on ValidationError { code message } } }`, {
      alerts: Array.from({ length: 4 }, (_, i) => ({ log: `l${i}` })),
    });
    expect(tooMany.submitAlerts).toEqual({ __typename: 'ValidationError', code: 'BATCH_TOO_LARGE', message: 'the batch has 4 alerts, over the limit of 3' });
  });

  it('normalizes a structured alert sent as JSON', async () => {
    const wazuh = {
      timestamp: '2026-11-23T03:59:00.000+0000',
      rule: { level: 10, description: 'sshd: brute force trying to get access to the system.', id: '5712', groups: ['syslog', 'sshd', 'authentication_failures'], mitre: { id: ['T1110'] } },
      agent: { id: '001', name: 'web-01' },
      data: { srcip: '198.51.100.23', srcuser: 'oracle' },
      full_log: 'Nov 23 03:59:00 web-01 sshd[2211]: Failed password for invalid user oracle from 198.51.100.23 port 51515 ssh2',
    };
    const data = await h.ok(SUBMIT, { input: { alert: wazuh, source: 'wazuh', sourceRef: 'a-1' } });
    await settle(h);
    const { alert } = await h.ok(ALERT, { id: data.submitAlert.alert.id });
    expect(alert).toMatchObject({ format: 'WAZUH', source: 'wazuh', normalized: { srcIp: '198.51.100.23' } });
    expect(alert.iocs.map((l: any) => `${l.role}:${l.ioc.value}`)).toEqual(expect.arrayContaining(['SOURCE:198.51.100.23']));
  });
});

describe('alert and IOC queries', () => {
  async function seed(): Promise<string[]> {
    const ids: string[] = [];
    for (const log of ['Failed password for root from 185.22.13.9 port 22 ssh2', 'Accepted publickey for deploy from 10.1.2.3 port 5000 ssh2', 'kernel: eth0 link up']) {
      ids.push((await h.ok(SUBMIT, { input: { log, source: log.startsWith('kernel') ? 'kern' : 'auth' } })).submitAlert.alert.id);
      h.clock.advance(1000);
    }
    await settle(h);
    return ids;
  }

  it('pages alerts newest first with cursors and filters by status, source, time and text', async () => {
    const ids = await seed();
    const page1 = await h.ok(`{ alerts(first: 2) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`);
    expect(page1.alerts.edges.map((e: any) => e.node.id)).toEqual([ids[2], ids[1]]);
    expect(page1.alerts.pageInfo.hasNextPage).toBe(true);
    const page2 = await h.ok(`query($after: String) { alerts(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }`, { after: page1.alerts.pageInfo.endCursor });
    expect(page2.alerts.edges.map((e: any) => e.node.id)).toEqual([ids[0]]);
    expect(page2.alerts.pageInfo.hasNextPage).toBe(false);

    const filtered = async (filter: object) =>
      (await h.ok(`query($f: AlertFilter) { alerts(filter: $f) { edges { node { id } } } }`, { f: filter })).alerts.edges.map((e: any) => e.node.id);
    expect(await filtered({ source: ['kern'] })).toEqual([ids[2]]);
    expect(await filtered({ text: 'PUBLICKEY' })).toEqual([ids[1]]);
    expect(await filtered({ text: '100%_' })).toEqual([]);
    expect(await filtered({ status: ['FAILED'] })).toEqual([]);
    expect(await filtered({ receivedAfter: '2026-11-23T04:00:01Z', receivedBefore: '2026-11-23T04:00:01.500Z' })).toEqual([ids[1]]);
  });

  it('refuses a page larger than the cap and a malformed DateTime', async () => {
    const big = await h.gql(`{ alerts(first: 51) { edges { cursor } } }`);
    expect(big.errors?.[0]?.message).toBe('`first` must be between 0 and 50, got 51');
    const badTime = await h.gql(`{ alerts(filter: { receivedAfter: "yesterday" }) { edges { cursor } } }`);
    expect(badTime.errors?.[0]?.message).toMatch(/RFC 3339/);
  });

  it('finds an IOC by a non-normalized value, with its alerts and roles', async () => {
    const ids = await seed();
    const data = await h.ok(`{ ioc(type: IPV4, value: " 185.22.13.9 ") { id value sightings firstSeenAt alerts(first: 5) { edges { roles node { id } } } } }`);
    expect(data.ioc).toMatchObject({ value: '185.22.13.9', sightings: 1, firstSeenAt: '2026-11-23T04:00:00.000Z' });
    expect(data.ioc.alerts.edges).toEqual([{ roles: ['SOURCE'], node: { id: ids[0] } }]);
    const none = await h.ok(`{ ioc(type: DOMAIN, value: "nothing.example") { id } }`);
    expect(none.ioc).toBeNull();
    const list = await h.ok(`{ iocs(filter: { type: [USERNAME] }) { edges { node { value } } } }`);
    expect(list.iocs.edges.map((e: any) => e.node.value).sort()).toEqual(['deploy', 'root']);
    const byNode = await h.ok(`query($id: ID!) { node(id: $id) { __typename ... on Ioc { value } } }`, { id: data.ioc.id });
    expect(byNode.node).toEqual({ __typename: 'Ioc', value: '185.22.13.9' });
  });
});

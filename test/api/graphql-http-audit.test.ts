import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAudits } from 'graphql-http';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let url: string;
beforeAll(async () => {
  h = createHarness();
  url = `http://127.0.0.1:${await h.app.start(0, '127.0.0.1')}/graphql`;
});
afterAll(() => h.close());

/** The audits speak to the real server over HTTP, as an authenticated viewer. */
const authenticatedFetch = (input: RequestInfo | URL, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${h.tokens.VIEWER}`);
  return fetch(input, { ...init, headers });
};

describe('GraphQL over HTTP conformance (graphql-http server audits)', () => {
  for (const audit of serverAudits({ url: () => url, fetchFn: authenticatedFetch })) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      // MUST audits have to pass; SHOULD and MAY audits are reported but only MUSTs decide conformance.
      if (audit.name.startsWith('MUST')) expect(result, `${result.status}: ${'reason' in result ? result.reason : ''}`).toMatchObject({ status: 'ok' });
      else expect(['ok', 'warn', 'notice']).toContain(result.status);
    });
  }
});

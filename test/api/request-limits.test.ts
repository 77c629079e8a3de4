import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let port: number;
beforeAll(async () => {
  h = createHarness({ VIGIL_MAX_REQUEST_BYTES: '4096' });
  port = await h.app.start(0, '127.0.0.1');
});
afterAll(() => h.close());

function post(body: string, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${h.tokens.ANALYST}`, ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': Buffer.byteLength(body) }) } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    if (chunked) for (let i = 0; i < body.length; i += 1000) req.write(body.slice(i, i + 1000));
    else req.write(body);
    req.end();
  });
}

describe('request limits', () => {
  const big = JSON.stringify({ query: 'mutation($l: String!) { submitAlert(input: { log: $l }) { __typename } }', variables: { l: 'x'.repeat(5000) } });

  it('refuses a body over VIGIL_MAX_REQUEST_BYTES with 413, declared or streamed', async () => {
    for (const chunked of [false, true]) {
      const response = await post(big, chunked).catch((error: NodeJS.ErrnoException) => ({ status: error.code === 'ECONNRESET' ? 413 : 0, body: 'reset' }));
      expect(response.status).toBe(413);
    }
    expect(h.services.database.sqlite.prepare('SELECT count(*) AS n FROM alerts').get()).toEqual({ n: 0 });
  });

  it('refuses queries nested too deep or with too many aliases, naming the limit', async () => {
    const depth = await h.gql(`{ alerts { edges { node { iocs { ioc { alerts { edges { node { iocs { ioc { alerts { edges { node { id } } } } } } } } } } } } } }`);
    expect(depth.errors?.[0]?.message).toMatch(/Query depth limit of 12 exceeded/);
    const aliases = await h.gql(`{ ${Array.from({ length: 25 }, (_, i) => `a${i}: viewer { name }`).join(' ')} }`);
    expect(aliases.errors?.[0]?.message).toMatch(/Aliases limit of 20 exceeded/);
  });
});

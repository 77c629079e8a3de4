import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

const SUBMIT = `mutation { submitAlert(input: { log: "hello" }) { __typename } }`;

describe('authentication and roles', () => {
  it('answers a missing or wrong key with 401 and a message saying what to send', async () => {
    for (const token of [undefined, 'vgl_nope_nope', '']) {
      const response = await h.app.yoga.fetch('http://vigil.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
        body: JSON.stringify({ query: '{ viewer { name } }' }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.errors[0]).toMatchObject({ message: expect.stringContaining('Authorization: Bearer'), extensions: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('accepts the admin token from the environment', async () => {
    expect((await h.ok('{ viewer { id role } }', undefined, ADMIN_TOKEN)).viewer).toEqual({ id: 'env:VIGIL_ADMIN_TOKEN', role: 'ADMIN' });
  });

  it('lets a viewer read but not submit, with a clear FORBIDDEN error', async () => {
    expect((await h.ok('{ viewer { role } alerts { edges { cursor } } }', undefined, h.tokens.VIEWER)).viewer.role).toBe('VIEWER');
    const result = await h.gql(SUBMIT, undefined, h.tokens.VIEWER);
    expect(result.errors?.[0]).toMatchObject({ message: expect.stringContaining('Mutation.submitAlert needs a more powerful role than VIEWER'), extensions: { code: 'FORBIDDEN' } });
    expect(h.services.database.sqlite.prepare('SELECT count(*) AS n FROM alerts').get()).toEqual({ n: 0 });
    expect((await h.ok(SUBMIT, undefined, h.tokens.ANALYST)).submitAlert.__typename).toBe('SubmitAlertSuccess');
  });

  it('keeps key management for admins', async () => {
    for (const role of ['ANALYST', 'RESPONDER'] as const) {
      const result = await h.gql('mutation { createApiKey(name: "x", role: ADMIN) { __typename } }', undefined, h.tokens[role]);
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const list = await h.gql('{ apiKeys { edges { node { id } } } }', undefined, h.tokens[role]);
      expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('creates, lists and revokes keys; a revoked key is refused; only a hash is stored', async () => {
    const created = await h.ok(
      'mutation { createApiKey(name: "  siem forwarder ", role: ANALYST) { __typename ... on CreateApiKeySuccess { token apiKey { id name role prefix revokedAt } } } }',
      undefined,
      h.tokens.ADMIN,
    );
    const { token, apiKey } = created.createApiKey;
    expect(apiKey).toMatchObject({ name: 'siem forwarder', role: 'ANALYST', revokedAt: null });
    expect(token).toMatch(new RegExp(`^vgl_${apiKey.prefix}_[A-Za-z0-9_-]{32}$`));
    const stored = h.services.database.sqlite.prepare('SELECT * FROM api_keys WHERE id = ?').get(apiKey.id) as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain(token.slice(`vgl_${apiKey.prefix}_`.length));
    expect((await h.ok(SUBMIT, undefined, token)).submitAlert.__typename).toBe('SubmitAlertSuccess');

    const listed = await h.ok('{ apiKeys(first: 10) { edges { node { name } } } }', undefined, h.tokens.ADMIN);
    expect(listed.apiKeys.edges.map((e: any) => e.node.name)).toContain('siem forwarder');

    const revoked = await h.ok(`mutation($id: ID!) { revokeApiKey(id: $id) { __typename ... on RevokeApiKeySuccess { apiKey { revokedAt } } } }`, { id: apiKey.id }, h.tokens.ADMIN);
    expect(revoked.revokeApiKey.apiKey.revokedAt).toBe('2026-11-23T04:00:00.000Z');
    expect((await h.gql('{ viewer { name } }', undefined, token)).status).toBe(401);

    const missing = await h.ok('mutation { revokeApiKey(id: "key_nope") { __typename ... on NotFoundError { message } } }', undefined, h.tokens.ADMIN);
    expect(missing.revokeApiKey).toEqual({ __typename: 'NotFoundError', message: 'no ApiKey with id key_nope' });
    const empty = await h.ok('mutation { createApiKey(name: "  ", role: VIEWER) { __typename ... on ValidationError { code field } } }', undefined, h.tokens.ADMIN);
    expect(empty.createApiKey).toEqual({ __typename: 'ValidationError', code: 'EMPTY', field: 'name' });
    const impostor = await h.ok('mutation { createApiKey(name: "system:correlator", role: RESPONDER) { __typename ... on ValidationError { code field } } }', undefined, h.tokens.ADMIN);
    expect(impostor.createApiKey).toEqual({ __typename: 'ValidationError', code: 'INVALID_VALUE', field: 'name' });

    const audit = h.services.database.sqlite.prepare('SELECT action, actor FROM audit_log ORDER BY created_at, id').all();
    expect(audit).toEqual(expect.arrayContaining([{ action: 'api_key.create', actor: expect.stringMatching(/^key_/) }, { action: 'api_key.revoke', actor: expect.stringMatching(/^key_/) }]));
  });
});

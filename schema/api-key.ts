/** API keys and the calling principal. */
import { builder } from './builder.js';
import { NotFoundError, ValidationError } from './errors.js';
import { RoleEnum } from './enums.js';
import { resolvePage } from './pagination.js';
import { ApiKeyRef } from './refs.js';
import type { ApiKeyRecord } from '../src/auth/api-keys.js';
import type { Principal } from '../src/auth/roles.js';

builder.node(ApiKeyRef, {
  description: 'An API key. Only a hash of its secret is stored; the token is shown once, at creation.',
  id: { resolve: (k) => k.id },
  authScopes: { role: 'ADMIN' },
  loadOne: (id, ctx) => ctx.services.apiKeys.get(id),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'What it is for.' }),
    role: t.field({ type: RoleEnum, description: 'What it may do.', resolve: (k) => k.role }),
    prefix: t.exposeString('prefix', { description: 'The visible part of the token (`vgl_<prefix>_...`), to tell keys apart.' }),
    createdBy: t.exposeString('createdBy', { description: 'Principal that created it.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was created.', resolve: (k) => k.createdAt }),
    lastUsedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was last used (to the minute).', resolve: (k) => k.lastUsedAt }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was revoked; a revoked key is refused.', resolve: (k) => k.revokedAt }),
  }),
});

const Viewer = builder.objectRef<Principal>('Viewer').implement({
  description: 'The principal making the request.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Key id, or `env:VIGIL_ADMIN_TOKEN`.' }),
    name: t.exposeString('name', { description: 'Key name.' }),
    role: t.field({ type: RoleEnum, description: 'Its role.', resolve: (p) => p.role }),
  }),
});

const CreateApiKeySuccess = builder.objectRef<{ key: ApiKeyRecord; token: string }>('CreateApiKeySuccess').implement({
  description: 'The new key and its token. Store the token now: it cannot be shown again.',
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, description: 'The key.', resolve: (r) => r.key }),
    token: t.exposeString('token', { description: 'Send as `Authorization: Bearer <token>`.' }),
  }),
});

const RevokeApiKeySuccess = builder.objectRef<{ key: ApiKeyRecord }>('RevokeApiKeySuccess').implement({
  description: 'The key is revoked.',
  fields: (t) => ({ apiKey: t.field({ type: ApiKeyRef, description: 'The key.', resolve: (r) => r.key }) }),
});

const MAX_NAME = 100;

builder.queryFields((t) => ({
  viewer: t.field({ type: Viewer, description: 'Who you are, by your API key.', resolve: (_root, _args, ctx) => ctx.principal }),
  apiKeys: t.connection({
    type: ApiKeyRef,
    description: 'API keys, newest first (admin).',
    authScopes: { role: 'ADMIN' },
    resolve: (_root, args, ctx) =>
      resolvePage(args, ctx.services.config.maxPage, (page) => ctx.services.apiKeys.list({ limit: page.limit, afterId: page.after })),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeySuccess,
    description: 'Creates an API key (admin). The token is in the answer, once.',
    authScopes: { role: 'ADMIN' },
    errors: { types: [ValidationError], directResult: true, union: { name: 'CreateApiKeyResult' } },
    args: {
      name: t.arg.string({ required: true, description: `What it is for (1-${MAX_NAME} characters).` }),
      role: t.arg({ type: RoleEnum, required: true, description: 'What it may do.' }),
    },
    resolve: (_root, args, ctx) => {
      const name = args.name.trim();
      if (name === '') throw new ValidationError('EMPTY', 'name', '`name` is empty');
      if (name.length > MAX_NAME) throw new ValidationError('TOO_LARGE', 'name', `\`name\` is longer than ${MAX_NAME} characters`);
      // Key names are the actors recorded on changes; Vigil's own actors must not be impersonated (a change
      // by `system:correlator` or `playbook:...` starts playbooks without a human approval gate).
      if (/^(?:system|playbook|env):/i.test(name)) throw new ValidationError('INVALID_VALUE', 'name', '`name` may not start with system:, playbook: or env: (names Vigil uses for its own actions)');
      return ctx.services.apiKeys.create({ name, role: args.role }, ctx.principal);
    },
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeySuccess,
    description: 'Revokes an API key (admin); requests with it are refused from then on.',
    authScopes: { role: 'ADMIN' },
    errors: { types: [NotFoundError], directResult: true, union: { name: 'RevokeApiKeyResult' } },
    args: { id: t.arg.id({ required: true, description: 'Key id.' }) },
    resolve: (_root, args, ctx) => {
      const key = ctx.services.apiKeys.revoke(String(args.id), ctx.principal);
      if (!key) throw new NotFoundError('ApiKey', String(args.id));
      return { key };
    },
  }),
}));

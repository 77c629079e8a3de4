/**
 * API keys: `vgl_<prefix>_<secret>` tokens, of which only a SHA-256 is stored. The secret has 192
 * random bits, so a fast hash is enough: there is nothing to brute-force that a slow KDF would slow.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { newId, IdPrefix } from '../ids.js';
import { isRole, type Principal, type Role } from './roles.js';
import type { AuditLog } from '../store/audit-log.js';
import { selectList } from '../store/records.js';
import { apiKeys } from '../../db/schema.js';

export type ApiKeyRecord = Omit<typeof apiKeys.$inferSelect, 'role' | 'hash'> & { role: Role };

/** lastUsedAt is a hint, not an audit trail: write it at most once a minute per key. */
const LAST_USED_GRANULARITY_MS = 60_000;

export const ADMIN_TOKEN_PRINCIPAL: Principal = { id: 'env:VIGIL_ADMIN_TOKEN', name: 'admin token', role: 'ADMIN' };

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function createApiKeyService(deps: { sqlite: Database.Database; clock: Clock; audit: AuditLog; adminToken?: string | undefined }) {
  const { sqlite, clock, audit } = deps;
  const adminHash = deps.adminToken ? sha256(deps.adminToken) : undefined;
  const columns = selectList(apiKeys, { omit: ['hash'] });
  const byHash = sqlite.prepare<[string], ApiKeyRecord>(`SELECT ${columns} FROM api_keys WHERE hash = ?`);
  const byId = sqlite.prepare<[string], ApiKeyRecord>(`SELECT ${columns} FROM api_keys WHERE id = ?`);
  const touch = sqlite.prepare<[number, string]>('UPDATE api_keys SET last_used_at = ? WHERE id = ?');
  const insert = sqlite.prepare(
    'INSERT INTO api_keys (id, name, role, prefix, hash, created_by, created_at) VALUES (@id, @name, @role, @prefix, @hash, @createdBy, @createdAt)',
  );
  const revoke = sqlite.prepare<[number, string]>('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');

  return {
    /** The principal a bearer token stands for, or undefined when it is unknown or revoked. */
    authenticate(token: string): Principal | undefined {
      const hash = sha256(token);
      if (adminHash && timingSafeEqual(hash, adminHash)) return ADMIN_TOKEN_PRINCIPAL;
      const key = byHash.get(hash.toString('hex'));
      if (!key || key.revokedAt !== null || !isRole(key.role)) return undefined;
      const now = clock();
      if (key.lastUsedAt === null || now - key.lastUsedAt > LAST_USED_GRANULARITY_MS) touch.run(now, key.id);
      return { id: key.id, name: key.name, role: key.role };
    },

    /** Creates a key; the token is returned once and never stored. */
    create(input: { name: string; role: Role }, actor: Principal): { key: ApiKeyRecord; token: string } {
      const now = clock();
      const prefix = randomBytes(4).toString('hex');
      const token = `vgl_${prefix}_${randomBytes(24).toString('base64url')}`;
      const id = newId(IdPrefix.ApiKey, now);
      sqlite.transaction(() => {
        insert.run({ id, name: input.name, role: input.role, prefix, hash: sha256(token).toString('hex'), createdBy: actor.id, createdAt: now });
        audit.record({ actor: actor.id, action: 'api_key.create', entityType: 'ApiKey', entityId: id, after: { name: input.name, role: input.role, prefix } });
      })();
      return { key: byId.get(id)!, token };
    },

    get(id: string): ApiKeyRecord | undefined {
      return byId.get(id);
    },

    /** Newest first, keyset-paginated by id. */
    list(page: { limit: number; afterId?: string | undefined }): ApiKeyRecord[] {
      const sql = `SELECT ${columns} FROM api_keys ${page.afterId ? 'WHERE id < ?' : ''} ORDER BY id DESC LIMIT ?`;
      const params = page.afterId ? [page.afterId, page.limit] : [page.limit];
      return sqlite.prepare<unknown[], ApiKeyRecord>(sql).all(...params);
    },

    /** Revokes a key; revoking twice is harmless. Undefined when there is no such key. */
    revoke(id: string, actor: Principal): ApiKeyRecord | undefined {
      const before = byId.get(id);
      if (!before) return undefined;
      sqlite.transaction(() => {
        if (revoke.run(clock(), id).changes > 0) {
          audit.record({ actor: actor.id, action: 'api_key.revoke', entityType: 'ApiKey', entityId: id, before: { revokedAt: null }, after: { revokedAt: clock() } });
        }
      })();
      return byId.get(id);
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;

/** The token of an `Authorization: Bearer <token>` header value, if well formed. */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ \t]{1,8}(\S{1,512})[ \t]*$/i.exec(header);
  return match?.[1];
}

/** Authentication for HTTP requests and graphql-ws connections, with the 401/403 answers both share. */
import { GraphQLError } from 'graphql';
import { bearerToken, type ApiKeyService } from '../auth/api-keys.js';
import { hasRole, type Principal, type Role } from '../auth/roles.js';

export const UNAUTHENTICATED_MESSAGE = 'Missing or invalid API key: send `Authorization: Bearer <token>` (on graphql-ws: connectionParams `{ "authorization": "Bearer <token>" }`).';

export type AuthResult = { ok: true; principal: Principal } | { ok: false; status: 401 | 403; message: string };

export function authenticateHeader(apiKeys: ApiKeyService, header: string | null | undefined, required: Role = 'VIEWER'): AuthResult {
  const token = bearerToken(header);
  const principal = token ? apiKeys.authenticate(token) : undefined;
  if (!principal) return { ok: false, status: 401, message: UNAUTHENTICATED_MESSAGE };
  if (!hasRole(principal.role, required)) return { ok: false, status: 403, message: `Forbidden: this needs the ${required} role; your key has ${principal.role}.` };
  return { ok: true, principal };
}

/** graphql-ws clients put the credentials in connectionParams; accept the header's spelling and a bare token. */
export function authorizationFromConnectionParams(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!params) return undefined;
  const value = params.authorization ?? params.Authorization ?? (params.token ? `Bearer ${String(params.token)}` : undefined);
  return typeof value === 'string' ? value : undefined;
}

export function unauthenticatedError(): GraphQLError {
  return new GraphQLError(UNAUTHENTICATED_MESSAGE, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer realm="vigil"' } } },
  });
}

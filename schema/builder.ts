/**
 * The Pothos builder. Plugin order matters: scope-auth first (so authorization wraps everything), then
 * errors (expected outcomes as union members; no default error types, so internal messages never leak),
 * then relay (connections, node).
 */
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { hasRole, type Role } from '../src/auth/roles.js';
import { typeOfId } from '../src/ids.js';
import type { GraphQLContext } from './context.js';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: { role: Role };
  Scalars: {
    DateTime: { Input: number; Output: number };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (context) => ({ role: (required: Role) => hasRole(context.principal.role, required) }),
    authorizeOnSubscribe: true,
    unauthorizedError: (_parent, context, info, result) =>
      new GraphQLError(`Forbidden: ${info.parentType.name}.${info.fieldName} needs a more powerful role than ${context.principal.role} (${result.message})`, {
        extensions: { code: 'FORBIDDEN', http: { status: 403 } },
      }),
  },
  errors: {
    defaultTypes: [],
    defaultUnionOptions: { description: 'The result on success, or an expected error (switch on __typename).' },
  },
  relay: {
    cursorType: 'String',
    clientMutationId: 'omit',
    // Ids are already globally unique and typed by their prefix (alt_, ioc_, ...): use them as they are.
    encodeGlobalID: (_typename, id) => String(id),
    idFieldOptions: { description: 'Unique id; its prefix names the type (alt_, ioc_, job_, key_, cas_, tsk_, ...).' },
    nodeTypeOptions: { description: 'An object that can be fetched by id with `node(id)`.' },
    nodeQueryOptions: { description: 'Any object by id.' },
    nodesQueryOptions: { description: 'Any objects by id.' },
    pageInfoTypeOptions: { description: 'Where a page sits in the whole list.' },
    hasNextPageFieldOptions: { description: 'More items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item on this page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item: pass it as `after` for the next page.' },
    defaultConnectionTypeOptions: { description: 'A page of a list.' },
    defaultEdgeTypeOptions: { description: 'An item of a list, with its cursor.' },
    edgesFieldOptions: { description: 'The items on this page.' },
    pageInfoFieldOptions: { description: 'Paging information.' },
    cursorFieldOptions: { description: 'Opaque position of this item, for `after`/`before`.' },
    nodeFieldOptions: { description: 'The item.' },
    decodeGlobalID: (globalID) => {
      const typename = typeOfId(globalID);
      if (!typename) throw new GraphQLError(`not a Vigil id: ${globalID}`, { extensions: { code: 'BAD_USER_INPUT' } });
      return { typename, id: globalID };
    },
  },
});

builder.queryType({ description: 'Read alerts, IOCs, cases and the pipeline.' });
builder.mutationType({ description: 'Submit and reprocess alerts; work cases; manage API keys.' });
builder.subscriptionType({ description: 'Live pipeline stage events and case events.' });

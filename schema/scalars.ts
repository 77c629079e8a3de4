/** Scalars: DateTime (ISO 8601 on the wire, epoch milliseconds inside) and JSON. */
import { GraphQLError, Kind } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import { builder } from './builder.js';

// RFC 3339 date-time with an explicit offset: a time without one would be read in the server's zone.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/i;

function parseDateTime(value: unknown): number {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw new GraphQLError(`DateTime must be an RFC 3339 string with a time zone, such as 2026-11-23T04:00:00Z; got ${JSON.stringify(value)}`);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new GraphQLError(`DateTime ${value} is not a valid date`);
  return ms;
}

builder.scalarType('DateTime', {
  description: 'An instant as an RFC 3339 string in UTC, e.g. 2026-11-23T04:00:00.000Z.',
  serialize: (value) => new Date(value).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.addScalarType('JSON', JSONResolver);

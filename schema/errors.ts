/**
 * Expected failures, returned as members of a result union rather than thrown into `errors`, so clients
 * can switch on `__typename` and read structured fields.
 */
import { ConflictError, NotFoundError, ValidationError } from '../src/errors.js';
import { builder } from './builder.js';

export { ConflictError, NotFoundError, ValidationError };

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected failure with a message for people.',
  fields: (t) => ({ message: t.exposeString('message', { description: 'What went wrong, for people.' }) }),
});

export const ValidationCodeEnum = builder.enumType('ValidationCode', {
  description: 'Why an input was refused.',
  values: {
    MISSING: { description: 'A required input is absent.' },
    AMBIGUOUS: { description: 'Inputs that exclude each other were both given.' },
    EMPTY: { description: 'The input is empty.' },
    TOO_LARGE: { description: 'The input is over its size limit.' },
    INVALID_JSON: { description: 'The text is not valid JSON.' },
    WRONG_TYPE: { description: 'The input has the wrong type (e.g. an array where an object is needed).' },
    TOO_DEEP: { description: 'The JSON nests deeper than allowed.' },
    INVALID_VALUE: { description: 'The input is of the right type but not an allowed value.' },
    BATCH_TOO_LARGE: { description: 'The batch holds more items than allowed.' },
  } as const,
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input was refused; nothing was stored for it.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    code: t.field({ type: ValidationCodeEnum, description: 'Machine-readable reason.', resolve: (e) => e.code }),
    field: t.exposeString('field', { description: 'The input field at fault, e.g. `alert` or `sourceRef`.' }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The entity does not exist.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    entity: t.exposeString('entity', { description: 'What kind of entity was looked for.' }),
    id: t.exposeString('id', { description: 'The id that was looked for.' }),
  }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The entity is in a state that does not allow the change (e.g. still being processed, or changed by someone else since you read it).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    currentVersion: t.exposeInt('currentVersion', { nullable: true, description: 'When the version you sent was stale: the version it is at now. Reload and apply your change again.' }),
  }),
});

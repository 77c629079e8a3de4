/**
 * Expected failures the engine reports and the API returns as typed results (the GraphQL layer registers
 * these classes as union members), so callers switch on the kind instead of parsing messages.
 */
import type { ValidationCode } from './engine/ingest/validate.js';

export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    readonly code: ValidationCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`no ${entity} with id ${id}`);
  }
}

/** The entity is in a state that does not allow the change; `currentVersion` is set when a version was stale. */
export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(
    message: string,
    readonly currentVersion: number | null = null,
  ) {
    super(message);
  }
}

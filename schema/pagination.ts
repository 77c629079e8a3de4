/** Relay connections over keyset pages, with `first`/`last` bounded by configuration. */
import { resolveCursorConnection, type DefaultConnectionArguments } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { Page } from '../src/store/page.js';

const DEFAULT_PAGE = 20;

export interface PageShape<T> {
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null };
  edges: Array<{ cursor: string; node: T }>;
}

export function resolvePage<T extends { id: string }>(
  args: DefaultConnectionArguments,
  maxPage: number,
  load: (page: Page) => T[],
  /** Cursors are ids unless the order needs more (e.g. a sort key and the id). */
  toCursor: (node: T) => string = (node) => node.id,
): Promise<PageShape<T>> {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && (value < 0 || value > maxPage)) {
      throw new GraphQLError(`\`${name}\` must be between 0 and ${maxPage}, got ${value}`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
  }
  // resolveCursorConnection cannot carry a generic node type through its conditional types: restate it.
  return resolveCursorConnection(
    { args, toCursor: (node) => toCursor(node as T), defaultSize: Math.min(DEFAULT_PAGE, maxPage), maxSize: maxPage },
    (page): T[] => load(page),
  ) as Promise<PageShape<T>>;
}

/**
 * Shares one execution of a live-only subscription among every subscriber sending the same document and
 * variables with the same role. graphql-ws and SSE otherwise execute the selection once per subscriber per
 * event (DESIGN section 6 measured 3x the CPU per delivered message for a crowd of dashboards).
 *
 * Only the activity feeds are shared, and only without a replay (`afterSeq`): a replay is per subscriber,
 * since each must get the history before its own moment of joining. Results do not depend on who asked
 * beyond the role (authorization is decided at subscribe time), so the role is part of the key.
 */
import { Kind, print, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../../schema/context.js';

const SHAREABLE = new Set(['pipelineActivity', 'caseActivity']);
/** Beyond this many undelivered results a subscriber is too slow and is ended with an error. */
const MAX_BUFFERED = 10_000;

type Results = AsyncIterableIterator<ExecutionResult>;
type SubscribeArgs = { document: import('graphql').DocumentNode; operationName?: string | null | undefined; variableValues?: Record<string, unknown> | null | undefined; contextValue: unknown };

interface Feed {
  push(result: ExecutionResult): void;
  end(): void;
  iterator: Results;
}

interface Shared {
  source: Promise<Results | ExecutionResult>;
  feeds: Set<Feed>;
}

export function shareKey(args: SubscribeArgs): string | undefined {
  const operation = args.document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!args.operationName || d.name?.value === args.operationName),
  );
  if (operation?.operation !== 'subscription' || operation.selectionSet.selections.length !== 1) return undefined;
  const [field] = operation.selectionSet.selections;
  if (field?.kind !== Kind.FIELD || !SHAREABLE.has(field.name.value)) return undefined;
  if (field.arguments?.some((a) => a.name.value === 'afterSeq')) return undefined;
  const role = (args.contextValue as Partial<GraphQLContext>).principal?.role;
  return JSON.stringify([role ?? null, print(args.document), args.operationName ?? null, args.variableValues ?? {}]);
}

const isIterable = (value: Results | ExecutionResult): value is Results => typeof (value as Results)[Symbol.asyncIterator] === 'function';

function createFeed(leave: () => void): Feed {
  const buffer: ExecutionResult[] = [];
  let waiting: ((result: IteratorResult<ExecutionResult>) => void) | undefined;
  let ended = false;
  let failed: Error | undefined;
  const finish = (): Promise<IteratorResult<ExecutionResult>> => {
    if (!ended) {
      ended = true;
      buffer.length = 0;
      leave();
    }
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
    return Promise.resolve({ value: undefined, done: true });
  };
  const iterator: Results = {
    next() {
      if (buffer.length > 0) return Promise.resolve({ value: buffer.shift()!, done: false });
      if (failed) return Promise.reject(failed);
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: finish,
    throw: (error?: unknown) => finish().then(() => Promise.reject(error)),
    [Symbol.asyncIterator]: () => iterator,
  };
  return {
    iterator,
    push(result) {
      if (ended) return;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: result, done: false });
      } else if (buffer.length >= MAX_BUFFERED) {
        failed = new Error('subscriber fell too far behind the event stream');
        void finish();
      } else buffer.push(result);
    },
    end() {
      if (!ended) {
        ended = true;
        waiting?.({ value: undefined, done: true });
        waiting = undefined;
      }
    },
  };
}

export function useSharedSubscriptions(): Plugin<GraphQLContext> {
  const shared = new Map<string, Shared>();

  function start(key: string, source: Promise<Results | ExecutionResult>): Shared {
    const entry: Shared = { source, feeds: new Set() };
    shared.set(key, entry);
    void source.then(async (results) => {
      if (!isIterable(results)) return;
      try {
        for await (const result of results) for (const feed of entry.feeds) feed.push(result);
      } finally {
        for (const feed of entry.feeds) feed.end();
        if (shared.get(key) === entry) shared.delete(key);
      }
    });
    return entry;
  }

  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const key = shareKey(args);
      if (!key) return;
      setSubscribeFn(async (subscribeArgs) => {
        const entry = shared.get(key) ?? start(key, Promise.resolve(subscribeFn(subscribeArgs)) as Promise<Results | ExecutionResult>);
        const results = await entry.source;
        // An error result (e.g. a refused subscription) is not a stream: each subscriber gets it as it is.
        if (!isIterable(results)) {
          if (shared.get(key) === entry) shared.delete(key);
          return results;
        }
        const feed = createFeed(() => {
          entry.feeds.delete(feed);
          if (entry.feeds.size > 0) return;
          // The last subscriber left: stop the shared execution.
          if (shared.get(key) === entry) shared.delete(key);
          void results.return?.();
        });
        entry.feeds.add(feed);
        return feed.iterator;
      });
    },
  };
}

/**
 * In-process publish/subscribe with typed channels. A subscription registers its listener the moment it
 * is created (not on first read), so a caller can subscribe, then read stored history, and know that
 * nothing published in between is lost; the replay helper removes the overlap by sequence number.
 */
import { EventEmitter } from 'node:events';

/** Beyond this many undelivered events a subscriber is too slow and is ended with an error. */
const MAX_BUFFERED = 10_000;
export const ALL = '*';

export interface Subscription<T> extends AsyncIterableIterator<T> {
  return(): Promise<IteratorResult<T>>;
}

export interface Channel<T> {
  /** Delivers to subscribers of `key` and of ALL. */
  publish(key: string, payload: T): void;
  subscribe(key: string): Subscription<T>;
  listenerCount(key: string): number;
}

export function createChannel<T>(): Channel<T> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);

  return {
    publish(key, payload) {
      emitter.emit(key, payload);
      if (key !== ALL) emitter.emit(ALL, payload);
    },
    listenerCount: (key) => emitter.listenerCount(key),
    subscribe(key) {
      const buffer: T[] = [];
      let waiting: ((result: IteratorResult<T>) => void) | undefined;
      let failed: Error | undefined;
      let done = false;

      const listener = (payload: T) => {
        if (waiting) {
          const resolve = waiting;
          waiting = undefined;
          resolve({ value: payload, done: false });
        } else if (buffer.length >= MAX_BUFFERED) {
          failed = new Error('subscriber fell too far behind the event stream');
          emitter.off(key, listener);
        } else {
          buffer.push(payload);
        }
      };
      emitter.on(key, listener);

      const finish = (): Promise<IteratorResult<T>> => {
        done = true;
        emitter.off(key, listener);
        buffer.length = 0;
        if (waiting) waiting({ value: undefined, done: true });
        waiting = undefined;
        return Promise.resolve({ value: undefined, done: true });
      };

      const subscription: Subscription<T> = {
        next() {
          if (buffer.length > 0) return Promise.resolve({ value: buffer.shift()!, done: false });
          if (failed) return Promise.reject(failed);
          if (done) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => {
            waiting = resolve;
          });
        },
        return: finish,
        throw(error?: unknown) {
          void finish();
          return Promise.reject(error);
        },
        [Symbol.asyncIterator]() {
          return subscription;
        },
      };
      return subscription;
    },
  };
}

/**
 * Yields the stored history, then live events, each once and in order: subscribe first, then read
 * history, then skip live events whose sequence number was already replayed.
 */
export function replayThenLive<T extends { seq: number }>(live: Subscription<T>, history: () => Iterable<T>): AsyncGenerator<T> {
  return endsWith(replay(live, history), live);
}

/**
 * Makes `return()` of a generator that waits on `source` take effect at once. A generator's own return()
 * waits until its pending `await` settles (the next event, which may never come), so a client that
 * unsubscribes from a quiet stream would keep its listener; ending the source first settles that await.
 */
export function endsWith<T>(generator: AsyncGenerator<T>, source: { return(value?: undefined): Promise<unknown> }): AsyncGenerator<T> {
  const wrapped: AsyncGenerator<T> = {
    next: (...args) => generator.next(...args),
    return: async (value) => {
      await source.return();
      return generator.return(value);
    },
    throw: async (error) => {
      await source.return();
      return generator.throw(error);
    },
    [Symbol.asyncIterator]: () => wrapped,
  };
  return wrapped;
}

/** The events of `source` that `keep` accepts; ending it ends the source at once. */
export function filtered<T>(source: AsyncIterableIterator<T> & { return(value?: undefined): Promise<unknown> }, keep: (event: T) => boolean): AsyncGenerator<T> {
  async function* matching(): AsyncGenerator<T> {
    try {
      for await (const event of source) if (keep(event)) yield event;
    } finally {
      await source.return();
    }
  }
  return endsWith(matching(), source);
}

async function* replay<T extends { seq: number }>(live: Subscription<T>, history: () => Iterable<T>): AsyncGenerator<T> {
  let last = -Infinity;
  try {
    for (const event of history()) {
      last = event.seq;
      yield event;
    }
    for await (const event of live) {
      if (event.seq <= last) continue;
      last = event.seq;
      yield event;
    }
  } finally {
    await live.return();
  }
}

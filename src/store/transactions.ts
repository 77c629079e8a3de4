/**
 * Transactions with after-commit callbacks. Live events (case changes published to subscribers) must leave
 * only once what they describe is committed: a callback registered inside a transaction runs when the
 * outermost transaction commits, and is dropped if the (sub)transaction it was registered in rolls back.
 */
import type Database from 'better-sqlite3';

export interface Transactions {
  /** Runs `fn` in a transaction (a savepoint when nested). `fn` must be synchronous. */
  run<T>(fn: () => T): T;
  /** Runs `callback` once the current transaction commits, or now when there is none. */
  afterCommit(callback: () => void): void;
}

const perDatabase = new WeakMap<Database.Database, Transactions>();

/** One manager per connection, so every store sharing the connection shares the pending callbacks. */
export function transactionsOf(sqlite: Database.Database): Transactions {
  let manager = perDatabase.get(sqlite);
  if (!manager) {
    manager = createTransactions(sqlite);
    perDatabase.set(sqlite, manager);
  }
  return manager;
}

function createTransactions(sqlite: Database.Database): Transactions {
  let pending: Array<() => void> = [];

  const runAll = (callbacks: ReadonlyArray<() => void>) => {
    for (const callback of callbacks) {
      try {
        callback();
      } catch (error) {
        // A failing listener must not undo or hide a committed change.
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'AfterCommitWarning');
      }
    }
  };

  return {
    run(fn) {
      const outermost = !sqlite.inTransaction;
      const mark = pending.length;
      let result;
      try {
        result = sqlite.transaction(fn)();
      } catch (error) {
        pending.length = mark;
        throw error;
      }
      if (outermost) {
        const callbacks = pending;
        pending = [];
        runAll(callbacks);
      }
      return result;
    },
    afterCommit(callback) {
      if (sqlite.inTransaction) pending.push(callback);
      else runAll([callback]);
    },
  };
}

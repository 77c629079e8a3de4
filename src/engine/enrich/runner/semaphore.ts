/** A counting semaphore: at most `limit` holders, the rest queue in arrival order. */
export interface Semaphore {
  acquire(): Promise<() => void>;
  readonly inFlight: number;
}

export function createSemaphore(limit: number): Semaphore {
  let active = 0;
  const queue: Array<() => void> = [];

  const release = () => {
    const next = queue.shift();
    // Hand the slot straight to the next waiter so a newcomer cannot overtake it.
    if (next) next();
    else active -= 1;
  };

  return {
    get inFlight() {
      return active;
    },
    acquire() {
      let released = false;
      const once = () => {
        if (released) return;
        released = true;
        release();
      };
      if (active < limit) {
        active += 1;
        return Promise.resolve(once);
      }
      return new Promise((resolve) => queue.push(() => resolve(once)));
    },
  };
}

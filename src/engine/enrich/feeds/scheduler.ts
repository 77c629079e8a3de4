/**
 * Reloads feeds on their intervals. Each feed chains its own timer after its load settles, so a slow
 * load never overlaps the next one. Timers are injected: tests drive them without waiting.
 */
import type { FeedConfig } from './types.js';

/** Runs `fn` after `ms`; returns a function that cancels it. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

export interface FeedSchedule {
  /** Settles when every feed's first load has settled. */
  ready: Promise<void>;
  /** Cancels pending reloads; a load in flight finishes but schedules nothing more. */
  stop(): void;
}

/** Feed providers ask for polite polling (abuse.ch: at most every 5 minutes); below a minute is a mistake. */
export const MIN_REFRESH_MS = 60_000;

/** Node timers that do not keep the process alive for a reload. */
export const nodeSetTimer: SetTimer = (fn, ms) => {
  const handle = setTimeout(fn, ms);
  handle.unref();
  return () => clearTimeout(handle);
};

export function scheduleFeeds(
  configs: readonly FeedConfig[],
  loader: (config: FeedConfig) => Promise<unknown>,
  setTimer: SetTimer,
  options: { initialLoad?: boolean } = {},
): FeedSchedule {
  let stopped = false;
  const cancels = new Map<string, () => void>();

  const run = async (config: FeedConfig): Promise<void> => {
    cancels.delete(config.name);
    try {
      await loader(config);
    } catch {
      // The loader records its own failures; a throw here must not end the schedule.
    }
    if (stopped || config.refreshMs === undefined) return;
    cancels.set(config.name, setTimer(() => void run(config), Math.max(config.refreshMs, MIN_REFRESH_MS)));
  };

  const first = configs.map((config) => {
    if (options.initialLoad === false) {
      if (config.refreshMs !== undefined) cancels.set(config.name, setTimer(() => void run(config), Math.max(config.refreshMs, MIN_REFRESH_MS)));
      return Promise.resolve();
    }
    return run(config);
  });

  return {
    ready: Promise.all(first).then(() => undefined),
    stop() {
      stopped = true;
      for (const cancel of cancels.values()) cancel();
      cancels.clear();
    },
  };
}

/** Time as an injected dependency, so tests run on a fixed clock. Epoch milliseconds. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** A clock tests can set and advance. */
export function fixedClock(start: number): Clock & { set(t: number): void; advance(ms: number): void } {
  let t = start;
  const clock = (() => t) as Clock & { set(t: number): void; advance(ms: number): void };
  clock.set = (v) => {
    t = v;
  };
  clock.advance = (ms) => {
    t += ms;
  };
  return clock;
}

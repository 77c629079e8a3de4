/**
 * How long a block or isolation lasts. Playbooks write durations as nftables does (`90s`, `30m`, `24h`,
 * `7d`); a number is milliseconds, like every `_MS` setting.
 */
export const MIN_TTL_MS = 1000;
export const MAX_TTL_MS = 90 * 86_400_000;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d{1,7})([smhd])$/;

/** Milliseconds, or the problem as text. */
export function parseTtl(value: string | number): number | string {
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else {
    const m = DURATION.exec(value.trim());
    if (!m) return `ttl ${JSON.stringify(value.slice(0, 40))} is not a duration like 90s, 30m, 24h or 7d`;
    ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }
  if (!Number.isInteger(ms) || ms < MIN_TTL_MS || ms > MAX_TTL_MS) return `ttl must be between 1s and 90d, got ${typeof value === 'number' ? `${value} ms` : value}`;
  return ms;
}

/** The largest whole unit nftables understands: 86400000 -> `24h` (hours rather than days, as operators write it), 90000 -> `90s`. */
export function formatTtl(ms: number): string {
  if (ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  if (ms % UNIT_MS.m === 0) return `${ms / UNIT_MS.m}m`;
  return `${Math.ceil(ms / 1000)}s`;
}

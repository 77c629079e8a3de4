/**
 * Timestamp parsing with strict, bounded patterns. Date.parse is avoided on untrusted text: it accepts
 * almost anything (`Date.parse('1')` is a date in 2001) and its non-ISO behaviour is implementation-defined.
 * Times without a zone are taken as UTC: the sender's zone is unknown and UTC is at least stable.
 */

const DAY_MS = 86_400_000;

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

export function monthIndex(name: string): number | undefined {
  return Object.hasOwn(MONTHS, name) ? MONTHS[name] : undefined;
}

/** Date.UTC with range checks, so `Feb 31` is rejected instead of rolling into March. */
function utc(year: number, month: number, day: number, h: number, m: number, s: number, ms: number): number | undefined {
  if (month < 0 || month > 11 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return undefined;
  const t = Date.UTC(year, month, day, h, m, Math.min(s, 59), ms);
  const d = new Date(t);
  if (!Number.isFinite(t) || d.getUTCDate() !== day || d.getUTCMonth() !== month) return undefined;
  return t;
}

function fractionMs(fraction: string | undefined): number {
  return fraction ? Number((fraction + '00').slice(0, 3)) : 0;
}

/** Minutes east of UTC for `Z`, `UTC`, `+05:30`, `+0530`, `+05`; undefined for an unknown zone. */
function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || /^(?:z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const mins = Number(m[3] ?? '0');
  if (hours > 23 || mins > 59) return undefined;
  const minutes = hours * 60 + mins;
  return m[1] === '-' ? -minutes : minutes;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)? ?([Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;

/** RFC 3339 / ISO 8601 and the `YYYY-MM-DD hh:mm:ss.sss` form Windows shippers use. */
export function parseIso(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  const t = utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), fractionMs(m[7]));
  return t === undefined ? undefined : t - offset * 60_000;
}

/**
 * A BSD (RFC 3164) date. Without a year, takes the year of `now`, or the year before when that would
 * put the event more than a day in the future (a December line read in January).
 */
export function bsdTime(
  month: number,
  day: number,
  h: number,
  m: number,
  s: number,
  ms: number,
  year: number | undefined,
  now: number,
): number | undefined {
  if (year !== undefined) return utc(year, month, day, h, m, s, ms);
  const thisYear = new Date(now).getUTCFullYear();
  const t = utc(thisYear, month, day, h, m, s, ms);
  if (t !== undefined && t <= now + DAY_MS) return t;
  // Feb 29 may only exist in the previous year, so a failed current-year date also tries it.
  return utc(thisYear - 1, month, day, h, m, s, ms);
}

const BSD =
  /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: (UTC|GMT|Z|[+-]\d{2}:?\d{2}|[A-Z]{3,4}))?$/;

/** `Mmm dd [yyyy] hh:mm:ss[.sss] [zone]`, the BSD form CEF `rt` also uses. */
export function parseBsd(text: string, now: number): number | undefined {
  const m = BSD.exec(text);
  if (!m) return undefined;
  const month = monthIndex(m[1] ?? '');
  if (month === undefined) return undefined;
  const t = bsdTime(month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), fractionMs(m[7]), m[3] ? Number(m[3]) : undefined, now);
  // Named zones other than UTC (EST, CEST...) are ambiguous abbreviations: keep the wall time as UTC.
  const offset = offsetMinutes(m[8]) ?? 0;
  return t === undefined ? undefined : t - offset * 60_000;
}

/** Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude. */
export function fromEpoch(n: number): number | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  if (n < 1e11) return Math.round(n * 1000);
  if (n < 1e14) return Math.round(n);
  if (n < 1e17) return Math.round(n / 1000);
  if (n < 1e20) return Math.round(n / 1e6);
  return undefined;
}

/** Any timestamp a source may send: epoch numbers or digit strings, ISO text, BSD text. */
export function parseTimestamp(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text.length < 8 || text.length > 40) return undefined;
  if (/^\d{9,20}(?:\.\d{1,9})?$/.test(text)) return fromEpoch(Number(text));
  return parseIso(text) ?? parseBsd(text, now);
}

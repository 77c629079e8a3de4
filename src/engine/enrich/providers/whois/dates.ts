/**
 * WHOIS dates come in many spellings. `Date.parse` reads zone-less date-times as local time and guesses
 * at the rest, so the known registry formats are read here explicitly, as UTC unless a zone is given.
 */
const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

const YMD = /^(\d{4})[-./](\d{2})[-./](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const DMY = /^(\d{2})[.-](\d{2})[.-](\d{4})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const D_MON_Y = /^(\d{1,2})[- ]([a-z]{3})[a-z]*[- ](\d{4})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?)?$/i;

const pad = (n: string | number | undefined, width = 2): string => String(n ?? 0).padStart(width, '0');

function iso(y: string, mo: string | number, d: string, h?: string, mi?: string, s?: string, frac?: string, zone?: string): string | undefined {
  const offset = zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${frac ?? ''}${offset}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** ISO 8601 UTC, or undefined when the spelling is not one we can read without guessing. */
export function parseWhoisDate(raw: string): string | undefined {
  const value = raw
    .trim()
    .replace(/\s*\((?:UTC|GMT)\)$|\s+(?:UTC|GMT)$/i, 'Z')
    .replace(/\s+Z$/, 'Z');
  let m = YMD.exec(value);
  if (m) return iso(m[1]!, m[2]!, m[3]!, m[4], m[5], m[6], m[7], m[8]);
  m = DMY.exec(value);
  if (m) return iso(m[3]!, m[2]!, m[1]!, m[4], m[5], m[6]);
  m = D_MON_Y.exec(value);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    return month === undefined ? undefined : iso(m[3]!, month, m[1]!, m[4], m[5], m[6]);
  }
  return undefined;
}

/** Reads an HTTP `Retry-After` (delay in seconds, or an HTTP date) as epoch ms; undefined when unusable. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return now + Number.parseInt(text, 10) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  // A date in the past (clock skew) still means "now is fine", not "before now".
  return Math.max(at, now);
}

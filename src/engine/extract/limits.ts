/**
 * Bounds that keep one hostile alert from costing more than a few milliseconds or a few kilobytes of
 * IOCs, whatever it contains.
 */
export const EXTRACT_LIMITS = {
  /** Characters of `message` scanned; the rest of an oversized message is ignored. */
  messageChars: 64 * 1024,
  /** Characters of `commandLine` scanned. */
  commandLineChars: 8 * 1024,
  /** Characters scanned per string value of `fields`, and in total over all of them. */
  fieldValueChars: 4 * 1024,
  fieldsTotalChars: 64 * 1024,
  /** Characters of a structured value (host, url, user, ...) considered at all. */
  structuredChars: 2048,
  /** Distinct (type, value, role) entries returned per event. */
  iocs: 500,
  /** Candidates one extractor yields per text, before validation and dedup. */
  candidatesPerKind: 2000,
} as const;

/**
 * The extract stage: IOCs of one normalized event, modelled on ninoseki/ioc-extractor: refang, one
 * extractor per kind, then dedup and a deterministic sort. Pure and bounded: text beyond the caps in
 * `limits.ts` is ignored and at most `EXTRACT_LIMITS.iocs` entries are returned.
 */
import type { ExtractedIoc, NormalizedEvent } from '../types.js';
import { IocCollector } from './collector.js';
import { addStructured } from './fields.js';
import { EXTRACT_LIMITS } from './limits.js';
import { capText, scanText } from './text.js';

export { compareIocs, IocCollector } from './collector.js';
export { FILE_EXTENSION_TLDS, normalizeDomain } from './domain.js';
export { normalizeEmail } from './email.js';
export { hashTypeOf, normalizeHash } from './hash.js';
export { hostIoc, normalizeHostname } from './hostname.js';
export { classifyIp, parseIp, type ParsedIp } from './ip.js';
export { EXTRACT_LIMITS } from './limits.js';
export { detectIoc, normalizeIocValue } from './normalize.js';
export { refang } from './refang.js';
export { normalizeUrl } from './url.js';
export { normalizeUsername } from './username.js';
export { normalizeCve } from './cve.js';

/** String values of `fields` not consumed as structured slots, under a per-value and a total budget. */
function scanFieldValues(fields: NormalizedEvent['fields'], consumed: ReadonlySet<string>, collector: IocCollector): void {
  let budget: number = EXTRACT_LIMITS.fieldsTotalChars;
  for (const [key, value] of Object.entries(fields)) {
    if (budget <= 0) return;
    if (typeof value !== 'string' || consumed.has(key) || value.trim() === '') continue;
    const text = capText(value, Math.min(EXTRACT_LIMITS.fieldValueChars, budget));
    budget -= text.length;
    scanText(text, collector);
  }
}

export function extractIocs(event: NormalizedEvent): ExtractedIoc[] {
  const collector = new IocCollector(EXTRACT_LIMITS.iocs);
  const consumed = addStructured(event, collector);
  if (typeof event.message === 'string') scanText(capText(event.message, EXTRACT_LIMITS.messageChars), collector);
  if (typeof event.commandLine === 'string') scanText(capText(event.commandLine, EXTRACT_LIMITS.commandLineChars), collector);
  if (typeof event.fields === 'object' && event.fields !== null) scanFieldValues(event.fields, consumed, collector);
  return collector.list();
}

/** One entry point per format, for the loader. */
import { FeedFormat, type ParseResult } from '../types.js';
import { parseFeodoCsv, parseFeodoJson } from './feodo.js';
import { parseMispEvent } from './misp.js';
import { parseNetset } from './netset.js';
import { parsePhishTank } from './phishtank.js';
import { parseOpenPhish, parsePlainList } from './plain.js';
import { parseStixBundle } from './stix.js';
import { parseThreatFoxCsv, parseThreatFoxJson } from './threatfox.js';
import { parseUrlhausCsv, parseUrlhausJson } from './urlhaus.js';
import { parseWarningList } from './warninglist.js';

export { parseFeodoCsv, parseFeodoJson } from './feodo.js';
export { parseMispEvent, parseMispManifest, type MispManifestEntry } from './misp.js';
export { parseNetset } from './netset.js';
export { parsePhishTank } from './phishtank.js';
export { parseOpenPhish, parsePlainList } from './plain.js';
export { parseStixBundle, type StixOptions } from './stix.js';
export { parseStixPattern, type PatternOutcome, type StixComparison } from './stix-pattern.js';
export { parseThreatFoxCsv, parseThreatFoxJson } from './threatfox.js';
export { parseUrlhausCsv, parseUrlhausJson } from './urlhaus.js';
export { parseWarningList } from './warninglist.js';

/**
 * Parses one document of a single-document format. MISP_FEED spans several documents (manifest and
 * events) and is assembled by the loader; given here, its text is read as one event.
 */
export function parseFeedText(format: FeedFormat, text: string, now: number): ParseResult {
  switch (format) {
    case FeedFormat.PLAIN:
      return parsePlainList(text);
    case FeedFormat.NETSET:
      return parseNetset(text);
    case FeedFormat.FEODO_JSON:
      return parseFeodoJson(text);
    case FeedFormat.FEODO_CSV:
      return parseFeodoCsv(text);
    case FeedFormat.URLHAUS_CSV:
      return parseUrlhausCsv(text);
    case FeedFormat.URLHAUS_JSON:
      return parseUrlhausJson(text);
    case FeedFormat.THREATFOX_JSON:
      return parseThreatFoxJson(text);
    case FeedFormat.THREATFOX_CSV:
      return parseThreatFoxCsv(text);
    case FeedFormat.PHISHTANK_JSON:
      return parsePhishTank(text);
    case FeedFormat.OPENPHISH:
      return parseOpenPhish(text);
    case FeedFormat.MISP_FEED:
    case FeedFormat.MISP_EVENT:
      return parseMispEvent(text);
    case FeedFormat.STIX21:
      return parseStixBundle(text, { now });
    case FeedFormat.WARNINGLIST:
      return parseWarningList(text);
  }
}

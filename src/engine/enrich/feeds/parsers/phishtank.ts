/** PhishTank `online-valid.json`: an array of verified phishing URLs with their target brand. */
import { IocType } from '../../../types.js';
import { ParseCollector } from '../collector.js';
import { isRecord, parseJson, str } from '../text.js';
import type { ParseResult } from '../types.js';

export function parsePhishTank(text: string): ParseResult {
  const out = new ParseCollector();
  const parsed = parseJson(text);
  if (!parsed.ok || !Array.isArray(parsed.value)) {
    out.fail(parsed.ok ? 'expected a JSON array' : parsed.error);
    return out.result();
  }
  parsed.value.forEach((e: unknown, i) => {
    if (!isRecord(e)) {
      out.skip(`record ${i}: not an object`);
      return;
    }
    const url = str(e, 'url');
    if (url === undefined) {
      out.skip(`record ${i}: no url`);
      return;
    }
    // The online-valid dump holds only verified, online entries; other exports may not.
    if (str(e, 'verified') === 'no' || str(e, 'online') === 'no') {
      out.skip(`record ${i}: not verified or not online`);
      return;
    }
    const target = str(e, 'target');
    out.add(IocType.URL, url, {
      threat: 'phishing',
      description: target !== undefined && target !== 'Other' ? `phishing targeting ${target}` : undefined,
      firstSeen: str(e, 'submission_time'),
      reference: str(e, 'phish_detail_url'),
    });
  });
  return out.result();
}

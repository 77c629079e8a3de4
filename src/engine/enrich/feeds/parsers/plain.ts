/** Plain lists: one value per line with `#`/`;` comments (blocklist.de, OpenPhish, a team's own list). */
import { IocType } from '../../../types.js';
import { ParseCollector } from '../collector.js';
import { eachLine, stripComment, tooBig } from '../text.js';
import type { ParseResult } from '../types.js';

export function parsePlainList(text: string): ParseResult {
  return parseLines(text, 'AUTO');
}

/** OpenPhish `feed.txt`: only URLs; a line that is none is reported rather than guessed at. */
export function parseOpenPhish(text: string): ParseResult {
  return parseLines(text, IocType.URL, { threat: 'phishing' });
}

function parseLines(text: string, kind: 'AUTO' | typeof IocType.URL, meta: Record<string, string> = {}): ParseResult {
  const out = new ParseCollector();
  const big = tooBig(text);
  if (big) {
    out.fail(big);
    return out.result();
  }
  eachLine(text, (line, lineNo) => {
    const value = kind === IocType.URL ? line.trim() : stripComment(line);
    if (value === '' || (kind === IocType.URL && value.startsWith('#'))) return;
    if (/\s/.test(value)) {
      out.skip('more than one value on the line', lineNo);
      return;
    }
    out.add(kind, value, meta, lineNo);
  });
  return out.result();
}

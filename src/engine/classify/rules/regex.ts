/**
 * Rule regexes, compiled with RE2 (Google's engine, through the `re2` native binding): user packs are
 * untrusted, and a backtracking engine would let one pattern like `(a+)+$` stall the pipeline on a long
 * message. RE2 matches in time linear in the input, at the price of no lookaround and no backreferences.
 * (The pure-JS port re2js has the same guarantee but measured 30-50x slower per match here, and rule
 * regexes were 80% of classification time with it.)
 *
 * Packs reuse the same scoping patterns across many rules (YAML anchors), so patterns are compiled once
 * per rule set and each one's verdict on a field is remembered for the rest of the event.
 */
import RE2 from 're2';

export interface CompiledRegex {
  /** Small integer identity, for per-event memo keys. */
  id: number;
  source: string;
  re: RE2;
  /** How many conditions use the pattern. */
  uses: number;
}

export class RegexCache {
  private readonly byKey = new Map<string, CompiledRegex>();

  /** Throws the RE2 syntax error for a pattern RE2 does not accept. */
  compile(source: string, caseSensitive: boolean): CompiledRegex {
    const key = `${caseSensitive ? 'c' : 'i'}:${source}`;
    let entry = this.byKey.get(key);
    if (!entry) {
      // `u`: match code points, as the rule author reads the text.
      entry = { id: this.byKey.size, source, re: new RE2(source, caseSensitive ? 'u' : 'iu'), uses: 0 };
      this.byKey.set(key, entry);
    }
    entry.uses++;
    return entry;
  }

  get size(): number {
    return this.byKey.size;
  }
}

/** The first matching text, for explanations; only called once a test has succeeded. */
export function firstMatch(regex: CompiledRegex, text: string): string {
  return regex.re.exec(text)?.[0] ?? '';
}

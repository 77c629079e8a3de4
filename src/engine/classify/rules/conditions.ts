/**
 * Compiles checked condition specs into evaluators. An evaluator appends a line per condition that held
 * to `out` and takes them back if its group fails, so a match explains itself with exactly the
 * conditions that made it. Within a group, cheap tests (equality, presence) run before regexes, so most
 * rules are refused by their scope (`program in [sshd]`) before any pattern runs.
 */
import { type EventView, type FieldRef, type FoundValue, parseFieldName, type Scalar } from './fields.js';
import { type CompiledRegex, firstMatch, RegexCache } from './regex.js';
import { type ConditionSpec, type GroupSpec, isLeaf, type LeafSpec } from './schema.js';

/** Explanations are built only for rules that end up matching: most conditions that hold belong to rules that do not. */
export type Explain = () => string;
export type Evaluator = (view: EventView, out: Explain[]) => boolean;
type Path = Array<string | number>;
interface Compiled {
  run: Evaluator;
  /** Rough relative price of one evaluation, for ordering siblings. */
  cost: number;
}

/** A condition that passed the schema but cannot be compiled (unknown field, bad regex). */
export class ConditionError extends Error {
  constructor(
    readonly path: Path,
    message: string,
  ) {
    super(message);
  }
}

/** What the conditions of one rule set share: compiled regexes. */
export class CompileContext {
  readonly regexes = new RegexCache();
}

const SHOW_CHARS = 80;
const PATTERN_CHARS = 48;

function show(text: string, max: number = SHOW_CHARS): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Percent-decoding with `+` as space, two rounds at most: double encoding (`%252e`) is a classic filter
 * evasion. Byte by byte rather than decodeURIComponent, so a malformed sequence cannot fail the value.
 */
export function urlDecode(text: string): string {
  let out = text.replace(/\+/g, ' ');
  for (let round = 0; round < 2 && out.includes('%'); round++) {
    const next = out.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    if (next === out) break;
    out = next;
  }
  return out;
}

function asNumber(value: Scalar): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d{1,15}(?:\.\d{1,9})?\s*$/.test(value)) return Number(value);
  return undefined;
}

type Position = (hay: string, needle: string) => boolean;
const includes: Position = (hay, needle) => hay.includes(needle);
const startsWith: Position = (hay, needle) => hay.startsWith(needle);
const endsWith: Position = (hay, needle) => hay.endsWith(needle);

/** Index of the first needle found; a loop rather than a findIndex callback, as it runs per rule and event. */
function firstIn(hay: string, needles: string[], at: Position): number {
  for (let i = 0; i < needles.length; i++) if (at(hay, needles[i]!)) return i;
  return -1;
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Returns a description when the found value satisfies the operator. */
type Test = (view: EventView, found: FoundValue) => Explain | undefined;

function compileRegex(spec: LeafSpec, path: Path, ctx: CompileContext, decode: boolean, suffix: string): Test {
  let regex: CompiledRegex;
  try {
    regex = ctx.regexes.compile(spec.regex ?? '', spec.case_sensitive === true);
  } catch (err) {
    const detail = (err as Error).message;
    throw new ConditionError([...path, 'regex'], `invalid regex (RE2 syntax: no lookaround or backreferences): ${detail}`);
  }
  const kind = `re${regex.id}${decode ? 'u' : ''}`;
  return (view, f) => {
    const text = decode ? view.memo('url', f.label, f.value, urlDecode) : String(f.value);
    // Only patterns that several rules share are worth a memo entry.
    const hit = regex.uses > 1 ? view.testRegex(kind, f.label, regex.re, text) : regex.re.test(text);
    if (!hit) return undefined;
    // The matched text says more to an analyst than the pattern does; both are kept, shortened.
    return () => `${f.label}${suffix} matches /${show(regex.source, PATTERN_CHARS)}/ ("${show(firstMatch(regex, text))}")`;
  };
}

function compileTest(spec: LeafSpec, path: Path, ctx: CompileContext): Test {
  const fold = spec.case_sensitive !== true;
  const decode = spec.decode === 'url';
  const suffix = decode ? ' (url-decoded)' : '';
  const kind = `${fold ? 'lower' : 'raw'}${decode ? '+url' : ''}`;
  const norm = (s: string): string => (fold ? s.toLowerCase() : s);
  const prepare = (t: string): string => norm(decode ? urlDecode(t) : t);
  const textOf = (view: EventView, f: FoundValue): string => view.memo(kind, f.label, f.value, prepare);

  if (spec.regex !== undefined) return compileRegex(spec, path, ctx, decode, suffix);
  if (spec.equals !== undefined || spec.in !== undefined) {
    const items = spec.in ?? [spec.equals as Scalar];
    const strings = new Set(items.map((i) => norm(String(i))));
    const numbers = new Set(items.filter((i): i is number => typeof i === 'number'));
    return (view, f) => {
      const n = numbers.size > 0 ? asNumber(f.value) : undefined;
      const hit = strings.has(textOf(view, f)) || (n !== undefined && numbers.has(n));
      return hit ? () => `${f.label}${suffix} = "${show(String(f.value))}"` : undefined;
    };
  }
  if (spec.contains !== undefined || spec.contains_any !== undefined) {
    const needles = spec.contains_any ?? [spec.contains as string];
    const folded = needles.map(norm);
    return (view, f) => {
      const hay = textOf(view, f);
      const i = firstIn(hay, folded, includes);
      return i < 0 ? undefined : () => `${f.label}${suffix} contains "${show(needles[i] ?? '')}"`;
    };
  }
  if (spec.starts_with !== undefined || spec.ends_with !== undefined) {
    const start = spec.starts_with !== undefined;
    const needles = asList(start ? spec.starts_with : spec.ends_with);
    const folded = needles.map(norm);
    const at = start ? startsWith : endsWith;
    return (view, f) => {
      const i = firstIn(textOf(view, f), folded, at);
      return i < 0 ? undefined : () => `${f.label}${suffix} ${start ? 'starts' : 'ends'} with "${show(needles[i] ?? '')}"`;
    };
  }
  const bounds: Array<[string, number, (a: number, b: number) => boolean]> = [];
  if (spec.gt !== undefined) bounds.push(['>', spec.gt, (a, b) => a > b]);
  if (spec.gte !== undefined) bounds.push(['>=', spec.gte, (a, b) => a >= b]);
  if (spec.lt !== undefined) bounds.push(['<', spec.lt, (a, b) => a < b]);
  if (spec.lte !== undefined) bounds.push(['<=', spec.lte, (a, b) => a <= b]);
  return (_view, f) => {
    const n = asNumber(f.value);
    if (n === undefined || !bounds.every(([, bound, cmp]) => cmp(n, bound))) return undefined;
    return () => `${f.label} ${bounds.map(([op, bound]) => `${op} ${bound}`).join(' and ')} (is ${n})`;
  };
}

function compileLeaf(spec: LeafSpec, path: Path, ctx: CompileContext): Compiled {
  const names = Array.isArray(spec.field) ? spec.field : [spec.field];
  const refs: FieldRef[] = names.map((name, i) => {
    const ref = parseFieldName(name);
    if (typeof ref === 'string') throw new ConditionError([...path, 'field', ...(Array.isArray(spec.field) ? [i] : [])], ref);
    return ref;
  });
  const cost = refs.length * (spec.regex !== undefined ? 10 : spec.decode ? 4 : 1) * (names.some((n) => n.includes('*')) ? 5 : 1);
  if (spec.exists !== undefined) {
    const want = spec.exists;
    const present = (view: EventView): FoundValue | undefined => {
      for (const ref of refs) {
        const found = ref.values(view).find((f) => String(f.value).trim() !== '');
        if (found) return found;
      }
      return undefined;
    };
    const run: Evaluator = (view, out) => {
      const found = present(view);
      if ((found !== undefined) !== want) return false;
      out.push(() => (found ? `${found.label} is present` : `${names.join(' / ')} ${names.length > 1 ? 'are' : 'is'} absent`));
      return true;
    };
    return { run, cost };
  }
  const test = compileTest(spec, path, ctx);
  // A list of fields holds when any of them holds: shippers put the same fact under different keys.
  const run: Evaluator = (view, out) => {
    for (const ref of refs) {
      for (const found of ref.values(view)) {
        const line = test(view, found);
        if (line !== undefined) {
          out.push(line);
          return true;
        }
      }
    }
    return false;
  };
  return { run, cost };
}

function compileGroup(spec: GroupSpec, path: Path, ctx: CompileContext): Compiled {
  const compileList = (key: 'all' | 'any' | 'none'): Evaluator[] | undefined => {
    const items = spec[key]?.map((item, i) => compileNode(item, [...path, key, i], ctx));
    return items?.sort((a, b) => a.cost - b.cost).map((c) => c.run);
  };
  const cost = (['all', 'any', 'none'] as const).reduce((sum, key) => sum + (spec[key]?.length ?? 0), 0) * 10;
  const all = compileList('all');
  const any = compileList('any');
  const none = compileList('none');
  // Plain loops, no closures: this runs for every rule on every event.
  const run: Evaluator = (view, out) => {
    const mark = out.length;
    let ok = true;
    if (all) {
      for (let i = 0; ok && i < all.length; i++) ok = all[i]!(view, out);
    }
    if (ok && none) {
      // What held inside `none` is the reason to refuse, not part of the explanation.
      const scratch: Explain[] = [];
      for (let i = 0; ok && i < none.length; i++) ok = !none[i]!(view, scratch);
    }
    if (ok && any) {
      ok = false;
      for (let i = 0; !ok && i < any.length; i++) ok = any[i]!(view, out);
    }
    if (!ok) out.length = mark;
    return ok;
  };
  return { run, cost };
}

function compileNode(spec: ConditionSpec, path: Path, ctx: CompileContext): Compiled {
  return isLeaf(spec) ? compileLeaf(spec, path, ctx) : compileGroup(spec, path, ctx);
}

/** Throws ConditionError (with the path of the offending key) for a field or regex that cannot be used. */
export function compileCondition(spec: ConditionSpec, path: Path = [], ctx: CompileContext = new CompileContext()): Evaluator {
  return compileNode(spec, path, ctx).run;
}

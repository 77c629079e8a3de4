/**
 * `{{ case.number }}` templates: path lookups into the run's context, nothing else. No expressions, no
 * filters, no code: attacker-controlled text (an alert's message, a username) may end up in the context,
 * and a lookup can only copy it, never run it. Parsing is a linear scan with indexOf.
 */

export const TEMPLATE_ROOTS = ['case', 'alert', 'ioc', 'iocs', 'playbook', 'run', 'trigger'] as const;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/;

export type Part = { text: string } | { path: string[] };

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** Splits a string into literal text and `{{ path }}` lookups; throws a TemplateError naming the problem. */
export function parseTemplate(source: string): Part[] {
  const parts: Part[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) break;
    const close = source.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`unclosed "{{" at character ${open + 1}`);
    if (open > at) parts.push({ text: source.slice(at, open) });
    const expression = source.slice(open + 2, close).trim();
    if (!PATH.test(expression)) throw new TemplateError(`"{{ ${expression} }}" is not a path: templates only look values up, e.g. {{ case.number }} or {{ ioc.value }}`);
    const path = expression.split('.');
    if (!(TEMPLATE_ROOTS as readonly string[]).includes(path[0]!)) {
      throw new TemplateError(`"{{ ${expression} }}": unknown variable "${path[0]}"; use one of ${TEMPLATE_ROOTS.join(', ')}`);
    }
    parts.push({ path });
    at = close + 2;
  }
  if (at < source.length) parts.push({ text: source.slice(at) });
  return parts;
}

/** Every lookup path in a parameter value (strings nested in arrays and objects too). */
export function templatePaths(value: unknown): string[][] {
  if (typeof value === 'string') return parseTemplate(value).flatMap((p) => ('path' in p ? [p.path] : []));
  if (Array.isArray(value)) return value.flatMap(templatePaths);
  if (value && typeof value === 'object') return Object.values(value).flatMap(templatePaths);
  return [];
}

function lookup(context: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = context;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return value.join(', ');
  return JSON.stringify(value);
}

/**
 * Renders a parameter value. A string that is exactly one lookup keeps the looked-up value's type (a
 * number stays a number, a list a list); lookups inside text are joined as text. A missing value renders
 * as null (alone) or '' (inside text).
 */
export function render(value: unknown, context: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const parts = parseTemplate(value);
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only && 'path' in only) return lookup(context, only.path) ?? null;
    return parts.map((p) => ('text' in p ? p.text : asText(lookup(context, p.path)))).join('');
  }
  if (Array.isArray(value)) return value.map((v) => render(v, context));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, context)]));
  return value;
}

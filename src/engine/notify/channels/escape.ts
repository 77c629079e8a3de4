/**
 * Escaping for every format a channel writes. Alert text is attacker-controlled: it must reach people as
 * text, never as markup, links or mentions.
 */

/** HTML text and attribute values (email HTML bodies). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Telegram's HTML parse mode knows only these entities (&#39; would be shown literally). */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Slack mrkdwn: `<`, `>` and `&` are its control characters (links, mentions like <!channel>). */
export function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

/** Cuts text to `max` characters, marking the cut. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A fact's value as one line of text. */
export function factText(value: unknown, max = 200): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return cut(text.replace(/[\r\n\t]+/g, ' '), max);
}

/** Up to `limit` facts as [key, text] pairs, in their order. */
export function factPairs(facts: Record<string, unknown>, limit = 12, max = 200): Array<[string, string]> {
  return Object.entries(facts)
    .slice(0, limit)
    .map(([key, value]) => [cut(key, 60), factText(value, max)]);
}

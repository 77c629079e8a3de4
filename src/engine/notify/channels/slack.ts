/**
 * Slack incoming webhook: Block Kit with a text fallback. Alert text must reach people as text: every
 * mrkdwn string is escaped (`<`, `>`, `&` are how links and mentions like <!channel> are written) and marked
 * `verbatim`, so Slack does not auto-link URLs, channel names or mentions in it either; the fallback `text`
 * (used for push notifications) is escaped too and sent with `parse: none` and `mrkdwn: false`; the header
 * is plain_text, which Slack never parses.
 */
import { cut, escapeSlack, factPairs } from './escape.js';
import { postJson } from './http.js';
import type { Channel, OutgoingNotification } from './types.js';

/** A mrkdwn text object whose text Slack shows as written (no automatic links or mentions). */
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text, verbatim: true });

export function slackMessage(n: OutgoingNotification) {
  const { title, text, facts } = n.payload;
  const pairs = factPairs(facts, 10, 180);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(title, 150), emoji: false } },
    { type: 'section', text: mrkdwn(cut(escapeSlack(text), 3000) || ' ') },
  ];
  if (pairs.length) blocks.push({ type: 'section', fields: pairs.map(([k, v]) => mrkdwn(cut(`*${escapeSlack(k)}*\n${escapeSlack(v)}`, 2000))) });
  blocks.push({ type: 'context', elements: [mrkdwn(escapeSlack(`Vigil · ${n.event}${n.severity ? ` · ${n.severity}` : ''} · ${n.id}`))] });
  return { text: cut(escapeSlack(`${title}: ${text}`), 3000), parse: 'none', mrkdwn: false, blocks, unfurl_links: false, unfurl_media: false };
}

export function slackChannel(config: { name: string; url: string }): Channel {
  return {
    name: config.name,
    type: 'slack',
    secrets: [config.url],
    deliver: (n, signal) => postJson(config.url, JSON.stringify(slackMessage(n)), {}, signal, () => n.attemptAt),
  };
}

/**
 * Slack incoming webhook: Block Kit with a plain-text fallback. Every mrkdwn string is escaped, so alert
 * text cannot make links or mentions (<!channel>); the header is plain_text, which Slack never parses.
 */
import { cut, escapeSlack, factPairs } from './escape.js';
import { postJson } from './http.js';
import type { Channel, OutgoingNotification } from './types.js';

export function slackMessage(n: OutgoingNotification) {
  const { title, text, facts } = n.payload;
  const pairs = factPairs(facts, 10, 180);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(title, 150), emoji: false } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(escapeSlack(text), 3000) || ' ' } },
  ];
  if (pairs.length) blocks.push({ type: 'section', fields: pairs.map(([k, v]) => ({ type: 'mrkdwn', text: cut(`*${escapeSlack(k)}*\n${escapeSlack(v)}`, 2000) })) });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(`Vigil · ${n.event}${n.severity ? ` · ${n.severity}` : ''} · ${n.id}`) }] });
  return { text: cut(escapeSlack(`${title}: ${text}`), 3000), blocks, unfurl_links: false, unfurl_media: false };
}

export function slackChannel(config: { name: string; url: string }): Channel {
  return {
    name: config.name,
    type: 'slack',
    secrets: [config.url],
    deliver: (n, signal) => postJson(config.url, JSON.stringify(slackMessage(n)), {}, signal, () => n.attemptAt),
  };
}

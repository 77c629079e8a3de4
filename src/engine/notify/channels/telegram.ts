/**
 * Telegram Bot API `sendMessage` in HTML parse mode, every piece of text escaped. The base URL is
 * configurable (a local Bot API server, or a loopback receiver in tests); the bot token is in the path,
 * so it is listed as a secret and never appears in a stored error.
 */
import { cut, escapeTelegramHtml, factPairs } from './escape.js';
import { postJson } from './http.js';
import type { Channel, OutgoingNotification } from './types.js';

/** Telegram's limit is 4096 characters after parsing; the raw text is bounded before escaping. */
const MESSAGE_CHARS = 4000;

export function telegramText(n: OutgoingNotification): string {
  const { title, text, facts } = n.payload;
  const factLines = factPairs(facts, 10, 120).map(([k, v]) => `<b>${escapeTelegramHtml(k)}</b>: ${escapeTelegramHtml(v)}`);
  const rawFacts = factPairs(facts, 10, 120).reduce((sum, [k, v]) => sum + k.length + v.length + 3, 0);
  const room = Math.max(100, MESSAGE_CHARS - title.length - rawFacts - 60);
  const footer = `<i>${escapeTelegramHtml(`Vigil · ${n.event}${n.severity ? ` · ${n.severity}` : ''}`)}</i>`;
  return [`<b>${escapeTelegramHtml(title)}</b>`, escapeTelegramHtml(cut(text, room)), factLines.join('\n'), footer].filter(Boolean).join('\n\n');
}

export function telegramChannel(config: { name: string; baseUrl: string; botToken: string; chatId: string }): Channel {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/bot${config.botToken}/sendMessage`;
  return {
    name: config.name,
    type: 'telegram',
    secrets: [config.botToken, url],
    deliver: (n, signal) =>
      postJson(
        url,
        JSON.stringify({ chat_id: config.chatId, text: telegramText(n), parse_mode: 'HTML', link_preview_options: { is_disabled: true } }),
        {},
        signal,
        () => n.attemptAt,
      ),
  };
}

/**
 * Microsoft Teams webhook (Workflows or the classic connector): a message carrying an Adaptive Card.
 * Alert text goes into TextRuns of RichTextBlocks, which Teams shows verbatim (TextBlocks and FactSets
 * would render markdown, i.e. links an attacker could write).
 */
import { cut, factPairs } from './escape.js';
import { postJson } from './http.js';
import type { Channel, OutgoingNotification } from './types.js';

const run = (text: string, style: Record<string, unknown> = {}) => ({ type: 'TextRun', text, ...style });

export function teamsMessage(n: OutgoingNotification) {
  const { title, text, facts } = n.payload;
  const body: unknown[] = [
    { type: 'RichTextBlock', inlines: [run(cut(title, 250), { weight: 'Bolder', size: 'Medium' })] },
    { type: 'RichTextBlock', inlines: [run(cut(text, 4000))] },
    ...factPairs(facts, 12, 200).map(([k, v]) => ({ type: 'RichTextBlock', spacing: 'None', inlines: [run(`${k}: `, { weight: 'Bolder' }), run(v)] })),
    { type: 'RichTextBlock', inlines: [run(`Vigil · ${n.event}${n.severity ? ` · ${n.severity}` : ''} · ${n.id}`, { isSubtle: true, size: 'Small' })] },
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body },
      },
    ],
  };
}

export function teamsChannel(config: { name: string; url: string }): Channel {
  return {
    name: config.name,
    type: 'teams',
    secrets: [config.url],
    deliver: (n, signal) => postJson(config.url, JSON.stringify(teamsMessage(n)), {}, signal, () => n.attemptAt),
  };
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { notifyHarness, openCase, type NotifyTestbed } from './setup.js';
import { startReceiver, type Receiver } from './receiver.js';

let bed: NotifyTestbed | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  await bed?.cleanup();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  bed = undefined;
});

const HOSTILE = {
  event: 'case.created',
  severity: 'HIGH',
  caseId: null,
  title: 'Login from <!channel> & <http://evil.test|click me>',
  text: 'user "<b>admin</b>" said <!here> [phish](http://evil.test) & more',
  facts: { host: '<@U123> web-01', score: 70 },
};

/** Every Block Kit text object of type mrkdwn anywhere in a Slack message. */
function mrkdwnObjects(value: unknown): Array<{ text: string; verbatim?: unknown }> {
  if (Array.isArray(value)) return value.flatMap(mrkdwnObjects);
  if (!value || typeof value !== 'object') return [];
  const own = (value as { type?: unknown }).type === 'mrkdwn' ? [value as { text: string; verbatim?: unknown }] : [];
  return [...own, ...Object.values(value).flatMap(mrkdwnObjects)];
}

describe('chat channels', () => {
  it('sends Slack Block Kit, a Teams Adaptive Card and a Telegram HTML message, with alert text escaped for each', async () => {
    const slack = await startReceiver(() => 200);
    const teams = await startReceiver(() => 202);
    const telegram = await startReceiver(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }));
    receivers.push(slack, teams, telegram);
    bed = notifyHarness({
      channels: [
        { type: 'slack', name: 'slack', url: `${slack.url}/services/T000/B000/XXXX` },
        { type: 'teams', name: 'teams', url: `${teams.url}/webhookb2/abc` },
        { type: 'telegram', name: 'tg', baseUrl: telegram.url, botToken: { env: 'TEST_TG_TOKEN' }, chatId: -1001234 },
      ],
      routes: [{ events: ['case.*'], channels: ['slack', 'teams', 'tg'] }],
    }, { TEST_TG_TOKEN: '123456:ABC-secret_token' });
    const { h } = bed;
    expect(h.services.notify(HOSTILE)).toHaveLength(3);
    expect(await h.services.notifications.deliverer.deliverDue()).toEqual({ delivered: 3, retried: 0, dead: 0 });

    // Slack: mrkdwn escapes <, > and & so no mention or link can be made, and every mrkdwn object is
    // verbatim (no automatic links or mentions); the header is plain_text; the fallback is not parsed.
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.path).toBe('/services/T000/B000/XXXX');
    const s = JSON.parse(slack.requests[0]!.body);
    expect(s.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: HOSTILE.title, emoji: false } });
    expect(s.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', verbatim: true, text: 'user "&lt;b&gt;admin&lt;/b&gt;" said &lt;!here&gt; [phish](http://evil.test) &amp; more' } });
    expect(s.blocks[2].fields).toContainEqual({ type: 'mrkdwn', verbatim: true, text: '*host*\n&lt;@U123&gt; web-01' });
    expect(s.text).toBe('Login from &lt;!channel&gt; &amp; &lt;http://evil.test|click me&gt;: user "&lt;b&gt;admin&lt;/b&gt;" said &lt;!here&gt; [phish](http://evil.test) &amp; more');
    expect(s).toMatchObject({ parse: 'none', mrkdwn: false, unfurl_links: false, unfurl_media: false });
    const objects = mrkdwnObjects(s);
    expect(objects).toHaveLength(1 + 2 + 1);
    expect(objects.every((o) => o.verbatim === true && !/[<>]/.test(o.text))).toBe(true);

    // Teams: an Adaptive Card whose alert text sits in TextRuns (shown verbatim, no markdown).
    const t = JSON.parse(teams.requests[0]!.body);
    expect(t.type).toBe('message');
    expect(t.attachments).toHaveLength(1);
    const card = t.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    const blocks = card.content.body as any[];
    expect(blocks.every((b) => b.type === 'RichTextBlock' && b.inlines.every((i: any) => i.type === 'TextRun'))).toBe(true);
    expect(blocks[0].inlines[0]).toMatchObject({ text: HOSTILE.title, weight: 'Bolder' });
    expect(blocks[1].inlines[0].text).toBe(HOSTILE.text);
    expect(blocks.some((b) => b.inlines[0].text === 'host: ' && b.inlines[1].text === '<@U123> web-01')).toBe(true);

    // Telegram: sendMessage at the configured base URL with the bot token, HTML parse mode, text escaped.
    expect(telegram.requests[0]!.path).toBe('/bot123456:ABC-secret_token/sendMessage');
    const m = JSON.parse(telegram.requests[0]!.body);
    expect(m).toMatchObject({ chat_id: '-1001234', parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    expect(m.text).toContain('<b>Login from &lt;!channel&gt; &amp; &lt;http://evil.test|click me&gt;</b>');
    expect(m.text).toContain('user &quot;&lt;b&gt;admin&lt;/b&gt;&quot; said &lt;!here&gt;');
    expect(m.text).toContain('<b>host</b>: &lt;@U123&gt; web-01');
    expect(m.text).not.toContain('<b>admin');
  });

  it('delivers Slack mentions and links from alert text as inert, verbatim text in every mrkdwn object and the fallback', async () => {
    const slack = await startReceiver(() => 200);
    receivers.push(slack);
    bed = notifyHarness({ channels: [{ type: 'slack', name: 'slack', url: `${slack.url}/hook` }], routes: [{ events: ['*'], channels: ['slack'] }] });
    const evil = '<!channel> <https://evil.example|click>';
    bed.h.services.notify({ event: 'case.created', severity: 'HIGH', title: evil, text: `${evil} @here #general https://evil.example`, facts: { [evil]: evil } });
    expect(await bed.h.services.notifications.deliverer.deliverDue()).toMatchObject({ delivered: 1 });
    const s = JSON.parse(slack.requests[0]!.body);
    const escaped = '&lt;!channel&gt; &lt;https://evil.example|click&gt;';
    // The fallback (push notifications) is escaped and not parsed, so it cannot mention or link.
    expect(s.text).toBe(`${escaped}: ${escaped} @here #general https://evil.example`);
    expect(s).toMatchObject({ parse: 'none', mrkdwn: false });
    expect(s.blocks[1].text).toEqual({ type: 'mrkdwn', verbatim: true, text: `${escaped} @here #general https://evil.example` });
    expect(s.blocks[2].fields).toEqual([{ type: 'mrkdwn', verbatim: true, text: `*${escaped}*\n${escaped}` }]);
    const objects = mrkdwnObjects(s);
    expect(objects.length).toBeGreaterThanOrEqual(3);
    for (const o of objects) {
      expect(o.verbatim).toBe(true);
      expect(o.text).not.toMatch(/[<>]/);
    }
    expect(s.text).not.toMatch(/[<>]/);
  });

  it('keeps the Telegram bot token out of stored errors, even when the receiver echoes it', async () => {
    const telegram = await startReceiver((_n, request) => ({ status: 401, body: `{"ok":false,"description":"Unauthorized ${request.path}"}` }));
    receivers.push(telegram);
    bed = notifyHarness({
      channels: [{ type: 'telegram', name: 'tg', baseUrl: `${telegram.url}/`, botToken: '123456:ABC-secret_token', chatId: '@soc_alerts' }],
      routes: [{ channels: ['tg'] }],
    });
    bed.h.services.notify(HOSTILE);
    await bed.h.services.notifications.deliverer.deliverDue();
    const [row] = bed.h.services.notifications.store.list({}, { limit: 1, inverted: false });
    expect(row!.lastError).toBe('HTTP 401: {"ok":false,"description":"Unauthorized /bot***/sendMessage"}');
    expect(telegram.requests[0]!.path).toBe('/bot123456:ABC-secret_token/sendMessage');
  });

  it('records a network failure as a retry with its cause', async () => {
    const gone = await startReceiver();
    await gone.close();
    bed = notifyHarness({ channels: [{ type: 'slack', name: 'slack', url: `${gone.url}/services/x` }], routes: [{ channels: ['slack'] }] });
    bed.h.services.notify(HOSTILE);
    expect(await bed.h.services.notifications.deliverer.deliverDue()).toMatchObject({ retried: 1 });
    const [row] = bed.h.services.notifications.store.list({}, { limit: 1, inverted: false });
    expect(row!.lastError).toBe('network error: ECONNREFUSED');
  });
});

describe('the default file channel', () => {
  it('writes one JSON file per notification, named by its id, into the outbox folder', async () => {
    bed = notifyHarness(null);
    const { h } = bed;
    expect(h.services.notifications.channels()).toEqual([{ name: 'outbox', type: 'file', routes: [{ events: ['*'], minSeverity: null, channels: ['outbox'] }] }]);
    const c = await openCase(h);
    const [other] = h.services.notify({ event: 'playbook.failed', title: '../../etc/passwd', text: 'x' });
    const report = await h.services.notifications.deliverer.deliverDue();
    expect(report.retried + report.dead).toBe(0);
    const outbox = join(bed.dir, 'outbox');
    const files = readdirSync(outbox);
    // The playbook that runs on a HIGH brute-force case may add notifications of its own: every row has its file.
    const rows = h.services.notifications.store.list({}, { limit: 100, inverted: true });
    expect(files.sort()).toEqual(rows.map((r) => `${r.id}.json`).sort());
    expect(files.every((f) => /^ntf_[0-9a-z]{26}\.json$/.test(f))).toBe(true);
    const createdRow = rows.find((r) => r.event === 'case.created')!;
    expect(createdRow.status).toBe('DELIVERED');
    const created = JSON.parse(readFileSync(join(outbox, `${createdRow.id}.json`), 'utf8'));
    expect(created).toMatchObject({ id: createdRow.id, idempotencyKey: createdRow.idempotencyKey, channel: 'outbox', event: 'case.created', severity: 'HIGH', caseId: c.id });
    expect(created.title).toBe(`Case #${c.number} opened (HIGH): ${c.title}`);
    expect(created.facts).toMatchObject({ case: `#${c.number}`, status: 'NEW', severity: 'HIGH', category: 'BRUTE_FORCE' });
    expect(JSON.parse(readFileSync(join(outbox, `${other}.json`), 'utf8'))).toMatchObject({ event: 'playbook.failed', severity: null, title: '../../etc/passwd' });
  });
});

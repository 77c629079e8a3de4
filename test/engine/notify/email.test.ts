import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { notifyHarness, openCase, type NotifyTestbed } from './setup.js';

interface Mail {
  from: string | undefined;
  to: string[];
  raw: string;
}

/** A local SMTP server without TLS or auth, collecting every message. */
async function startSmtp(opts: { rejectFirst?: number } = {}) {
  const mails: Mail[] = [];
  let seen = 0;
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        seen++;
        if (seen <= (opts.rejectFirst ?? 0)) return callback(Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }));
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Quoted-printable (what nodemailer uses for these bodies) back to text. */
function decodeQp(text: string): string {
  return Buffer.from(text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1').toString('utf8');
}

/** The header block with folded lines joined again. */
function headers(raw: string): string {
  return raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
}

function part(raw: string, type: string): string {
  const start = raw.indexOf(`Content-Type: ${type}`);
  if (start < 0) throw new Error(`no ${type} part in:\n${raw}`);
  const bodyStart = raw.indexOf('\r\n\r\n', start) + 4;
  const end = raw.indexOf('\r\n--', bodyStart);
  return decodeQp(raw.slice(bodyStart, end));
}

let bed: NotifyTestbed | undefined;
let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
afterEach(async () => {
  await bed?.cleanup();
  await smtp?.close();
  bed = smtp = undefined;
});

const emailConfig = (port: number, security = 'none') => ({
  channels: [{ type: 'email', name: 'soc-mail', host: '127.0.0.1', port, security, from: 'vigil@example.test', to: ['soc@example.test', 'oncall@example.test'] }],
  routes: [{ events: ['case.created'], minSeverity: 'HIGH', channels: ['soc-mail'] }],
});

describe('email channel', () => {
  it('sends the case notification to a local SMTP server with the right subject and recipients', async () => {
    smtp = await startSmtp();
    bed = notifyHarness(emailConfig(smtp.port));
    const c = await openCase(bed.h);
    expect(await bed.h.services.notifications.deliverer.deliverDue()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).toBe('vigil@example.test');
    expect(mail.to).toEqual(['soc@example.test', 'oncall@example.test']);
    expect(headers(mail.raw)).toContain(`Subject: [Vigil] HIGH Case #${c.number} opened (HIGH): ${c.title}`);
    const [row] = bed.h.services.notifications.store.list({}, { limit: 1, inverted: false });
    expect(headers(mail.raw)).toContain(`Message-ID: <${row!.idempotencyKey}@vigil.notifications>`);
    expect(part(mail.raw, 'text/plain')).toContain(`case #${c.number} opened`);
  });

  it('escapes attacker-controlled text in the HTML body and keeps the subject on one line', async () => {
    smtp = await startSmtp();
    bed = notifyHarness(emailConfig(smtp.port));
    const { h } = bed;
    h.services.notify({
      event: 'case.created',
      severity: 'CRITICAL',
      title: 'evil <b>title</b>\r\nBcc: victim@example.test',
      text: '<img src=x onerror=alert(1)> & <a href="http://evil.test">click</a>',
      facts: { host: '<script>x</script>' },
    });
    await h.services.notifications.deliverer.deliverDue();
    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual(['soc@example.test', 'oncall@example.test']);
    expect(mail.raw).not.toMatch(/^Bcc:/m);
    expect(headers(mail.raw)).toContain('Subject: [Vigil] CRITICAL evil <b>title</b> Bcc: victim@example.test');
    const html = part(mail.raw, 'text/html');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;a href=&quot;http://evil.test&quot;&gt;click&lt;/a&gt;');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('<h2>evil &lt;b&gt;title&lt;/b&gt; Bcc: victim@example.test</h2>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(part(mail.raw, 'text/plain')).toContain('<img src=x onerror=alert(1)>');
  });

  it('retries when the server refuses for now, and refuses to send without STARTTLS unless told to', async () => {
    smtp = await startSmtp({ rejectFirst: 1 });
    bed = notifyHarness(emailConfig(smtp.port));
    await openCase(bed.h);
    const deliverer = bed.h.services.notifications.deliverer;
    expect(await deliverer.deliverDue()).toMatchObject({ retried: 1 });
    const [row] = bed.h.services.notifications.store.list({}, { limit: 1, inverted: false });
    expect(row!.lastError).toMatch(/^SMTP 451/);
    bed.h.clock.advance(1000);
    expect(await deliverer.deliverDue()).toMatchObject({ delivered: 1 });
    expect(smtp.mails).toHaveLength(1);
    await bed.cleanup();

    // The default `starttls` will not talk in plain text to a server that cannot upgrade.
    bed = notifyHarness(emailConfig(smtp.port, 'starttls'));
    await openCase(bed.h);
    expect(await bed.h.services.notifications.deliverer.deliverDue()).toMatchObject({ retried: 1 });
    const [refused] = bed.h.services.notifications.store.list({}, { limit: 1, inverted: false });
    expect(refused!.lastError).toMatch(/STARTTLS/i);
    expect(smtp.mails).toHaveLength(1);
  });
});

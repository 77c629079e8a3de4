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

/**
 * A local SMTP server whose first session misbehaves, then behaves: `stall-data` takes the whole message
 * and never answers it; `slow-replies` answers MAIL FROM and every RCPT TO `slowMs` late (each wait shorter
 * than the client's socket timeout, all together longer than the delivery timeout). `events` records, in
 * order, each TCP connection opening, reaching DATA and going away (numbered from 1).
 */
async function startMisbehavingSmtp(mode: 'stall-data' | 'slow-replies', slowMs = 0) {
  const events: string[] = [];
  const mails: string[] = [];
  const sessions = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;
  const firstSession = (session: { id: string }) => sessions.get(session.id) === 1;
  const later = (session: { id: string }, callback: () => void) => {
    if (mode !== 'slow-replies' || !firstSession(session)) return callback();
    const timer = setTimeout(() => {
      timers.delete(timer);
      callback();
    }, slowMs);
    timers.add(timer);
  };
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onConnect(session, callback) {
      sessions.set(session.id, sessions.size + 1);
      callback();
    },
    onMailFrom: (_address, session, callback) => later(session, callback),
    onRcptTo: (_address, session, callback) => later(session, callback),
    onData(stream, session, callback) {
      const n = sessions.get(session.id)!;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        events.push(`data ${n}`);
        if (mode === 'stall-data' && n === 1) return; // the reply to DATA never comes
        mails.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  server.server.on('connection', (socket: import('node:net').Socket) => {
    const n = ++connections;
    events.push(`connect ${n}`);
    let gone = false;
    const onGone = () => {
      if (!gone) events.push(`gone ${n}`);
      gone = true;
    };
    socket.once('end', onGone);
    socket.once('close', onGone);
    socket.on('error', onGone);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    events,
    mails,
    /** Server replies of the first session that are still waiting to be sent. */
    pendingReplies: () => timers.size,
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Asserts that both events happened, `first` before `then`. */
function expectOrder(events: string[], first: string, then: string): void {
  expect(events).toContain(first);
  expect(events).toContain(then);
  expect(events.indexOf(first)).toBeLessThan(events.indexOf(then));
}

/** Waits for a condition, failing after `ms`. */
async function waitFor(what: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
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
let misbehaving: Awaited<ReturnType<typeof startMisbehavingSmtp>> | undefined;
afterEach(async () => {
  await bed?.cleanup();
  await smtp?.close();
  await misbehaving?.close();
  bed = smtp = misbehaving = undefined;
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

  it('stops an SMTP conversation stalled in DATA when the delivery times out, before the retry connects', async () => {
    const server = await startMisbehavingSmtp('stall-data');
    misbehaving = server;
    bed = notifyHarness(emailConfig(server.port), { VIGIL_NOTIFY_TIMEOUT_MS: '400' });
    await openCase(bed.h);
    const deliverer = bed.h.services.notifications.deliverer;
    expect(await deliverer.deliverDue()).toEqual({ delivered: 0, retried: 1, dead: 0 });
    const [row] = bed.h.services.notifications.store.list({}, { limit: 1, inverted: false });
    expect(row!.lastError).toBe('timed out');
    expect(server.events).toContain('data 1');

    // The retry connects right away; the first connection must already be closed by then.
    bed.h.clock.advance(1000);
    expect(await deliverer.deliverDue()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(server.mails).toHaveLength(1);
    expectOrder(server.events, 'gone 1', 'connect 2');
  });

  it('stops a slow SMTP conversation at the delivery timeout, so it cannot send a second copy later', async () => {
    // Each reply comes 200 ms late (under the 400 ms socket timeout); MAIL + 5 RCPT take 1.2 s in all.
    const server = await startMisbehavingSmtp('slow-replies', 200);
    misbehaving = server;
    const config = emailConfig(server.port);
    config.channels[0]!.to = ['a@example.test', 'b@example.test', 'c@example.test', 'd@example.test', 'e@example.test'];
    bed = notifyHarness(config, { VIGIL_NOTIFY_TIMEOUT_MS: '400' });
    await openCase(bed.h);
    const deliverer = bed.h.services.notifications.deliverer;
    expect(await deliverer.deliverDue()).toEqual({ delivered: 0, retried: 1, dead: 0 });
    expect(bed.h.services.notifications.store.list({}, { limit: 1, inverted: false })[0]!.lastError).toBe('timed out');
    bed.h.clock.advance(1000);
    expect(await deliverer.deliverDue()).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expectOrder(server.events, 'gone 1', 'connect 2');

    // Let every late reply meant for the first conversation go out: it has nobody to talk to any more.
    await waitFor(() => server.events.includes('gone 1') && server.pendingReplies() === 0);
    expect(server.events).not.toContain('data 1');
    expect(server.mails).toHaveLength(1);
  });
});

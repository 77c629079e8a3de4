/**
 * Email over SMTP with nodemailer: a plain-text body and an HTML body in which every piece of text is
 * HTML-escaped. STARTTLS is required unless the channel says `security: none` (a local relay); the
 * Message-ID is made from the idempotency key so mail systems and readers can spot a repeated delivery.
 *
 * A delivery that times out must really stop, or the retry could send a second copy while the first SMTP
 * conversation is still going: the deliverer's signal is handed to nodemailer (10.5+ cancels an SMTP send
 * on it and closes the connection), the socket is destroyed at once rather than half-closed, and every
 * nodemailer timeout is bounded by the delivery timeout. `deliver` settles only after the connection is gone.
 */
import { createTransport } from 'nodemailer';
import { cut, escapeHtml, factPairs } from './escape.js';
import type { Channel, ChannelOptions, OutgoingNotification } from './types.js';
import { DeliveryError } from './types.js';

export interface EmailChannelConfig {
  name: string;
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  user?: string | undefined;
  password?: string | undefined;
  from: string;
  to: string[];
  rejectUnauthorized: boolean;
}

/** A header value on one line, without control characters (no header injection from alert text). */
const headerText = (text: string) => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();

export function emailContent(n: OutgoingNotification): { subject: string; text: string; html: string } {
  const { title, text, facts } = n.payload;
  const pairs = factPairs(facts, 20, 300);
  const subject = cut(headerText(`[Vigil]${n.severity ? ` ${n.severity}` : ''} ${title}`), 200);
  const footer = `Vigil · ${n.event} · ${n.id}`;
  const plain = [title, '', text, '', ...pairs.map(([k, v]) => `${k}: ${v}`), '', footer].join('\n');
  const rows = pairs.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const html = [
    '<!doctype html><html><body>',
    `<h2>${escapeHtml(title)}</h2>`,
    `<p style="white-space:pre-wrap">${escapeHtml(text)}</p>`,
    rows ? `<table>${rows}</table>` : '',
    `<p><small>${escapeHtml(footer)}</small></p>`,
    '</body></html>',
  ].join('');
  return { subject, text: plain, html };
}

export function emailChannel(config: EmailChannelConfig, options: ChannelOptions): Channel {
  return {
    name: config.name,
    type: 'email',
    secrets: [config.password, config.user].filter((s): s is string => !!s),
    async deliver(n, signal) {
      const transport = createTransport({
        host: config.host,
        port: config.port,
        secure: config.security === 'tls',
        requireTLS: config.security === 'starttls',
        ignoreTLS: config.security === 'none',
        ...(config.user ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
        tls: { rejectUnauthorized: config.rejectUnauthorized },
        connectionTimeout: options.timeoutMs,
        greetingTimeout: options.timeoutMs,
        dnsTimeout: options.timeoutMs,
        socketTimeout: options.timeoutMs,
        // On abort or failure: destroy the socket now instead of waiting for the server to close its side.
        socketCloseTimeout: 0,
      });
      const content = emailContent(n);
      try {
        await transport.sendMail({
          from: config.from,
          to: config.to,
          subject: content.subject,
          text: content.text,
          html: content.html,
          messageId: `<${n.idempotencyKey}@vigil.notifications>`,
          headers: { 'X-Vigil-Event': n.event, 'X-Vigil-Notification': n.id },
          // Never read files or fetch URLs while building a message.
          disableFileAccess: true,
          disableUrlAccess: true,
          // Cancels the send wherever it is (connecting, greeting, any command, DATA) and closes the connection.
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw new DeliveryError(signal.reason instanceof Error && signal.reason.name === 'TimeoutError' ? 'timed out' : 'interrupted');
        const e = error as { code?: string; responseCode?: number; message?: string };
        throw new DeliveryError(`SMTP ${e.responseCode ?? e.code ?? 'error'}: ${(e.message ?? '').slice(0, 300)}`);
      } finally {
        transport.close();
      }
    },
  };
}

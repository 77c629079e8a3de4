/**
 * Email over SMTP with nodemailer: a plain-text body and an HTML body in which every piece of text is
 * HTML-escaped. STARTTLS is required unless the channel says `security: none` (a local relay); the
 * Message-ID is made from the idempotency key so mail systems and readers can spot a repeated delivery.
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
        socketTimeout: options.timeoutMs,
      });
      const content = emailContent(n);
      const aborted = new Promise<never>((_, reject) => {
        const onAbort = () => reject(new DeliveryError(signal.reason instanceof Error && signal.reason.name === 'TimeoutError' ? 'timed out' : 'interrupted'));
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        await Promise.race([
          transport.sendMail({
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
          }),
          aborted,
        ]);
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        const e = error as { code?: string; responseCode?: number; message?: string };
        throw new DeliveryError(`SMTP ${e.responseCode ?? e.code ?? 'error'}: ${(e.message ?? '').slice(0, 300)}`);
      } finally {
        transport.close();
      }
    },
  };
}

// Staff notices over SMTP on Node (PARLEY_SMTP_URL, from PARLEY_NOTICE_FROM), through nodemailer:
// the long-maintained SMTP client for Node (TLS, STARTTLS, AUTH, pooling), so Parley does not
// speak SMTP by hand. Plain text only: no HTML, no tracking, no attachments.
import nodemailer from 'nodemailer';
import type { Mailer } from './notices.js';

/** `verify`: connects and, if the URL has a user, signs in, sending nothing (npm run doctor). */
export function smtpMailer(url: string, from: string): Mailer & { verify(): Promise<void>; close(): void } {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text, disableUrlAccess: true, disableFileAccess: true });
    },
    async verify() {
      await transport.verify();
    },
    close: () => transport.close(),
  };
}

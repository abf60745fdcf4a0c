// Staff notices on Workers: the `NOTICES` send_email binding (wrangler.toml), handed a raw
// plain-text message (worker/mail-message.ts). Cloudflare delivers only to addresses verified
// for Email Routing on the account (docs/OPERATIONS.md, "Staff notices").
import { EmailMessage } from 'cloudflare:email';
import type { SendEmail } from '@cloudflare/workers-types/latest';
import type { Mailer } from './notices.js';
import { addressOf, rfc5322Message } from './mail-message.js';
import { webCryptoRandomBytes } from './deps.js';

export function sendEmailMailer(binding: SendEmail, from: string): Mailer {
  return {
    async send(message) {
      const raw = rfc5322Message(from, message, Date.now(), webCryptoRandomBytes);
      await binding.send(new EmailMessage(addressOf(from), message.to, raw));
    },
  };
}

// A staff notice as a plain-text RFC 5322 message, for the Workers send_email binding (which
// takes the raw message). Every header is fixed text or a checked address (worker/config-vars.ts
// noticeFrom, worker/wire.ts noticeAddressBody), so nothing can add a header; lines end in CRLF.
import type { NoticeMessage } from './notices.js';
import { bytesToB64 } from '../web/protocol/encoding.js';

/** The bare address of "Name <address>" or of "address". */
export function addressOf(mailbox: string): string {
  return /<([^<>]+)>$/.exec(mailbox)?.[1] ?? mailbox;
}

export function rfc5322Message(from: string, message: NoticeMessage, now: number, randomBytes: (n: number) => Uint8Array): string {
  const domain = addressOf(from).split('@')[1]!;
  const headers = [
    `From: ${from}`,
    `To: ${message.to}`,
    `Subject: ${message.subject}`,
    `Date: ${new Date(now).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${bytesToB64(randomBytes(16))}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${message.text.replace(/\r?\n/g, '\r\n')}`;
}

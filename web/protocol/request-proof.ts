// Client side of the mailbox proof: sign the request with the mailbox's Ed25519 key.
import { bytesToB64 } from './encoding.js';
import { sha256, signDetached } from './sodium.js';
import { mailboxProofMessage, PROOF_HEADERS } from './proof-message.js';
import type { MailboxKeys } from './mailbox-keys.js';

export function mailboxProofHeaders(keys: MailboxKeys, challenge: Uint8Array, method: string, path: string, body: Uint8Array): Record<string, string> {
  const signature = signDetached(mailboxProofMessage(challenge, method, path, sha256(body)), keys.sign.privateKey);
  return {
    [PROOF_HEADERS.locator]: bytesToB64(keys.locator),
    [PROOF_HEADERS.challenge]: bytesToB64(challenge),
    [PROOF_HEADERS.signature]: bytesToB64(signature),
  };
}

// Mailbox requests carry a proof: an Ed25519 signature by the mailbox key over a fresh,
// single-use challenge and the request itself. Every failure (no such mailbox, bad or
// reused challenge, bad signature, malformed header) gives the same answer, and an unknown
// mailbox still costs one signature check, so neither status, body nor timing tells them apart.
import type { MiddlewareHandler } from 'hono';
import { b64ToBytes } from '../../web/protocol/encoding.js';
import { mailboxProofMessage, PROOF_HEADERS } from '../../web/protocol/proof-message.js';
import { SIZES } from '../../web/protocol/labels.js';
import { consumeChallenge } from '../../db/repo/challenges.js';
import { findMailbox, type MailboxRow } from '../../db/repo/cases.js';
import { ApiError } from '../errors.js';
import { sha256, sha256B64, verifyEd25519 } from '../server-crypto.js';
import { hasEnoughWork } from '../proof-of-work.js';
import { WORK_HEADER } from '../../web/protocol/work-puzzle.js';
import { recordFailure, recordSuccess, refuseIfThrottled, throttleKey } from '../attempt-throttle.js';
import type { AppDeps } from '../deps.js';

export type MailboxVariables = { mailbox: MailboxRow };

export const PROOF_FAILED_MESSAGE = 'That passphrase did not open a mailbox, or the request expired. Check the passphrase and try again.';

function headerBytes(value: string | undefined, length: number): Uint8Array | null {
  const bytes = value === undefined ? null : b64ToBytes(value);
  return bytes && bytes.length === length ? bytes : null;
}

const STAND_IN_PUBLIC_KEY = Uint8Array.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'.match(/../g)!, (h) => parseInt(h, 16));

export function mailboxProof(deps: AppDeps): MiddlewareHandler<{ Variables: MailboxVariables }> {
  // Stands in for the key of a mailbox that does not exist, so both paths verify once. A valid
  // curve point (RFC 8032's first test key): a random 32 bytes is often no point at all, which
  // WebCrypto refuses sooner, and the difference in time would tell an unknown mailbox apart.
  const standInKey = STAND_IN_PUBLIC_KEY;
  return async function mailboxProofMiddleware(c, next) {
    const locator = headerBytes(c.req.header(PROOF_HEADERS.locator), SIZES.key);
    const challenge = headerBytes(c.req.header(PROOF_HEADERS.challenge), SIZES.challenge);
    const signature = headerBytes(c.req.header(PROOF_HEADERS.signature), SIZES.signature);
    const body = new Uint8Array(await c.req.arrayBuffer());
    const now = deps.clock();

    const terms = challenge ? await consumeChallenge(deps.db, await sha256B64(challenge), now) : null;
    // The work is checked before anything that touches the mailbox, and says nothing about it.
    if (terms && !(await hasEnoughWork(challenge!, c.req.header(WORK_HEADER), terms.workBits))) {
      throw new ApiError('work_required', 'The proof of work is missing or too weak. Reload and try again.');
    }
    const locatorHash = locator ? await sha256B64(locator) : null;
    // Throttled alike whether or not the mailbox exists: the counter is keyed by the locator's hash.
    const throttle = locatorHash ? await throttleKey('mailbox', locatorHash) : null;
    const hadFailures = throttle ? await refuseIfThrottled(deps.db, throttle, now) : false;
    const mailbox = locatorHash ? await findMailbox(deps.db, locatorHash) : undefined;
    const publicKey = mailbox ? b64ToBytes(mailbox.signPublicKey)! : standInKey;
    const message = mailboxProofMessage(challenge ?? new Uint8Array(SIZES.challenge), c.req.method, new URL(c.req.url).pathname, await sha256(body));
    const signatureValid = await verifyEd25519(publicKey, signature ?? new Uint8Array(SIZES.signature), message);

    if (!terms || !mailbox || !signatureValid) {
      if (throttle) await recordFailure(deps.db, throttle, now, deps.config.mailboxThrottle);
      throw new ApiError('mailbox_proof_failed', PROOF_FAILED_MESSAGE);
    }
    if (throttle && hadFailures) await recordSuccess(deps.db, throttle);
    c.set('mailbox', mailbox);
    await next();
  };
}

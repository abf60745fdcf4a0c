// Mailbox requests carry a proof: an Ed25519 signature by the mailbox key over a fresh,
// single-use challenge and the request itself. Every failure (no such mailbox, bad or
// reused challenge, bad signature, malformed header) gives the same answer, and an unknown
// mailbox still costs one signature check, so neither status, body nor timing tells them apart.
//
// Cheapest first (issue 11): the challenge's MAC and the proof of work are checked before the
// body is read, before any lookup and before the signature; nothing is written until the
// work has checked out.
import type { Context, MiddlewareHandler } from 'hono';
import { b64ToBytes } from '../../web/protocol/encoding.js';
import { mailboxProofMessage, PROOF_HEADERS } from '../../web/protocol/proof-message.js';
import { SIZES } from '../../web/protocol/labels.js';
import type { MailboxRow } from '../../db/repo/cases.js';
import { mailboxAndThrottle } from '../../db/repo/mailbox-open.js';
import type { Read, Results } from '../../db/read-together.js';
import { ApiError } from '../errors.js';
import { sha256, sha256B64, verifyEd25519 } from '../server-crypto.js';
import { challengeFromHeader, type WorkGate, type WorkPaid } from '../proof-of-work.js';
import { WORK_HEADER } from '../../web/protocol/work-puzzle.js';
import { recordFailure, recordSuccess, refuseWhileWaiting, throttleKey } from '../attempt-throttle.js';
import type { AppDeps } from '../deps.js';
import { requestBody } from '../request-body.js';

/**
 * The mailbox the proof opened, what its challenge's work paid (a message with files may need
 * more), and what the route asked to be read with the mailbox (`alongside`), in the same trip.
 */
export type MailboxVariables<Alongside extends readonly unknown[] = readonly []> = { mailbox: MailboxRow; work: WorkPaid; alongside: Alongside };

export const PROOF_FAILED_MESSAGE = 'That passphrase did not open a mailbox, or the request expired. Check the passphrase and try again.';

export const WORK_TOO_WEAK = () => new ApiError('work_required', 'The proof of work is missing or too weak. Reload and try again.');

function headerBytes(value: string | undefined, length: number): Uint8Array | null {
  const bytes = value === undefined ? null : b64ToBytes(value);
  return bytes && bytes.length === length ? bytes : null;
}

// Stands in for the key of a mailbox that does not exist, so both paths verify once. A valid
// curve point (RFC 8032's first test key): a random 32 bytes is often no point at all, which
// WebCrypto refuses sooner, and the difference in time would tell an unknown mailbox apart.
const STAND_IN_PUBLIC_KEY = Uint8Array.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'.match(/../g)!, (h) => parseInt(h, 16));

const NOTHING_ALONGSIDE = () => [] as const;

/**
 * `alongside`: reads the route makes anyway, by what the request names, put in the proof's one
 * trip to the database. Made whether or not the proof holds (and for a replayed challenge too), so
 * they cost the same either way; their results reach the route, typed, only once it holds. They
 * read the path's parameters: the route checks those before the proof (paramsFirst), so a
 * malformed one is named and spends nothing.
 */
export function mailboxProof<const R extends readonly Read<unknown>[] = readonly []>(
  deps: AppDeps,
  work: WorkGate,
  alongside: (c: Context) => R = NOTHING_ALONGSIDE as unknown as (c: Context) => R,
): MiddlewareHandler<{ Variables: MailboxVariables<Results<R>> }> {
  return async function mailboxProofMiddleware(c, next) {
    const challenge = challengeFromHeader(c.req.header(PROOF_HEADERS.challenge));
    const checked = await work.check(challenge, c.req.header(WORK_HEADER));
    // A challenge that is no good fails like any other proof; one that is good but whose work
    // falls short of today's difficulty asks for new work, and says nothing about the mailbox.
    if (!checked.ok) throw checked.refusal === 'work_too_weak' ? WORK_TOO_WEAK() : new ApiError('mailbox_proof_failed', PROOF_FAILED_MESSAGE);

    const locator = headerBytes(c.req.header(PROOF_HEADERS.locator), SIZES.key);
    const signature = headerBytes(c.req.header(PROOF_HEADERS.signature), SIZES.signature);
    const now = deps.clock();
    const locatorHash = locator ? await sha256B64(locator) : null;
    // Throttled alike whether or not the mailbox exists: the counter is keyed by the locator's hash.
    const throttle = locatorHash ? await throttleKey('mailbox', locatorHash) : null;
    // The spend, then the mailbox and its throttle counter, in one trip to the database (on D1,
    // where each is a round trip, one batch; issue 16). A challenge spent before opens nothing. No
    // locator reads under a hash no mailbox or counter has, so the request costs the same.
    const { fresh, results } = await work.rememberWith(checked.spent, [...mailboxAndThrottle(deps.db, locatorHash ?? '', throttle ?? ''), ...alongside(c)]);
    if (!fresh) throw new ApiError('mailbox_proof_failed', PROOF_FAILED_MESSAGE);
    const [foundMailbox, foundThrottle, ...routeReads] = results;
    const hadFailures = locatorHash ? refuseWhileWaiting(foundThrottle, now, deps.config.mailboxThrottle) : false;
    const mailbox = locatorHash ? foundMailbox : undefined;
    const publicKey = mailbox ? b64ToBytes(mailbox.signPublicKey)! : STAND_IN_PUBLIC_KEY;
    const body = await requestBody(c);
    const message = mailboxProofMessage(challenge!, c.req.method, new URL(c.req.url).pathname, await sha256(body));
    const signatureValid = await verifyEd25519(publicKey, signature ?? new Uint8Array(SIZES.signature), message);

    if (!mailbox || !signatureValid) {
      if (throttle) await recordFailure(deps.db, throttle, now, deps.config.mailboxThrottle);
      throw new ApiError('mailbox_proof_failed', PROOF_FAILED_MESSAGE);
    }
    // Failures on record mean a locator, hence a throttle key.
    if (hadFailures) await recordSuccess(deps.db, throttle!);
    c.set('mailbox', mailbox);
    c.set('work', { zeroBits: checked.zeroBits, askedBits: checked.askedBits });
    c.set('alongside', routeReads as unknown as Results<R>);
    await next();
  };
}

// The API's wire shapes, validated with zod at the edge of every route. Strict objects:
// an unknown field is an error, not silently dropped. Binary fields are base64url with
// exact decoded lengths, so nothing malformed reaches the database.
import { z } from 'zod';
import { b64ToBytes } from '../web/protocol/encoding.js';
import { PADDING_BUCKETS, SIZES } from '../web/protocol/labels.js';
import { CASE_STATUSES } from '../db/schema.js';
import { isAcceptableEd25519PublicKey, passesKeyByteChecks } from './ed25519-strict.js';
import { isFileCipherLength } from '../web/protocol/file-lengths.js';
import { daysBetween, isDay } from '../web/casework/calendar.js';
import { DEADLINE_LIMITS } from '../web/casework/deadlines.js';
import { RETENTION_LIMITS } from '../web/casework/retention.js';
import { isTimeZone } from '../web/casework/calendar.js';

/** base64url text that decodes to exactly `bytes` bytes (or a length within [min, max]). */
export function b64(min: number, max: number = min) {
  return z.string().max(Math.ceil((max * 4) / 3) + 4).refine((text) => {
    const bytes = b64ToBytes(text);
    return bytes !== null && bytes.length >= min && bytes.length <= max;
  }, min === max ? `must be base64url of ${min} bytes` : `must be base64url of ${min}–${max} bytes`);
}

const id = b64(16);
const publicKey = b64(32);
/** A signing key the clients' libsodium would accept: no small-order or non-canonical point can be registered. */
const signingKey = publicKey.refine((text) => isAcceptableEd25519PublicKey(b64ToBytes(text)!), 'must be an Ed25519 public key that is not of small order');
/** The same, for a key that signs in the request that registers it (a new mailbox): its signatures, verified there, refuse a key that is no curve point. */
const signingKeyThatSigns = publicKey.refine((text) => passesKeyByteChecks(b64ToBytes(text)!), 'must be an Ed25519 public key that is not of small order');
const signature = b64(64);
/** version ‖ sealed box of (case id ‖ case key): 1 + 48 + 48 bytes. */
const sealedCaseKey = b64(97);
/** version ‖ nonce ‖ AEAD of one padded bucket: only these lengths exist, so size says only the bucket. */
const ENVELOPE_LENGTHS: readonly number[] = PADDING_BUCKETS.map((bucket) => 1 + SIZES.nonce + bucket + SIZES.aeadTag);
export const MAX_ENVELOPE_BYTES = Math.max(...ENVELOPE_LENGTHS);
const envelope = z
  .string()
  .max(Math.ceil((MAX_ENVELOPE_BYTES * 4) / 3))
  .refine((text) => ENVELOPE_LENGTHS.includes(b64ToBytes(text)?.length ?? -1), 'must be base64url of a padded message (one of the bucket sizes)');

export const caseStatus = z.enum(CASE_STATUSES);

/** The link of the message this one follows (SHA-256, docs/PROTOCOL.md): the thread's order is signed. */
const link = b64(32);

/** At most this many files ride on one message (docs/PROTOCOL.md, "Files"). */
export const MAX_FILES_PER_MESSAGE = 20;
/**
 * The files a message carries, declared with it so their upload slots are made in the same
 * write: each id (the one inside the encrypted descriptor) and ciphertext length, which must be
 * one some file's stream can have. The operator's size limits are checked by the route.
 */
const fileDeclarations = z
  .array(z.strictObject({ id, bytes: z.number().int().positive().refine(isFileCipherLength, 'must be the ciphertext length of a file (web/protocol/file-lengths.ts)') }))
  .max(MAX_FILES_PER_MESSAGE)
  .refine((list) => new Set(list.map((file) => file.id)).size === list.length, 'file ids must differ');
export type FileDeclarations = z.infer<typeof fileDeclarations>;

export const submitReportBody = z.strictObject({
  caseId: id,
  orgId: id,
  // Each sealed case key is signed by the new mailbox's key (protocol 2).
  mailbox: z.strictObject({ locator: b64(32), signPublicKey: signingKeyThatSigns, boxPublicKey: publicKey, sealedCaseKey, sealSignature: signature }),
  orgCaseKey: z.strictObject({ keyVersion: z.number().int().positive(), sealedCaseKey, sealSignature: signature }),
  // The report is the thread's first message: it follows the all-zero link.
  report: z.strictObject({ id, envelope, signature, files: fileDeclarations.optional() }),
});
export type SubmitReportBody = z.infer<typeof submitReportBody>;

export const replyBody = z.strictObject({ id, envelope, signature, prev: link, files: fileDeclarations.optional() });
export type ReplyBody = z.infer<typeof replyBody>;

/**
 * The status travels inside the signed, encrypted message too; this copy lets the console list and filter.
 * `feedback`: the unit marks this reply as its feedback to the reporter (the 3-month deadline).
 * Outside the encryption: it is the unit's own bookkeeping, like the status copy above.
 */
export const investigatorReplyBody = z.strictObject({ id, envelope, signature, prev: link, status: caseStatus.optional(), feedback: z.boolean().optional(), files: fileDeclarations.optional() });
export type InvestigatorReplyBody = z.infer<typeof investigatorReplyBody>;

/** A status change is a signed message of its own (kind "status"), so a reporter's client can tell a forged one. */
export const statusBody = z.strictObject({ id, envelope, signature, prev: link, status: caseStatus });

const username = z.string().min(1).max(64).regex(/^[a-z0-9._-]+$/, 'lower-case letters, digits, dot, dash or underscore');
export const preloginBody = z.strictObject({ username });
const totpCode = z.string().regex(/^\d{6}$/, 'six digits');
// The device token (16 bytes) and the device's clock are optional: see worker/credential-check.ts.
export const signInBody = z.strictObject({ username, authKey: b64(32), totp: totpCode, deviceToken: b64(16).optional(), clientTime: z.number().int().nonnegative().optional() });
export const totpConfirmBody = signInBody;

export const caseIdParam = z.strictObject({ caseId: id });
/** A part's index: decimal, no sign or leading zeros; the route checks it against the file's part count. */
const partIndex = z.string().max(9).regex(/^(0|[1-9]\d*)$/, 'a part number').transform(Number);
export const mailboxFileParam = z.strictObject({ fileId: id });
export const mailboxFilePartParam = z.strictObject({ fileId: id, part: partIndex });
export const caseFileParam = z.strictObject({ caseId: id, fileId: id });
export const caseFilePartParam = z.strictObject({ caseId: id, fileId: id, part: partIndex });

// Accounts. Sizes follow the protocol's frames: wrapped seed = 1 + 24 + 32 + 16;
// sealed keyring = 1 + 48 + (21-byte label + 16 + 4 + 32 + 32).
const role = z.enum(['admin', 'investigator']);
const wrappedSeed = b64(1 + 24 + 32 + 16);
const sealedKeyring = b64(1 + 48 + 21 + 16 + 4 + 64);
const keyVersion = z.number().int().positive().max(1_000_000);

/** keyProof: MAC over the member's key with the invitation link's secret (joining by a member invitation only). */
const newMember = z.strictObject({ id, username, authSalt: b64(16), authKey: b64(32), boxPublicKey: publicKey, wrappedSeed, keyProof: b64(32).optional() });
/** endorsement: version 1 signed by itself; founderEndorsement: the founder's key signed by it. */
const newOrganisation = z.strictObject({ id, name: z.string().trim().min(2).max(120), boxPublicKey: publicKey, signPublicKey: signingKey, sealedKeyring, endorsement: signature, founderEndorsement: signature });
const token = b64(32);

/** The field shapes the responses reuse (worker/wire-responses.ts). */
export const wireField = { id, publicKey, signature, sealedCaseKey, envelope, link, role, wrappedSeed, sealedKeyring, keyVersion, token, username };

export const setupBody = z.strictObject({ setupToken: token, organisation: newOrganisation, member: newMember });
export const inviteTokenBody = z.strictObject({ token });
export const acceptInviteBody = z.strictObject({ token, member: newMember, organisation: newOrganisation.omit({ name: true }).optional() });
export const createInviteBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('member'), role }),
  z.strictObject({ kind: z.literal('organisation'), orgName: z.string().trim().min(2).max(120) }),
]);
/** Every key version the granting administrator holds, sealed to the member; existing ones are kept. */
export const grantKeyringsBody = z.strictObject({
  keyrings: z.array(z.strictObject({ keyVersion, sealedKeyring })).min(1).max(1000),
  // The member's key, endorsed by the organisation's signing key after the granting device checked its invitation proof.
  endorsement: z.strictObject({ keyVersion, signature }),
});
/** A new key version: its public keys and the new keyring sealed to each member who holds the current one. */
export const rotationBody = z.strictObject({
  fromVersion: keyVersion,
  boxPublicKey: publicKey,
  signPublicKey: signingKey,
  /** The new version signed by the signing key of fromVersion: the next link of the chain. */
  endorsement: signature,
  // One keyring per member (about 250 bytes): 400 fit the 128 KiB body limit.
  keyrings: z
    .array(z.strictObject({ memberId: id, sealedKeyring }))
    .min(1)
    .max(400)
    .refine((list) => new Set(list.map((k) => k.memberId)).size === list.length, 'one keyring per member'),
});
export const removeMemberBody = z.strictObject({ rotation: rotationBody });
/** What the member's device found when it opened its keyrings. */
export const keyringCheckBody = z.strictObject({ confirmed: z.array(keyVersion).max(1000), rejected: z.array(keyVersion).max(1000) });
/** sealSignature: by the offering organisation's current signing key over the sealed key. */
export const passOnBody = z.strictObject({ orgId: id, keyVersion, sealedCaseKey, sealSignature: signature, keepAccess: z.boolean() });
/** Who a case is assigned to: a current member of the organisation, or nobody. */
export const assigneeBody = z.strictObject({ memberId: id.nullable() });
/** An internal note (web/protocol/notes.ts): sealed under the case key, signed by the organisation's signing key. */
export const noteBody = z.strictObject({ id, envelope, signature });
export const declineTransferBody = z.strictObject({ reason: z.enum(['does_not_open', 'not_ours']) });
export const memberIdParam = z.strictObject({ memberId: id });
/** An invitation is named by the hash of its token (the token itself is never stored). */
export const inviteIdParam = z.strictObject({ inviteId: b64(32) });
/**
 * The most cases a page of the case list or the figures holds, and how many it holds unless asked
 * for fewer. Each comes with its report (about 2 KiB): 50 keep a request inside a Worker's 10 ms
 * of CPU (bench/RESULTS.md, Workers / D1), and the device pages on by the cursor.
 */
export const CASE_PAGE_MAX = 50;
/** A report's reference as people type it: any case, the dash optional; the canonical "ABCD-1234" out. */
const reference = z.string().max(9).regex(/^[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$/, 'a reference like ABCD-1234')
  .transform((text) => { const plain = text.replace('-', '').toUpperCase(); return `${plain.slice(0, 4)}-${plain.slice(4)}`; });

export const caseListQuery = z.strictObject({
  status: caseStatus.optional(),
  /** `received` (default): newest first; `due`: the nearest open deadline first, cases with none last. */
  sort: z.enum(['received', 'due']).optional(),
  /** `overdue`: the next open deadline has passed; `week`: it falls within the next seven days, today included. */
  due: z.enum(['overdue', 'week']).optional(),
  /** A member's id, `me` (the caller) or `none` (assigned to nobody). */
  assignee: z.union([z.enum(['me', 'none']), id]).optional(),
  reference: reference.optional(),
  /** The cursor from the previous page: cases older than it. */
  after: z.string().max(64).regex(/^\d{4}-\d{2}-\d{2}\.[A-Za-z0-9_-]{22}$/, 'a cursor from the previous page').optional(),
  limit: z.coerce.number().int().min(1).max(CASE_PAGE_MAX).optional(),
});

/** The longest span the unit's figures are fetched for at once: a year (a leap year's included). */
export const FIGURES_SPAN_MAX_DAYS = 366;
const calendarDay = z.string().max(10).refine(isDay, 'a day, YYYY-MM-DD');
const span = { from: calendarDay, to: calendarDay };
const spanRule = [(q: { from: string; to: string }) => !isDay(q.from) || !isDay(q.to) || (q.from <= q.to && daysBetween(q.from, q.to) < FIGURES_SPAN_MAX_DAYS), `from must not be after to, and the span at most ${FIGURES_SPAN_MAX_DAYS} days`] as const;
/** The unit's figures: cases received from `from` to `to` (both included), paged oldest first. */
export const figuresQuery = z.strictObject({
  ...span,
  after: z.string().max(64).regex(/^\d{4}-\d{2}-\d{2}\.[A-Za-z0-9_-]{22}$/, 'a cursor from the previous page').optional(),
  limit: z.coerce.number().int().min(1).max(CASE_PAGE_MAX).optional(),
}).refine(...spanRule);
/** The instance's figures: what the server counts of the cases received from `from` to `to`. */
export const instanceFiguresQuery = z.strictObject(span).refine(...spanRule);
/** Where a member's staff notices go (worker/notices.ts); null stops them. One line: it becomes a mail header. */
export const noticeAddressBody = z.strictObject({ email: z.email().max(254).nullable() });
/** The public figures take the same span. */
export const publicFiguresQuery = instanceFiguresQuery;
const within = (limits: { min: number; max: number }) => z.number().int().min(limits.min).max(limits.max);
/**
 * An organisation's deadlines, retention and time zone (web/casework). A closed case is never
 * kept past the ceiling for inactive cases: the shorter rule wins anyway, so a longer one is a mistake.
 */
export const organisationSettingsBody = z
  .strictObject({
    ackDays: within(DEADLINE_LIMITS.ackDays),
    feedbackMonths: within(DEADLINE_LIMITS.feedbackMonths),
    keepClosedDays: within(RETENTION_LIMITS.keepClosedDays),
    keepInactiveDays: within(RETENTION_LIMITS.keepInactiveDays),
    timeZone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/London'),
  })
  .refine((s) => s.keepClosedDays <= s.keepInactiveDays, { message: 'must not be longer than keepInactiveDays', path: ['keepClosedDays'] });
export type OrganisationSettings = z.infer<typeof organisationSettingsBody>;

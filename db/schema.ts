// The one drizzle schema, applied on Node (better-sqlite3) and on Workers (D1).
// Binary values are stored as base64url text. Nothing here identifies a reporter: no IP,
// no user agent, and reporter activity is dated to the day (see docs/PROTOCOL.md).
import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, blob, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { FILE_PART_BYTES_BEFORE_0011 } from '../web/protocol/file-lengths.js';

/** Instance-wide values made once on first start (e.g. the public mailbox KDF salt). */
export const instanceSettings = sqliteTable('instance_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const organisations = sqliteTable('organisations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  boxPublicKey: text('box_public_key').notNull(),
  signPublicKey: text('sign_public_key').notNull(),
  keyVersion: integer('key_version').notNull(),
  createdAt: integer('created_at').notNull(),
  /** Deadlines (web/casework/deadlines.ts): days to acknowledge, months to give feedback. */
  ackDays: integer('ack_days').notNull().default(7),
  feedbackMonths: integer('feedback_months').notNull().default(3),
  /** Retention (web/casework/retention.ts): days a closed case is kept; the ceiling after the last activity. */
  keepClosedDays: integer('keep_closed_days').notNull().default(365),
  keepInactiveDays: integer('keep_inactive_days').notNull().default(2190),
  /** The unit's IANA time zone: what "today", "overdue" and "this week" mean for its staff. */
  timeZone: text('time_zone').notNull().default('Europe/London'),
  /** Counts reporter messages (reports and answers) to this organisation's cases: staff notices compare against it. */
  reporterActivity: integer('reporter_activity').notNull().default(0),
});

/** Members of organisations (README "Words"). The SQL names `investigators` and `investigator_id` are historical: renaming them would be a migration for no reader's benefit. */
export const members = sqliteTable('investigators', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull().references(() => organisations.id),
  username: text('username').notNull(),
  role: text('role', { enum: ['admin', 'investigator'] }).notNull(),
  authSalt: text('auth_salt').notNull(),
  /** SHA-256 of the device-derived authentication key; the key itself is never stored. */
  authKeyHash: text('auth_key_hash').notNull(),
  boxPublicKey: text('box_public_key').notNull(),
  /** The personal key seed, wrapped by a key only the investigator's password derives. */
  wrappedSeed: text('wrapped_seed').notNull(),
  createdAt: integer('created_at').notNull(),
  /** May create organisations (the instance's administrators). */
  instanceAdmin: integer('instance_admin', { mode: 'boolean' }).notNull().default(false),
  /** TOTP secret, AES-GCM under a server secret kept outside the database. */
  totpSecretEnc: text('totp_secret_enc'),
  totpConfirmed: integer('totp_confirmed', { mode: 'boolean' }).notNull().default(false),
  /** The last TOTP time step accepted: a code is good once. */
  totpLastStep: integer('totp_last_step').notNull().default(0),
  /**
   * When an administrator removed the member (ms); null while a member. The row stays, so the
   * audit trail keeps their name and neither the id nor the username is ever given out again.
   */
  removedAt: integer('removed_at'),
  /**
   * Protocol 2. keyProof: the newcomer's device's MAC over its key with the secret from the
   * invitation link (the server never sees the secret). inviteId / inviteKeyVersion: which
   * invitation, and under which organisation key version its secret was made. endorsement:
   * the organisation's signing key (of endorsementVersion) over the member's key, added by the
   * administrator's device once the proof checks out; rotations seal only to endorsed keys.
   */
  keyProof: text('key_proof'),
  inviteId: text('invite_id'),
  inviteKeyVersion: integer('invite_key_version'),
  endorsement: text('endorsement'),
  endorsementVersion: integer('endorsement_version'),
  /** Where staff notices go (worker/notices.ts): only "there is new activity" or "a deadline is near", never content. */
  noticeEmail: text('notice_email'),
}, (t) => [uniqueIndex('investigators_username').on(t.username)]);

/**
 * Every public key an organisation has had, so messages signed before a rotation still verify.
 * A new version starts 'pending' and becomes the organisation's current key ('active') only
 * once a member other than the administrator who made it has confirmed on their own device that
 * their copy opens (docs/PROTOCOL.md, "Key rotation"): one administrator alone cannot switch the
 * unit to keys nobody else holds.
 */
export const KEY_VERSION_STATES = ['pending', 'active'] as const;
export const orgKeyVersions = sqliteTable('org_key_versions', {
  orgId: text('org_id').notNull().references(() => organisations.id),
  keyVersion: integer('key_version').notNull(),
  boxPublicKey: text('box_public_key').notNull(),
  signPublicKey: text('sign_public_key').notNull(),
  createdAt: integer('created_at').notNull(),
  state: text('state', { enum: KEY_VERSION_STATES }).notNull().default('active'),
  /** The member whose device made this version; null for an organisation's first. */
  createdBy: text('created_by'),
  /** Protocol 2: signature over this version by the previous version's signing key (version 1: its own). */
  endorsement: text('endorsement'),
}, (t) => [primaryKey({ columns: [t.orgId, t.keyVersion] })]);

/** One-time invitations: to join an organisation, or to found one (instance administrators). */
export const invites = sqliteTable('invites', {
  tokenHash: text('token_hash').primaryKey(),
  kind: text('kind', { enum: ['member', 'organisation'] }).notNull(),
  orgId: text('org_id').references(() => organisations.id),
  orgName: text('org_name'),
  role: text('role', { enum: ['admin', 'investigator'] }).notNull(),
  createdBy: text('created_by'),
  expiresAt: integer('expires_at').notNull(),
  /** The organisation key version whose signing seed makes this invitation's secret (protocol 2). */
  keyVersion: integer('key_version'),
});

/**
 * Failure counters with growing delay, keyed by a hash of what was attempted (a username,
 * a mailbox locator) — never by who attempted it. Unknown names and mailboxes get rows
 * too, so throttling behaves the same whether or not the account or mailbox exists.
 */
export const attemptThrottle = sqliteTable('attempt_throttle', {
  keyHash: text('key_hash').primaryKey(),
  failures: integer('failures').notNull(),
  blockedUntil: integer('blocked_until').notNull(),
  lastFailureAt: integer('last_failure_at').notNull(),
}, (t) => [index('attempt_throttle_last').on(t.lastFailureAt)]);

/**
 * Organisation private keys, sealed to one member's personal public key. A keyring that
 * exists is never overwritten; members keep every version they hold (a rotation adds one),
 * so no step of a rotation can take away what opens the existing cases.
 */
export const orgKeyrings = sqliteTable('org_keyrings', {
  memberId: text('investigator_id').notNull().references(() => members.id),
  orgId: text('org_id').notNull().references(() => organisations.id),
  keyVersion: integer('key_version').notNull(),
  sealedKeyring: text('sealed_keyring').notNull(),
  /** Set when the member's own device has opened it and found the published public keys inside. */
  confirmed: integer('confirmed', { mode: 'boolean' }).notNull().default(false),
}, (t) => [primaryKey({ columns: [t.memberId, t.orgId, t.keyVersion] })]);

export const sessions = sqliteTable('sessions', {
  /** SHA-256 of the bearer token: a stolen database yields no usable session. */
  tokenHash: text('token_hash').primaryKey(),
  memberId: text('investigator_id').notNull().references(() => members.id),
  createdAt: integer('created_at').notNull(),
  lastUsedAt: integer('last_used_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

// One list of statuses for the server and the signed documents (web/protocol/documents.ts).
import { CASE_STATUSES, type CaseStatus } from '../web/protocol/documents.js';
export { CASE_STATUSES, type CaseStatus };

export const cases = sqliteTable('cases', {
  /** Client-chosen random 16 bytes: bound into every message's associated data. */
  id: text('id').primaryKey(),
  /** Server-chosen random reference for people to quote; unrelated to the passphrase. */
  reference: text('reference').notNull(),
  orgId: text('org_id').notNull().references(() => organisations.id),
  status: text('status', { enum: CASE_STATUSES }).notNull(),
  receivedDay: text('received_day').notNull(),
  lastReporterDay: text('last_reporter_day').notNull(),
  /** Last investigator change (ms). Reporter actions never touch it: their activity is dated to the day only. */
  updatedAt: integer('updated_at').notNull(),
  /**
   * Deadlines, fixed when the report arrives (web/casework/deadlines.ts dueDays). Null only for
   * a case made before migration 0008 and not backfilled, which 0008 does for all.
   */
  ackDueDay: text('ack_due_day'),
  feedbackDueDay: text('feedback_due_day'),
  /** The day of the unit's first message with words (the acknowledgement); null until then. */
  ackDay: text('ack_day'),
  /** The day of the unit's first message marked as feedback; null until then. */
  feedbackDay: text('feedback_day'),
  /** The day the case was last closed (closed or no further action); null while open. Starts the retention clock. */
  closedDay: text('closed_day'),
  /** The member the case is assigned to, if any. */
  assignedTo: text('assigned_to').references(() => members.id),
  /** The seq of the reporter's last message: a member has news when it is above what they have seen (caseReads). */
  lastReporterSeq: integer('last_reporter_seq').notNull().default(1),
  /**
   * Set by the first step of a deletion (db/repo/files.ts cutOffCaseSteps), in the write that
   * takes the mailbox and keys: the scheduled work finds cases a crash left half deleted by it.
   */
  cutOff: integer('cut_off', { mode: 'boolean' }).notNull().default(false),
}, (t) => [
  uniqueIndex('cases_reference').on(t.reference), index('cases_org').on(t.orgId),
  // A member's removal clears their assignments.
  index('cases_assigned').on(t.assignedTo),
  // The instance's figures count a span of received days from this index alone (db/repo/figures.ts):
  // every fact they count is in it, so no case row is read (issue 16: a third of their CPU in workerd).
  index('cases_received_facts').on(t.receivedDay, t.orgId, t.status, t.ackDay, t.ackDueDay, t.feedbackDay, t.feedbackDueDay),
  // Retention (db/repo/retention.ts): each rule's due cases are one range per organisation.
  index('cases_org_closed').on(t.orgId, t.closedDay), index('cases_org_reporter').on(t.orgId, t.lastReporterDay),
  index('cases_cut_off').on(t.id).where(sql`${t.cutOff} = 1`),
]);

/**
 * Internal notes of a unit on a case: sealed under the case key (web/protocol/notes.ts), so
 * the server holds only ciphertext, and never part of the thread: the reporter's mailbox never
 * returns them.
 */
export const caseNotes = sqliteTable('case_notes', {
  id: text('id').primaryKey(),
  caseId: text('case_id').notNull().references(() => cases.id),
  orgId: text('org_id').notNull().references(() => organisations.id),
  authorId: text('author_id').notNull().references(() => members.id),
  envelope: text('envelope').notNull(),
  /** The author's organisation signing key (of keyVersion) over the note's bytes. */
  signature: text('signature').notNull(),
  keyVersion: integer('key_version').notNull(),
  /** Staff action (ms), like the audit log's. */
  createdAt: integer('created_at').notNull(),
}, (t) => [index('case_notes_case').on(t.caseId)]);

/** Per member and case: the last message seq the member has seen, for "new message from the reporter" markers. */
export const caseReads = sqliteTable('case_reads', {
  memberId: text('member_id').notNull().references(() => members.id),
  caseId: text('case_id').notNull().references(() => cases.id),
  seenSeq: integer('seen_seq').notNull(),
}, (t) => [primaryKey({ columns: [t.memberId, t.caseId] }), index('case_reads_case').on(t.caseId)]);

/** What each member has been told by e-mail (worker/notices.ts), so a notice goes once. */
export const staffNotices = sqliteTable('staff_notices', {
  memberId: text('member_id').primaryKey().references(() => members.id),
  /** The organisation's reporterActivity when the member was last told of new activity. */
  activitySeen: integer('activity_seen').notNull().default(0),
  /**
   * The day of the member's daily notice: sent, or found with nothing to tell. Notices go once a
   * day at a fixed hour (worker/notices.ts), so their timing says nothing finer than the day.
   */
  noticeDay: text('notice_day'),
});

/** The case key sealed to an organisation's encryption key (one row per organisation with access). */
export const caseKeys = sqliteTable('case_keys', {
  caseId: text('case_id').notNull().references(() => cases.id),
  orgId: text('org_id').notNull().references(() => organisations.id),
  keyVersion: integer('key_version').notNull(),
  sealedCaseKey: text('sealed_case_key').notNull(),
  /** Protocol 2: the sealer's signature (the reporter's mailbox key, or sealedByOrg's signing key of sealedByVersion). */
  sealSignature: text('seal_signature'),
  sealedByOrg: text('sealed_by_org'),
  sealedByVersion: integer('sealed_by_version'),
  /**
   * The case list's two orders, copied from the case so that one index range gives a page of the
   * cases a unit holds, whatever their number: the case's received day, and its next open
   * deadline ('9999-12-31' when none: db/repo/cases.ts NO_DEADLINE_DAY). Set by the database's
   * triggers (migration 0009) on every insert of a key and every write to its case, never by the
   * app: no write path can forget them. The defaults stand only until the insert's trigger runs.
   */
  receivedDay: text('received_day').notNull().default(''),
  dueDay: text('due_day').notNull().default('9999-12-31'),
}, (t) => [
  primaryKey({ columns: [t.caseId, t.orgId] }),
  index('case_keys_org_received').on(t.orgId, t.receivedDay, t.caseId),
  index('case_keys_org_due').on(t.orgId, t.dueDay, t.caseId),
]);

/**
 * A case offered to another organisation. The sender keeps its access until a member of the
 * receiving organisation has opened the sealed key on their device and accepted: an offer
 * that does not open is declined and changes nothing, so passing on cannot bury a case.
 */
export const caseTransfers = sqliteTable('case_transfers', {
  caseId: text('case_id').notNull().references(() => cases.id),
  fromOrgId: text('from_org_id').notNull().references(() => organisations.id),
  toOrgId: text('to_org_id').notNull().references(() => organisations.id),
  keyVersion: integer('key_version').notNull(),
  sealedCaseKey: text('sealed_case_key').notNull(),
  keepAccess: integer('keep_access', { mode: 'boolean' }).notNull(),
  /** Protocol 2: signed by the offering organisation's signing key of this version. */
  sealSignature: text('seal_signature'),
  sealedByVersion: integer('sealed_by_version'),
  offeredBy: text('offered_by').notNull(),
  offeredAt: integer('offered_at').notNull(),
}, (t) => [primaryKey({ columns: [t.caseId, t.toOrgId] }), index('case_transfers_to').on(t.toOrgId)]);

export const mailboxes = sqliteTable('mailboxes', {
  /** SHA-256 of the Argon2id-derived locator; the passphrase never reaches the server. */
  locatorHash: text('locator_hash').primaryKey(),
  caseId: text('case_id').notNull().references(() => cases.id),
  signPublicKey: text('sign_public_key').notNull(),
  boxPublicKey: text('box_public_key').notNull(),
  sealedCaseKey: text('sealed_case_key').notNull(),
  /** Protocol 2: the mailbox key's signature over its sealed case key. */
  sealSignature: text('seal_signature'),
}, (t) => [uniqueIndex('mailboxes_case').on(t.caseId)]);

export const messages = sqliteTable('messages', {
  id: text('id').primaryKey(),
  caseId: text('case_id').notNull().references(() => cases.id),
  /** Order within the case; stands in for a timestamp. */
  seq: integer('seq').notNull(),
  role: text('role', { enum: ['reporter', 'organisation'] }).notNull(),
  /** For organisation messages: which organisation signed it. */
  orgId: text('org_id').references(() => organisations.id),
  envelope: text('envelope').notNull(),
  signature: text('signature').notNull(),
  day: text('day').notNull(),
  /** For organisation messages: the version of the organisation's signing key used. */
  keyVersion: integer('key_version'),
  /** Protocol 2: SHA-256 link of this message (the next one signs it); the server checks replies follow the last. */
  link: text('link'),
}, (t) => [uniqueIndex('messages_case_seq').on(t.caseId, t.seq)]);

export const AUDIT_ACTIONS = [
  'sign_in', 'sign_out', 'case_view', 'case_list', 'case_reply', 'case_status',
  'case_pass_on', 'case_received', 'case_transfer_accept', 'case_transfer_decline',
  'member_invite', 'invite_revoke', 'member_add', 'totp_confirm', 'member_keyring', 'keyring_confirm', 'keyring_reject',
  'member_remove', 'key_rotate', 'key_activate', 'key_abandon', 'session_revoke', 'organisation_create',
  // Issue 15: handling cases together, figures, retention, settings.
  'case_assign', 'case_note', 'figures_view', 'organisation_settings', 'notice_settings',
  // By the scheduled work (retention), not through a route: no actor.
  'case_delete',
  // By the operator, from the server (scripts/reset-second-factor.ts), not through a route.
  'totp_reset',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Append-only, hash-chained log of investigator actions, one chain per organisation.
 * Each entry's hash covers its fields and the previous entry's hash, so an edit, a
 * deletion or a reordering breaks the chain at that entry. It records who (an
 * investigator) and what (a case or member id) — never anything about a reporter.
 */
export const auditLog = sqliteTable('audit_log', {
  orgId: text('org_id').notNull().references(() => organisations.id),
  seq: integer('seq').notNull(),
  at: integer('at').notNull(),
  actorId: text('actor_id'),
  action: text('action', { enum: AUDIT_ACTIONS }).notNull(),
  subject: text('subject'),
  detail: text('detail'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.seq] })]);

/**
 * Never holds a row: inserting one aborts the write it is part of (a trigger raises
 * "guard: <id>"). db/atomic.ts's requireThat() inserts here exactly when its condition is
 * false, which gives D1's batches, which have no interactive transactions, a conditional abort.
 */
export const writeGuards = sqliteTable('write_guards', {
  guard: text('guard').notNull(),
});

/** Spent challenges, as hashes, kept until they expire so none is spent twice (issued ones are not stored). */
export const challenges = sqliteTable('challenges', {
  challengeHash: text('challenge_hash').primaryKey(),
  expiresAt: integer('expires_at').notNull(),
  /** The proof-of-work difficulty asked for when it was issued. */
  workBits: integer('work_bits').notNull().default(0),
}, (t) => [index('challenges_expiry').on(t.expiresAt)]);

/**
 * Files attached to messages (docs/PROTOCOL.md, "Files"): declared with their message, in the
 * same write, then uploaded in parts. The server knows a file's ciphertext length and nothing
 * else: no name, no type, no plaintext. `createdDay` is the day only (reporter activity is dated
 * to the day); an upload still incomplete the day after is removed by the scheduled work.
 */
export const files = sqliteTable('files', {
  /** Client-chosen random 16 bytes (the id inside the encrypted attachment descriptor). */
  id: text('id').primaryKey(),
  caseId: text('case_id').notNull().references(() => cases.id),
  messageId: text('message_id').notNull().references(() => messages.id),
  /** The side whose message declared the file: only that side uploads its parts. */
  role: text('role', { enum: ['reporter', 'organisation'] }).notNull(),
  /** Ciphertext length (web/protocol/file-lengths.ts fileCipherLength). */
  bytes: integer('bytes').notNull(),
  /** Ciphertext bytes in each of its full parts, as the server decided when it was declared (the default: files from before migration 0011). */
  partBytes: integer('part_bytes').notNull().default(FILE_PART_BYTES_BEFORE_0011),
  parts: integer('parts').notNull(),
  complete: integer('complete', { mode: 'boolean' }).notNull().default(false),
  createdDay: text('created_day').notNull(),
}, (t) => [index('files_case').on(t.caseId), index('files_message').on(t.messageId), index('files_incomplete').on(t.complete, t.createdDay)]);

/** Which parts of a file the store holds; a part is recorded only after its bytes are stored. */
export const fileParts = sqliteTable('file_parts', {
  fileId: text('file_id').notNull().references(() => files.id),
  part: integer('part').notNull(),
}, (t) => [primaryKey({ columns: [t.fileId, t.part] })]);

/**
 * The Node file store's bytes (worker/file-store.ts): in the same database, so `npm run backup`
 * copies them with everything else. The store stands apart from the rows above, as R2 does on
 * Workers (no foreign key): D1 deployments keep this table empty.
 */
export const fileBlobs = sqliteTable('file_blobs', {
  fileId: text('file_id').notNull(),
  part: integer('part').notNull(),
  bytes: blob('bytes', { mode: 'buffer' }).notNull(),
}, (t) => [primaryKey({ columns: [t.fileId, t.part] })]);

// Fills a Parley database with many reports, straight into SQLite (prepared statements in
// big transactions): per report a case, its organisation case key, its mailbox and its
// first message with a 1 KiB-bucket envelope of the real length, and the casework a unit
// that keeps its deadlines would have done (scale-casework.ts). Ids and keys are random
// bytes of the real lengths; a few "known" reports made by the real client are spread
// evenly through the insert order so the benchmark can open their mailboxes. Also appends
// a long audit chain, hashed as the server hashes it.
import { createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SIZES } from '../web/protocol/labels.js';
import type { SubmitReportBody } from '../web/client/wire-types.js';
import { auditEntryHash, GENESIS_HASH } from '../worker/audit.js';
import { caseworkFacts, dueForDeletionFacts, type CaseworkFacts } from './scale-casework.js';

/** version ‖ nonce ‖ AEAD(1,024-byte bucket) ‖ tag */
const ENVELOPE_1K_BYTES = 1 + SIZES.nonce + 1024 + SIZES.aeadTag;
const SEALED_CASE_KEY_BYTES = 97;
const ROWS_PER_TRANSACTION = 20_000;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const b64 = (bytes: Buffer) => bytes.toString('base64url'); // the same unpadded base64url as the protocol's bytesToB64

// References are 40 random-looking bits, like the server's; made from the row number through
// a bijection of 40-bit numbers so that a million of them cannot collide (random ones would:
// the birthday bound for 2^40 is about a million).
const REFERENCE_MULTIPLIER = 0x9e3779b97fn | 1n;
const REFERENCE_OFFSET = BigInt(`0x${randomBytes(5).toString('hex')}`);
function referenceFor(index: number): string {
  let bits = (BigInt(index) * REFERENCE_MULTIPLIER + REFERENCE_OFFSET) & ((1n << 40n) - 1n);
  let out = '';
  for (let i = 0; i < 8; i++, bits >>= 5n) out = CROCKFORD[Number(bits & 31n)] + out;
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

/** A submission made by the real client, stored as the server would store it. */
function rowFromSubmission(body: SubmitReportBody) {
  return {
    caseId: body.caseId,
    locatorHash: createHash('sha256').update(Buffer.from(body.mailbox.locator, 'base64url')).digest('base64url'),
    signPublicKey: body.mailbox.signPublicKey,
    boxPublicKey: body.mailbox.boxPublicKey,
    sealedCaseKey: body.mailbox.sealedCaseKey,
    orgSealedCaseKey: body.orgCaseKey.sealedCaseKey,
    keyVersion: body.orgCaseKey.keyVersion,
    messageId: body.report.id,
    envelope: body.report.envelope,
    signature: body.report.signature,
  };
}

type Row = ReturnType<typeof rowFromSubmission>;

function randomRow(keyVersion: number): Row {
  // One draw per row keeps the random-number cost small next to the inserts.
  const r = randomBytes(16 + 32 + 32 + 32 + 2 * SEALED_CASE_KEY_BYTES + 16 + ENVELOPE_1K_BYTES + SIZES.signature);
  let o = 0;
  const take = (n: number) => r.subarray(o, (o += n));
  return {
    caseId: b64(take(16)),
    locatorHash: b64(take(32)),
    signPublicKey: b64(take(32)),
    boxPublicKey: b64(take(32)),
    sealedCaseKey: b64(take(SEALED_CASE_KEY_BYTES)),
    orgSealedCaseKey: b64(take(SEALED_CASE_KEY_BYTES)),
    keyVersion,
    messageId: b64(take(16)),
    envelope: b64(take(ENVELOPE_1K_BYTES)),
    signature: b64(take(SIZES.signature)),
  };
}

export interface SeedOptions {
  orgId: string;
  keyVersion: number;
  count: number;
  known: readonly SubmitReportBody[];
  /** The member cases are assigned to. */
  assignee: string;
  /** How many cases are due for deletion (retention's next run deletes them); spread evenly, none of them known. */
  dueForDeletion: number;
  onProgress?: (done: number) => void;
}

/** Spreads `n` of `count` places evenly, skipping those `taken` (`taken` must leave the next place free). */
function spreadPlaces(count: number, n: number, taken: (i: number) => boolean): Set<number> {
  const places = new Set<number>();
  for (let k = 0; k < n; k++) {
    const i = Math.floor(((k + 0.5) * count) / n);
    places.add(taken(i) ? i + 1 : i);
  }
  return places;
}

/** Uniform draws in [0, 1), a block of random bytes at a time. */
function uniformDraws(): () => number {
  let block = new Uint32Array(0);
  let next = 0;
  return () => {
    if (next >= block.length) {
      block = new Uint32Array(randomBytes(4 * 65_536).buffer);
      next = 0;
    }
    return block[next++]! / 2 ** 32;
  };
}

export function seedReports(dbPath: string, options: SeedOptions): { seconds: number; fileBytes: number } {
  const started = performance.now();
  const sqlite = new Database(dbPath);
  try {
    // Seeding only: journal in memory (better-sqlite3 refuses OFF), no fsync, a big page
    // cache. The server reopens the file with its own settings (WAL, synchronous=FULL).
    sqlite.pragma('journal_mode = DELETE');
    sqlite.pragma('journal_mode = MEMORY');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -1048576');
    const insertCase = sqlite.prepare(`INSERT INTO cases (id, reference, org_id, status, received_day, last_reporter_day, updated_at, ack_due_day, feedback_due_day, ack_day, feedback_day, closed_day, assigned_to)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // The key's copies of the list's sort keys (received_day, due_day: migration 0009) are filled
    // by the database's own trigger from its case, which is why the case goes in first.
    const insertCaseKey = sqlite.prepare('INSERT INTO case_keys (case_id, org_id, key_version, sealed_case_key) VALUES (?, ?, ?, ?)');
    const insertMailbox = sqlite.prepare('INSERT INTO mailboxes (locator_hash, case_id, sign_public_key, box_public_key, sealed_case_key) VALUES (?, ?, ?, ?, ?)');
    const insertMessage = sqlite.prepare("INSERT INTO messages (id, case_id, seq, role, org_id, envelope, signature, day) VALUES (?, ?, 1, 'reporter', NULL, ?, ?, ?)");
    const insert = (row: Row, facts: CaseworkFacts, index: number) => {
      insertCase.run(row.caseId, referenceFor(index), options.orgId, facts.status, facts.receivedDay, facts.lastReporterDay, facts.updatedAt, facts.ackDueDay, facts.feedbackDueDay, facts.ackDay, facts.feedbackDay, facts.closedDay, facts.assignedTo);
      insertCaseKey.run(row.caseId, options.orgId, row.keyVersion, row.orgSealedCaseKey);
      insertMailbox.run(row.locatorHash, row.caseId, row.signPublicKey, row.boxPublicKey, row.sealedCaseKey);
      insertMessage.run(row.messageId, row.caseId, row.envelope, row.signature, facts.receivedDay);
    };
    const today = new Date().toISOString().slice(0, 10);
    const random = uniformDraws();
    const known = options.known.map(rowFromSubmission);
    const every = Math.max(2, Math.floor(options.count / Math.max(1, known.length)));
    const isKnownPlace = (i: number) => i % every === 0;
    const dueForDeletion = spreadPlaces(options.count, options.dueForDeletion, isKnownPlace);
    let nextKnown = 0;
    const batch = sqlite.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const row = isKnownPlace(i) && nextKnown < known.length ? known[nextKnown++]! : randomRow(options.keyVersion);
        insert(row, dueForDeletion.has(i) ? dueForDeletionFacts(today) : caseworkFacts(today, random, options.assignee), i);
      }
    });
    for (let from = 0; from < options.count; from += ROWS_PER_TRANSACTION) {
      batch(from, Math.min(options.count, from + ROWS_PER_TRANSACTION));
      options.onProgress?.(Math.min(options.count, from + ROWS_PER_TRANSACTION));
    }
    if (nextKnown < known.length) throw new Error(`only ${nextKnown} of ${known.length} known reports were placed`);
    sqlite.pragma('journal_mode = WAL');
  } finally {
    sqlite.close();
  }
  return { seconds: (performance.now() - started) / 1000, fileBytes: statSync(dbPath).size };
}

/**
 * Appends `count` entries to the organisation's audit chain after its head, hashed by the
 * server's own auditEntryHash, so verifyAuditChain accepts the whole chain: views and lists
 * of cases by `actorId`, a minute apart, ending now.
 */
export async function seedAuditChain(dbPath: string, options: { orgId: string; actorId: string; count: number; caseIds: readonly string[] }): Promise<{ seconds: number }> {
  const started = performance.now();
  const sqlite = new Database(dbPath);
  try {
    sqlite.pragma('synchronous = OFF');
    const head = sqlite.prepare('SELECT seq, hash FROM audit_log WHERE org_id = ? ORDER BY seq DESC LIMIT 1').get(options.orgId) as { seq: number; hash: string } | undefined;
    const insertEntry = sqlite.prepare('INSERT INTO audit_log (org_id, seq, at, actor_id, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insertAll = sqlite.transaction((rows: unknown[][]) => rows.forEach((row) => insertEntry.run(...row)));
    let prevHash = head?.hash ?? GENESIS_HASH;
    let seq = head?.seq ?? 0;
    const firstAt = Date.now() - options.count * 60_000;
    let rows: unknown[][] = [];
    for (let i = 0; i < options.count; i++) {
      const listing = i % 4 === 0;
      const entry = {
        orgId: options.orgId, seq: ++seq, at: firstAt + i * 60_000, actorId: options.actorId,
        action: listing ? ('case_list' as const) : ('case_view' as const),
        subject: listing ? null : options.caseIds[i % options.caseIds.length]!,
        detail: listing ? JSON.stringify({ count: 50 }) : null,
        prevHash,
      };
      prevHash = await auditEntryHash(entry);
      rows.push([entry.orgId, entry.seq, entry.at, entry.actorId, entry.action, entry.subject, entry.detail, entry.prevHash, prevHash]);
      if (rows.length === ROWS_PER_TRANSACTION) {
        insertAll(rows);
        rows = [];
      }
    }
    insertAll(rows);
  } finally {
    sqlite.close();
  }
  return { seconds: (performance.now() - started) / 1000 };
}

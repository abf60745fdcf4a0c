// Fills a Parley database with many reports, straight into SQLite (prepared statements in
// big transactions): per report a case, its organisation case key, its mailbox and its
// first message with a 1 KiB-bucket envelope of the real length. Ids and keys are random
// bytes of the real lengths; a few "known" reports made by the real client are spread
// evenly through the insert order so the benchmark can open their mailboxes.
import { createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SIZES } from '../web/protocol/labels.js';
import type { SubmitReportBody } from '../web/client/wire-types.js';

/** version ‖ nonce ‖ AEAD(1,024-byte bucket) ‖ tag */
const ENVELOPE_1K_BYTES = 1 + SIZES.nonce + 1024 + SIZES.aeadTag;
const SEALED_CASE_KEY_BYTES = 97;
const ROWS_PER_TRANSACTION = 20_000;
const STATUSES = ['received', 'received', 'received', 'assessing', 'investigating', 'passed_on', 'no_further_action', 'closed'] as const;
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

function dayWithinYears(years: number, random: number): string {
  return new Date(Date.now() - Math.floor(random * years * 365) * 86_400_000).toISOString().slice(0, 10);
}

/** A submission made by the real client, stored as the server would store it. */
function rowFromSubmission(body: SubmitReportBody) {
  return {
    caseId: body.caseId,
    status: 'received' as string,
    day: new Date().toISOString().slice(0, 10),
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
  const r = randomBytes(16 + 4 + 32 + 32 + 32 + 2 * SEALED_CASE_KEY_BYTES + 16 + ENVELOPE_1K_BYTES + SIZES.signature);
  let o = 0;
  const take = (n: number) => r.subarray(o, (o += n));
  const caseId = b64(take(16));
  const pick = take(4).readUInt32LE(0) / 2 ** 32;
  return {
    caseId,
    status: STATUSES[Math.floor(pick * STATUSES.length)]!,
    day: dayWithinYears(3, pick),
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

export function seedReports(dbPath: string, options: { orgId: string; keyVersion: number; count: number; known: readonly SubmitReportBody[]; onProgress?: (done: number) => void }): { seconds: number; fileBytes: number } {
  const started = performance.now();
  const sqlite = new Database(dbPath);
  try {
    // Seeding only: journal in memory (better-sqlite3 refuses OFF), no fsync, a big page
    // cache. The server reopens the file with its own settings (WAL, synchronous=FULL).
    sqlite.pragma('journal_mode = DELETE');
    sqlite.pragma('journal_mode = MEMORY');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -1048576');
    const insertCase = sqlite.prepare('INSERT INTO cases (id, reference, org_id, status, received_day, last_reporter_day, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insertCaseKey = sqlite.prepare('INSERT INTO case_keys (case_id, org_id, key_version, sealed_case_key) VALUES (?, ?, ?, ?)');
    const insertMailbox = sqlite.prepare('INSERT INTO mailboxes (locator_hash, case_id, sign_public_key, box_public_key, sealed_case_key) VALUES (?, ?, ?, ?, ?)');
    const insertMessage = sqlite.prepare("INSERT INTO messages (id, case_id, seq, role, org_id, envelope, signature, day) VALUES (?, ?, 1, 'reporter', NULL, ?, ?, ?)");
    const insert = (row: Row, index: number) => {
      insertCase.run(row.caseId, referenceFor(index), options.orgId, row.status, row.day, row.day, Date.parse(`${row.day}T00:00:00Z`));
      insertCaseKey.run(row.caseId, options.orgId, row.keyVersion, row.orgSealedCaseKey);
      insertMailbox.run(row.locatorHash, row.caseId, row.signPublicKey, row.boxPublicKey, row.sealedCaseKey);
      insertMessage.run(row.messageId, row.caseId, row.envelope, row.signature, row.day);
    };
    const known = options.known.map(rowFromSubmission);
    const every = Math.max(1, Math.floor(options.count / Math.max(1, known.length)));
    let nextKnown = 0;
    const batch = sqlite.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const row = i % every === 0 && nextKnown < known.length ? known[nextKnown++]! : randomRow(options.keyVersion);
        insert(row, i);
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

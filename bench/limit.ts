// The limit probe: the bench server's stack (Node http, Hono, better-sqlite3 with WAL and
// synchronous=FULL, the same database file) doing only the irreducible work of each hot
// route, so Parley's figures can be read as a ratio of what this stack can do for the same job.
//   POST /bench/limit/reports: read and parse the body, the challenge's MAC, one Ed25519
//     verify per signature the route checks (both sealed keys and the report), the two hashes
//     stored (locator, thread link), and one durable commit of the same rows (spent
//     challenge, case, mailbox, organisation case key, message 1).
//   POST /bench/limit/reports-grouped: the same, but commits made in the same turn of the
//     event loop share one transaction (one fsync); each answer still waits for its commit.
//   GET /bench/limit/mailbox: the challenge's MAC, the proof's signature verify, the reads
//     (mailbox, case, thread, the organisation's public keys) and the padded answer.
//   GET /bench/limit/commit-time: the wall time the two submission routes spent committing
//     since the last ask, the writes and COMMITs it covered (then starts again): what group
//     commit can save is estimated from what a request's commit costs.
// Nothing is validated beyond what the work needs: a bad request may answer 500 here.
import { createHash, createHmac, createPublicKey, randomBytes, timingSafeEqual, verify } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type Database from 'better-sqlite3';
import { Hono } from 'hono';
import { messageSignedBytes } from '../web/protocol/binding.js';
import { mailboxProofMessage, PROOF_HEADERS } from '../web/protocol/proof-message.js';
import { sealedCaseKeyBytes, threadLinkInput, THREAD_START } from '../web/protocol/signed-bytes.js';
import { paddedJsonText } from '../worker/padded-json.js';
import { dayOf, dayStartMs } from '../worker/deps.js';
import { MAILBOX_PATH } from './instance.js';

type Env = { Bindings: { incoming: IncomingMessage } };

const b64 = (text: string) => Buffer.from(text, 'base64url');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();
// Ed25519 public keys as SPKI DER: the raw 32 bytes after a fixed 12-byte prefix.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const verifies = (publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array) =>
  verify(null, message, createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }), signature);
const DAY_MS = 86_400_000;

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function limitRoutes(sqlite: Database.Database, serverSecret: Uint8Array) {
  const challengeKey = createHmac('sha256', serverSecret).update('parley/challenge-key/1').digest();
  /** The challenge's expiry if its MAC holds and it is live; null otherwise. */
  const liveChallenge = (header: string | undefined): number | null => {
    const challenge = header === undefined ? null : b64(header);
    if (!challenge || challenge.length !== 32) return null;
    const tag = createHmac('sha256', challengeKey).update(challenge.subarray(0, 16)).digest().subarray(0, 16);
    if (!timingSafeEqual(tag, challenge.subarray(16))) return null;
    const expiresAt = challenge.readUIntBE(1, 6);
    return expiresAt > Date.now() ? expiresAt : null;
  };

  const keyVersion = sqlite.prepare('SELECT box_public_key FROM org_key_versions WHERE org_id = ? AND key_version = ?').pluck();
  const insert = {
    challenge: sqlite.prepare('INSERT INTO challenges (challenge_hash, expires_at, work_bits) VALUES (?, ?, 0)'),
    case: sqlite.prepare("INSERT INTO cases (id, reference, org_id, status, received_day, last_reporter_day, updated_at) VALUES (?, ?, ?, 'received', ?, ?, ?)"),
    mailbox: sqlite.prepare('INSERT INTO mailboxes (locator_hash, case_id, sign_public_key, box_public_key, sealed_case_key, seal_signature) VALUES (?, ?, ?, ?, ?, ?)'),
    caseKey: sqlite.prepare('INSERT INTO case_keys (case_id, org_id, key_version, sealed_case_key, seal_signature) VALUES (?, ?, ?, ?, ?)'),
    message: sqlite.prepare("INSERT INTO messages (id, case_id, seq, role, envelope, signature, day, link) VALUES (?, ?, 1, 'reporter', ?, ?, ?, ?)"),
  };
  const read = {
    mailbox: sqlite.prepare('SELECT * FROM mailboxes WHERE locator_hash = ?'),
    case: sqlite.prepare('SELECT * FROM cases WHERE id = ?'),
    thread: sqlite.prepare('SELECT * FROM messages WHERE case_id = ? ORDER BY seq'),
    org: sqlite.prepare('SELECT id, name, box_public_key, sign_public_key, key_version FROM organisations WHERE id = ?'),
    keyChain: sqlite.prepare("SELECT key_version, box_public_key, sign_public_key, endorsement FROM org_key_versions WHERE org_id = ? AND state = 'active'"),
  };

  /** Checks a submission and returns the one write it needs, run by the caller. */
  async function checkedSubmission(c: { req: { header(name: string): string | undefined }; env: Env['Bindings'] }) {
    const expiresAt = liveChallenge(c.req.header(PROOF_HEADERS.challenge));
    if (expiresAt === null) return null;
    const body = JSON.parse(await readBody(c.env.incoming));
    const caseId = b64(body.caseId);
    const signer = b64(body.mailbox.signPublicKey);
    const sealedFor = keyVersion.get(body.orgId, body.orgCaseKey.keyVersion) as string | undefined;
    const envelope = b64(body.report.envelope);
    const signature = b64(body.report.signature);
    const ok =
      sealedFor !== undefined &&
      verifies(signer, b64(body.mailbox.sealSignature), sealedCaseKeyBytes(caseId, b64(body.mailbox.boxPublicKey), b64(body.mailbox.sealedCaseKey))) &&
      verifies(signer, b64(body.orgCaseKey.sealSignature), sealedCaseKeyBytes(caseId, b64(sealedFor), b64(body.orgCaseKey.sealedCaseKey))) &&
      verifies(signer, signature, messageSignedBytes({ caseId, messageId: b64(body.report.id), role: 'reporter', prev: THREAD_START }, envelope));
    if (!ok) return null;
    const now = Date.now();
    const today = dayOf(now);
    const reference = randomBytes(5).toString('hex');
    const challengeHash = sha256(b64(c.req.header(PROOF_HEADERS.challenge)!)).toString('base64url');
    const locatorHash = sha256(b64(body.mailbox.locator)).toString('base64url');
    const link = sha256(threadLinkInput(b64(body.report.id), signature, envelope)).toString('base64url');
    return {
      answer: { reference, receivedDay: today },
      write() {
        insert.challenge.run(challengeHash, dayStartMs(expiresAt) + DAY_MS);
        insert.case.run(body.caseId, reference, body.orgId, today, today, dayStartMs(now));
        insert.mailbox.run(locatorHash, body.caseId, body.mailbox.signPublicKey, body.mailbox.boxPublicKey, body.mailbox.sealedCaseKey, body.mailbox.sealSignature);
        insert.caseKey.run(body.caseId, body.orgId, body.orgCaseKey.keyVersion, body.orgCaseKey.sealedCaseKey, body.orgCaseKey.sealSignature);
        insert.message.run(body.report.id, body.caseId, body.report.envelope, body.report.signature, today, link);
      },
    };
  }

  /** Wall time in COMMITs (the inserts, the WAL write and its fsync) since last read. */
  let committing = { ms: 0, writes: 0, commits: 0 };
  const timedCommit = (commit: () => void, writes: number) => {
    const start = performance.now();
    try {
      commit();
    } finally {
      committing.ms += performance.now() - start;
      committing.writes += writes;
      committing.commits += 1;
    }
  };

  // Group commit: writes queued in one turn of the event loop run in one transaction, each in
  // its own savepoint (better-sqlite3 nests transactions that way), answered after COMMIT.
  let queue: { write: () => void; done: (error?: unknown) => void }[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    const errors = new Map<number, unknown>();
    try {
      timedCommit(sqlite.transaction(() => batch.forEach((item, i) => {
        try {
          sqlite.transaction(item.write)();
        } catch (error) {
          errors.set(i, error);
        }
      })), batch.length);
      batch.forEach((item, i) => item.done(errors.get(i)));
    } catch (error) {
      batch.forEach((item) => item.done(error));
    }
  };
  const grouped = (write: () => void) =>
    new Promise<void>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ write, done: (error) => (error === undefined ? resolve() : reject(error)) });
    });

  return new Hono<Env>()
    .post('/bench/limit/reports', async (c) => {
      const submission = await checkedSubmission(c);
      if (!submission) return c.json({ error: 'refused' }, 400);
      timedCommit(sqlite.transaction(submission.write), 1);
      return c.json(submission.answer, 201);
    })
    .post('/bench/limit/reports-grouped', async (c) => {
      const submission = await checkedSubmission(c);
      if (!submission) return c.json({ error: 'refused' }, 400);
      await grouped(submission.write);
      return c.json(submission.answer, 201);
    })
    .get('/bench/limit/commit-time', (c) => {
      const since = committing;
      committing = { ms: 0, writes: 0, commits: 0 };
      return c.json(since);
    })
    .get('/bench/limit/mailbox', (c) => {
      const challengeHeader = c.req.header(PROOF_HEADERS.challenge);
      if (liveChallenge(challengeHeader) === null) return c.json({ error: 'refused' }, 403);
      const mailbox = read.mailbox.get(sha256(b64(c.req.header(PROOF_HEADERS.locator) ?? '')).toString('base64url')) as Record<string, string> | undefined;
      const message = mailboxProofMessage(b64(challengeHeader!), 'GET', MAILBOX_PATH, sha256(new Uint8Array(0)));
      if (!mailbox || !verifies(b64(mailbox.sign_public_key!), b64(c.req.header(PROOF_HEADERS.signature) ?? ''), message)) return c.json({ error: 'refused' }, 403);
      const caseRow = read.case.get(mailbox.case_id) as Record<string, string>;
      const thread = read.thread.all(mailbox.case_id) as Record<string, string | number | null>[];
      const org = read.org.get(caseRow.org_id) as Record<string, string | number>;
      const keyChain = read.keyChain.all(caseRow.org_id);
      const text = paddedJsonText({
        caseId: caseRow.id, reference: caseRow.reference, status: caseRow.status, receivedDay: caseRow.received_day,
        sealedCaseKey: mailbox.sealed_case_key, sealSignature: mailbox.seal_signature,
        organisations: [{ ...org, keyChain }],
        messages: thread.map((m) => ({ id: m.id, role: m.role, orgId: m.org_id, keyVersion: m.key_version, day: m.day, envelope: m.envelope, signature: m.signature })),
      });
      return c.body(text, 200, { 'content-type': 'application/json' });
    });
}

// The hash-chained audit log: appending an investigator action and verifying a chain.
// hash = SHA-256(JSON [version, orgId, seq, at, actorId, action, subject, detail, prevHash]);
// the first entry's prevHash is 32 zero bytes. Verification recomputes every link and names
// the first entry that does not match.
import { bytesToB64, utf8ToBytes } from '../web/protocol/encoding.js';
import type { ParleyDb } from '../db/database.js';
import type { AuditAction } from '../db/schema.js';
import { auditEntries, insertAuditStatement, lastAuditEntry, type AuditRow } from '../db/repo/audit.js';
import { runAtomically, type WriteStep } from '../db/atomic.js';
import { sha256B64 } from './server-crypto.js';
import { isUniqueViolation } from './validate.js';

const AUDIT_FORMAT_VERSION = 1;
export const GENESIS_HASH = bytesToB64(new Uint8Array(32));

export interface AuditEvent {
  orgId: string;
  actorId: string | null;
  action: AuditAction;
  subject: string | null;
  detail?: Record<string, string | number | boolean>;
}

export function auditEntryHash(row: Omit<AuditRow, 'hash'>): Promise<string> {
  const canonical = JSON.stringify([AUDIT_FORMAT_VERSION, row.orgId, row.seq, row.at, row.actorId, row.action, row.subject, row.detail, row.prevHash]);
  return sha256B64(utf8ToBytes(canonical));
}

/** Concurrent writers of one organisation race for the next sequence number; the loser tries again. */
const MAX_ATTEMPTS = 40;

function isAuditCollision(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (/audit_log/.test(e.message)) return isUniqueViolation(e);
  return false;
}

/**
 * A chain's last entry as the caller read it already (sign-in reads it with the member): the
 * first try starts from it. One gone stale only collides with the entry that followed it, and
 * the retry reads the head afresh.
 */
export interface ReadHead {
  orgId: string;
  last: AuditRow | undefined;
}

/** The next entries of each chain the events touch (an event may name another organisation: a pass-on). */
async function nextEntries(db: ParleyDb, now: number, events: readonly AuditEvent[], readHeads: readonly ReadHead[]): Promise<AuditRow[]> {
  const heads = new Map<string, { seq: number; hash: string }>();
  const rows: AuditRow[] = [];
  for (const event of events) {
    if (!heads.has(event.orgId)) {
      const read = readHeads.find((h) => h.orgId === event.orgId);
      const last = read ? read.last : await lastAuditEntry(db, event.orgId);
      heads.set(event.orgId, { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH });
    }
    const head = heads.get(event.orgId)!;
    const unhashed = {
      orgId: event.orgId,
      seq: head.seq + 1,
      at: now,
      actorId: event.actorId,
      action: event.action,
      subject: event.subject,
      detail: event.detail ? JSON.stringify(event.detail) : null,
      prevHash: head.hash,
    };
    const row = { ...unhashed, hash: await auditEntryHash(unhashed) };
    heads.set(event.orgId, { seq: row.seq, hash: row.hash });
    rows.push(row);
  }
  return rows;
}

/**
 * The one way to make an audited change: the change's statements (and guards) and its audit
 * entries run as one atomic write, so no change lands without its entry and no entry
 * without its change. `change` is called again on each retry.
 */
export async function audited(
  db: ParleyDb,
  now: number,
  events: AuditEvent | readonly AuditEvent[],
  change: () => WriteStep[] = () => [],
  readHeads: readonly ReadHead[] = [],
): Promise<AuditRow[]> {
  const list = Array.isArray(events) ? (events as readonly AuditEvent[]) : [events as AuditEvent];
  for (let attempt = 1; ; attempt++) {
    const rows = await nextEntries(db, now, list, attempt === 1 ? readHeads : []);
    try {
      await runAtomically(db, [...change(), ...rows.map((row) => insertAuditStatement(db, row))]);
      return rows;
    } catch (error) {
      if (!isAuditCollision(error) || attempt >= MAX_ATTEMPTS) throw error;
      // A little random wait spreads the racers out (drawn from the CSPRNG, as all randomness here).
      const [draw] = crypto.getRandomValues(new Uint32Array(1));
      await new Promise((resolve) => setTimeout(resolve, (draw! / 2 ** 32) * 5 * attempt));
    }
  }
}

export type ChainVerdict = { ok: true; entries: number; headHash: string } | { ok: false; entries: number; brokenAtSeq: number; reason: string };

export async function verifyAuditChain(db: ParleyDb, orgId: string): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (;;) {
    // Keyset paging (after the last seq seen), so verification is linear in the log's length.
    const page = await auditEntries(db, orgId, expectedSeq - 1);
    if (page.length === 0) return { ok: true, entries: expectedSeq - 1, headHash: prevHash };
    for (const row of page) {
      const fail = (reason: string): ChainVerdict => ({ ok: false, entries: expectedSeq - 1, brokenAtSeq: row.seq, reason });
      if (row.seq !== expectedSeq) return { ok: false, entries: expectedSeq - 1, brokenAtSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      if (row.prevHash !== prevHash) return fail('does not follow the previous entry');
      const { hash, ...unhashed } = row;
      if ((await auditEntryHash(unhashed)) !== hash) return fail('its contents were changed');
      prevHash = hash;
      expectedSeq++;
    }
    // A turn of the event loop between pages: on a server, a long chain never holds it for more than a page.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

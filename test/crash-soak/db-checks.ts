// The database file as a crash left it, opened read-only (so nothing here recovers,
// checkpoints or repairs it before the server does): SQLite's own integrity and foreign-key
// checks, the schema's all-or-nothing invariants, and every organisation's audit chain.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema.js';
import type { ParleyDb } from '../../db/database.js';
import { verifyAuditChain } from '../../worker/audit.js';

export interface DbCheck {
  /** 'ok', or SQLite's first complaints. */
  integrity: string;
  /** Each names a broken invariant and how many rows break it. */
  violations: string[];
  auditChainsOk: boolean;
  /** Investigator replies stored without their case_reply audit entry (see the report). */
  repliesWithoutAudit: number;
  counts: { cases: number; messages: number; auditEntries: number };
}

/** Each query returns the rows that break the invariant its name states. */
const INVARIANTS: Record<string, string> = {
  'every case has exactly one mailbox': `SELECT c.id FROM cases c WHERE (SELECT COUNT(*) FROM mailboxes m WHERE m.case_id = c.id) <> 1`,
  'every case has one case key for its own organisation': `SELECT c.id FROM cases c WHERE (SELECT COUNT(*) FROM case_keys k WHERE k.case_id = c.id AND k.org_id = c.org_id) <> 1`,
  "every case's message 1 is the reporter's report": `SELECT c.id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.case_id = c.id AND m.seq = 1 AND m.role = 'reporter')`,
  // (case_id, seq) is unique, so MIN 1 and MAX = COUNT means exactly 1..n.
  'message seqs per case are 1..n without gaps': `SELECT case_id FROM messages GROUP BY case_id HAVING MIN(seq) <> 1 OR MAX(seq) <> COUNT(*)`,
  'no mailbox, case key or message without its case': `SELECT case_id FROM mailboxes WHERE case_id NOT IN (SELECT id FROM cases) UNION ALL SELECT case_id FROM case_keys WHERE case_id NOT IN (SELECT id FROM cases) UNION ALL SELECT case_id FROM messages WHERE case_id NOT IN (SELECT id FROM cases)`,
};

const REPLIES_WITHOUT_AUDIT = `SELECT COUNT(*) AS n FROM messages m WHERE m.role = 'organisation' AND NOT EXISTS (
  SELECT 1 FROM audit_log a WHERE a.org_id = m.org_id AND a.action = 'case_reply' AND json_extract(a.detail, '$.message') = m.id)`;

export async function checkDatabaseFile(path: string): Promise<DbCheck> {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrityRows = sqlite.pragma('integrity_check') as { integrity_check: string }[];
    const integrity = integrityRows.map((r) => r.integrity_check).slice(0, 5).join('; ');
    const violations: string[] = [];
    const foreignKeyRows = sqlite.pragma('foreign_key_check') as unknown[];
    if (foreignKeyRows.length > 0) violations.push(`foreign keys: ${foreignKeyRows.length} rows`);
    for (const [name, query] of Object.entries(INVARIANTS)) {
      const rows = sqlite.prepare(query).all();
      if (rows.length > 0) violations.push(`${name}: ${rows.length} broken`);
    }
    const db = drizzle(sqlite, { schema }) as unknown as ParleyDb;
    const orgIds = (sqlite.prepare('SELECT id FROM organisations').all() as { id: string }[]).map((r) => r.id);
    let auditChainsOk = true;
    for (const orgId of orgIds) {
      const verdict = await verifyAuditChain(db, orgId);
      if (!verdict.ok) {
        auditChainsOk = false;
        violations.push(`audit chain of ${orgId}: entry ${verdict.brokenAtSeq} ${verdict.reason}`);
      }
    }
    const count = (table: string) => (sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      integrity,
      violations,
      auditChainsOk,
      repliesWithoutAudit: (sqlite.prepare(REPLIES_WITHOUT_AUDIT).get() as { n: number }).n,
      counts: { cases: count('cases'), messages: count('messages'), auditEntries: count('audit_log') },
    };
  } finally {
    sqlite.close();
  }
}

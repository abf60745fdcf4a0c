// The audit log: investigator actions are appended to a per-organisation hash chain, the
// database refuses edits, and any edit made behind its back is found at the exact entry.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { sodiumReady } from '../../web/protocol/index.js';
import { listCases, openCase, replyToCase, setCaseStatus, signOut } from '../../web/client/investigator.js';
import { audited, auditEntryHash, verifyAuditChain } from '../../worker/audit.js';
import { auditEntries } from '../../db/repo/audit.js';
import { addOrganisation, makeTestApp, signInAs, type TestApp } from '../support/test-app.js';
import { fileReport } from '../support/reports.js';

let t: TestApp;
let orgId: string;
let totpSecret: string;
beforeAll(sodiumReady);
beforeEach(async () => {
  t = makeTestApp();
  const created = await addOrganisation(t, 'Anti-Corruption Unit', 'alice');
  orgId = created.orgId;
  totpSecret = created.totpSecret;
  await fileReport(t.api, 'x');
  const session = await signInAs(t, 'alice', created.totpSecret);
  const [summary] = await listCases(t.api, session);
  const opened = await openCase(t.api, session, summary!.id);
  await replyToCase(t.api, session, opened, 'question', 'assessing');
  await setCaseStatus(t.api, session, opened, 'investigating');
  await signOut(t.api, session);
});
afterEach(() => t.close());

const sql = (statement: string, ...params: unknown[]) => t.database.sqlite.prepare(statement).run(...params);
const rows = () => t.database.sqlite.prepare('SELECT seq, action, actor_id, subject, detail FROM audit_log WHERE org_id = ? ORDER BY seq').all(orgId) as { seq: number; action: string; actor_id: string; subject: string; detail: string | null }[];

describe('audit log', () => {
  it('records who did what, in order, and the chain verifies', async () => {
    // The status change followed the reply, so the client opened the case again first (a second case_view).
    expect(rows().map((r) => r.action)).toEqual(['organisation_create', 'sign_in', 'keyring_confirm', 'case_list', 'case_view', 'case_reply', 'case_view', 'case_status', 'sign_out']);
    expect(await verifyAuditChain(t.database.db, orgId)).toMatchObject({ ok: true, entries: 9 });
  });

  it('holds nothing about the reporter: only investigator, organisation and case ids, statuses and counts', () => {
    const memberId = (t.database.sqlite.prepare('SELECT id FROM investigators').get() as { id: string }).id;
    const caseId = (t.database.sqlite.prepare('SELECT id FROM cases').get() as { id: string }).id;
    for (const row of rows()) {
      expect(row.actor_id).toBe(memberId);
      expect([memberId, caseId, orgId, null]).toContain(row.subject);
    }
  });

  it('records every one of many concurrent replies, each with its entry', async () => {
    const session = await signInAs(t, 'alice', totpSecret);
    const [summary] = await listCases(t.api, session);
    const opened = await openCase(t.api, session, summary!.id);
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => replyToCase(t.api, session, opened, `reply ${i}`)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(rows().filter((r) => r.action === 'case_reply')).toHaveLength(13);
    // The 12, the question and the status change made before each test.
    expect(t.database.sqlite.prepare("SELECT COUNT(*) AS n FROM messages WHERE role = 'organisation'").get()).toEqual({ n: 14 });
    expect(await verifyAuditChain(t.database.db, orgId)).toMatchObject({ ok: true });
  });

  it('starts from a chain head its caller read earlier (sign-in reads it with the member); one gone stale costs a retry, not the chain', async () => {
    const [oldest] = await auditEntries(t.database.db, orgId, 0, 1);
    const memberId = (t.database.sqlite.prepare('SELECT id FROM investigators').get() as { id: string }).id;
    const [landed] = await audited(t.database.db, t.clock.now, { orgId, actorId: memberId, action: 'sign_out', subject: memberId }, () => [], [{ orgId, last: oldest }]);
    expect(landed!.seq).toBe(10);
    expect(await verifyAuditChain(t.database.db, orgId)).toMatchObject({ ok: true, entries: 10 });
  });

  it('is append-only in the database', () => {
    expect(() => sql("UPDATE audit_log SET detail = 'x' WHERE seq = 2")).toThrow(/append-only/);
    expect(() => sql('DELETE FROM audit_log WHERE seq = 2')).toThrow(/append-only/);
  });

  describe('tampering behind the database’s back (triggers dropped)', () => {
    beforeEach(() => {
      sql('DROP TRIGGER audit_log_no_update');
      sql('DROP TRIGGER audit_log_no_delete');
    });

    it('finds a changed entry at that entry', async () => {
      sql(`UPDATE audit_log SET detail = '{"status":"closed"}' WHERE seq = 4`);
      expect(await verifyAuditChain(t.database.db, orgId)).toMatchObject({ ok: false, brokenAtSeq: 4, entries: 3 });
    });

    it('finds a deleted entry where the gap is', async () => {
      sql('DELETE FROM audit_log WHERE seq = 2');
      expect(await verifyAuditChain(t.database.db, orgId)).toMatchObject({ ok: false, brokenAtSeq: 2 });
    });

    it('finds a changed entry whose hash was recomputed, at the entry after it', async () => {
      // The forger recomputes entry 3's own hash, so it checks out on its own; only the link from
      // entry 4 (its previous-hash) gives it away.
      const entry = t.database.sqlite.prepare('SELECT * FROM audit_log WHERE org_id = ? AND seq = 3').get(orgId) as Record<string, unknown>;
      const forged = { orgId, seq: 3, at: entry.at as number, actorId: entry.actor_id as string, action: 'case_view' as const, subject: entry.subject as string, detail: null, prevHash: entry.prev_hash as string };
      sql(`UPDATE audit_log SET action = 'case_view', detail = NULL, hash = ? WHERE org_id = ? AND seq = 3`, await auditEntryHash(forged), orgId);
      expect(await verifyAuditChain(t.database.db, orgId)).toMatchObject({ ok: false, brokenAtSeq: 4, entries: 3, reason: 'does not follow the previous entry' });
    });

    it('is reported by the verify command with the exact entry and a failing exit code', () => {
      sql(`UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 5`);
      t.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      let output = '';
      let status = 0;
      try {
        execFileSync(process.execPath, ['--import', 'tsx', 'scripts/verify-audit.ts'], { env: { ...process.env, PARLEY_DB: t.dbPath }, encoding: 'utf8' });
      } catch (error) {
        const e = error as { status: number; stdout: string };
        status = e.status;
        output = e.stdout;
      }
      expect(status).toBe(1);
      expect(output).toContain('BROKEN  Anti-Corruption Unit: entry 5 its contents were changed');
    });
  });
});

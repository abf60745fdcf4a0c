// Retention on Node (the hourly run) and in workerd (the cron handler, over D1 and R2): the
// scheduled work deletes exactly the cases whose deletion day has come, with every row and
// stored part they hold, and nothing a reporter wrote to within 30 days; each deletion leaves one
// audit entry without content; and a deletion a crash cut short is finished by the next run.
import { describe, expect, it } from 'vitest';
import { submitReport } from '../../web/client/reporter.js';
import { mailboxFileAccess, uploadParts } from '../../web/client/file-transfer.js';
import { ApiRequestError } from '../../web/client/api.js';
import { openMailbox } from '../../web/client/reporter.js';
import { listCases, openCase, sessionHeaders, setCaseStatus } from '../../web/client/investigator.js';
import { addDays } from '../../web/casework/calendar.js';
import { runAtomically } from '../../db/atomic.js';
import { cutOffCaseSteps } from '../../db/repo/files.js';
import { verifyAuditChain } from '../../worker/audit.js';
import { dayOf } from '../../worker/deps.js';
import { databaseFileStore } from '../../worker/file-store.js';
import { deleteDueCases } from '../../worker/retention.js';
import { draftReport, type DraftReport } from '../support/reports.js';
import { declared, partOf, testFile } from '../support/files.js';
import { scheduledTargets, useTarget, type ApiTarget } from '../support/targets.js';

const { targets: TARGETS, runScheduled } = scheduledTargets();

const FAST_RETRY = { attempts: 3, firstDelayMs: 10, maxDelayMs: 50 };

describe.each(TARGETS)('retention on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  /** A report with one uploaded file, then its facts set as if it were `age` days into its life. */
  async function caseWith(facts: { status: string; closedAgo?: number; reporterAgo: number; unitAgo: number }): Promise<DraftReport & { caseId: string; sample: Buffer }> {
    const file = testFile(10);
    const draft = await draftReport(t.api, 'A report that will grow old.');
    draft.submission.report.files = declared(file);
    await submitReport(t.api, draft.submission);
    await uploadParts(t.api, mailboxFileAccess(draft.keys), file.id, async (part) => partOf(file, part), undefined, FAST_RETRY);
    const today = dayOf(t.now());
    const ago = (days: number) => addDays(today, -days);
    t.sql(
      'UPDATE cases SET status = ?, closed_day = ?, last_reporter_day = ?, updated_at = ? WHERE id = ?',
      facts.status, facts.closedAgo === undefined ? null : ago(facts.closedAgo), ago(facts.reporterAgo), Date.parse(`${ago(facts.unitAgo)}T00:00:00Z`), draft.submission.caseId,
    );
    return { ...draft, caseId: draft.submission.caseId, sample: Buffer.from(file.cipher.slice(200, 264)) };
  }

  const remaining = (table: string, caseId: string) => t.sql<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE case_id = ?`, caseId)[0]!.n;
  const flush = () => {
    if (t.name === 'node') t.sql('PRAGMA wal_checkpoint(TRUNCATE)');
  };

  it('deletes exactly the cases whose day has come, with all they hold, and keeps any a reporter wrote to within 30 days', async () => {
    const closedLongAgo = await caseWith({ status: 'closed', closedAgo: 366, reporterAgo: 400, unitAgo: 366 });
    const closedRecently = await caseWith({ status: 'no_further_action', closedAgo: 300, reporterAgo: 400, unitAgo: 300 });
    const reporterBack = await caseWith({ status: 'closed', closedAgo: 400, reporterAgo: 10, unitAgo: 400 });
    const inactive = await caseWith({ status: 'investigating', reporterAgo: 2200, unitAgo: 2200 });
    const unitStillAtIt = await caseWith({ status: 'investigating', reporterAgo: 2200, unitAgo: 100 });
    // Notes and read markers of the first case go with it.
    const [member] = t.sql<{ id: string; org_id: string }>('SELECT id, org_id FROM investigators');
    t.sql('INSERT INTO case_notes (id, case_id, org_id, author_id, envelope, signature, key_version, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, 0)', 'N'.repeat(22), closedLongAgo.caseId, member!.org_id, member!.id, 'e', 's');
    t.sql('INSERT INTO case_reads (member_id, case_id, seen_seq) VALUES (?, ?, 1)', member!.id, closedLongAgo.caseId);
    flush();
    expect(t.storedBytes().includes(closedLongAgo.sample)).toBe(true);

    await runScheduled(t);

    const kept = t.sql<{ id: string }>('SELECT id FROM cases ORDER BY id').map((r) => r.id);
    expect(kept).toEqual([closedRecently, reporterBack, unitStillAtIt].map((c) => c.caseId).sort());
    for (const gone of [closedLongAgo, inactive]) {
      for (const table of ['messages', 'case_keys', 'mailboxes', 'files', 'case_notes', 'case_reads', 'case_transfers']) expect(remaining(table, gone.caseId), table).toBe(0);
      await expect(openMailbox(t.api, gone.keys)).rejects.toBeInstanceOf(ApiRequestError);
    }
    expect(t.sql('SELECT COUNT(*) AS n FROM file_parts WHERE file_id NOT IN (SELECT id FROM files)')).toEqual([{ n: 0 }]);
    flush();
    expect(t.storedBytes().includes(closedLongAgo.sample)).toBe(false);
    expect(t.storedBytes().includes(inactive.sample)).toBe(false);
    expect(t.storedBytes().includes(closedRecently.sample)).toBe(true);
    // The kept cases still open for their reporters.
    expect((await openMailbox(t.api, reporterBack.keys)).entries).toHaveLength(1);

    // One entry each, no actor, the case id and the rule: nothing of the content.
    const entries = t.sql<{ actor_id: string | null; subject: string; detail: string }>("SELECT actor_id, subject, detail FROM audit_log WHERE action = 'case_delete' ORDER BY subject");
    expect(entries).toEqual(
      [{ subject: closedLongAgo.caseId, detail: '{"reason":"closed"}' }, { subject: inactive.caseId, detail: '{"reason":"inactive"}' }]
        .sort((a, b) => (a.subject < b.subject ? -1 : 1))
        .map((e) => ({ actor_id: null, ...e })),
    );
    expect(await verifyAuditChain(t.db, member!.org_id)).toMatchObject({ ok: true });

    // A second run finds nothing more to do.
    await runScheduled(t);
    expect(t.sql("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case_delete'")).toEqual([{ n: 2 }]);
    expect(t.sql('SELECT COUNT(*) AS n FROM cases')).toEqual([{ n: 3 }]);
  });

  it('follows the organisation’s own settings', async () => {
    const closed = await caseWith({ status: 'closed', closedAgo: 100, reporterAgo: 100, unitAgo: 100 });
    await runScheduled(t);
    expect(remaining('mailboxes', closed.caseId)).toBe(1);
    t.sql('UPDATE organisations SET keep_closed_days = 90');
    await runScheduled(t);
    expect(t.sql('SELECT COUNT(*) AS n FROM cases')).toEqual([{ n: 0 }]);
  });

  it('finishes a deletion a crash cut short after the case was cut off, leaving no row or stored part behind', async () => {
    const cut = await caseWith({ status: 'received', reporterAgo: 1, unitAgo: 1 });
    // The first step landed (mailbox and keys gone), then the process died before the rest.
    await runAtomically(t.db, cutOffCaseSteps(t.db, cut.caseId));
    expect(remaining('files', cut.caseId)).toBe(1);
    await runScheduled(t);
    for (const table of ['messages', 'files']) expect(remaining(table, cut.caseId)).toBe(0);
    expect(t.sql('SELECT COUNT(*) AS n FROM cases')).toEqual([{ n: 0 }]);
    flush();
    expect(t.storedBytes().includes(cut.sample)).toBe(false);
  });

  it('names the deletion day on every case summary, and in the mailbox once the signed status says closed', async () => {
    const c = await caseWith({ status: 'received', reporterAgo: 0, unitAgo: 0 });
    const admin = await t.signIn('alice');
    const today = dayOf(t.now());
    const org = t.sql<{ keep_closed_days: number; keep_inactive_days: number }>('SELECT keep_closed_days, keep_inactive_days FROM organisations')[0]!;
    const listed = async () => (await listCases(t.api, admin)).find((row) => row.id === c.caseId)!;
    const detail = () => t.api.call('GET /api/investigator/cases/:caseId', { params: { caseId: c.caseId }, headers: sessionHeaders(admin) });
    // Open: six years after the last activity; the reporter is not told.
    expect((await detail()).deletionDay).toBe(addDays(today, org.keep_inactive_days));
    expect((await listed()).deletionDay).toBe(addDays(today, org.keep_inactive_days));
    const mailbox = () => openMailbox(t.api, c.keys);
    expect((await mailbox()).deletionDay).toBeNull();
    // Closed today (a signed status message): a year from today, and the reporter is told.
    await setCaseStatus(t.api, admin, await openCase(t.api, admin, c.caseId), 'closed');
    t.sql('UPDATE cases SET closed_day = ? WHERE id = ?', today, c.caseId);
    expect((await detail()).deletionDay).toBe(addDays(today, org.keep_closed_days));
    expect((await listed()).deletionDay).toBe(addDays(today, org.keep_closed_days));
    expect((await mailbox()).deletionDay).toBe(addDays(today, org.keep_closed_days));
  });

  it.runIf(target.name === 'node')('does bounded work per run: the rest waits for the next', async () => {
    for (let i = 0; i < 3; i++) await caseWith({ status: 'closed', closedAgo: 400, reporterAgo: 400, unitAgo: 400 });
    const deps = { db: t.db, files: databaseFileStore(t.db) };
    expect(await deleteDueCases(deps, t.now(), 2)).toBe(2);
    expect(t.sql('SELECT COUNT(*) AS n FROM cases')).toEqual([{ n: 1 }]);
    expect(await deleteDueCases(deps, t.now(), 2)).toBe(1);
    expect(await deleteDueCases(deps, t.now(), 2)).toBe(0);
  });
});

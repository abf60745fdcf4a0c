// Writes that must land together (db/atomic.ts: a transaction on better-sqlite3, one
// db.batch on D1) land together or not at all. A failure is made to happen after the first
// statement has succeeded, so a non-atomic write would leave part of itself behind.
import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../../web/client/api.js';
import { submitReport } from '../../web/client/reporter.js';
import { listCases, openCase, replyToCase } from '../../web/client/investigator.js';
import { API_TARGETS, type ApiTarget, useTarget } from '../support/targets.js';
import { draftReport, fileReport } from '../support/reports.js';

// describe.each: one file, both runtimes (see loop.test.ts).
describe.each(API_TARGETS)('on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  const count = (table: string) => t.sql<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)[0]!.n;

  it('stores a report, its mailbox, its sealed key and its first message together', async () => {
    const { config, passphrase } = await fileReport(t.api, 'first');
    // Same passphrase, new case: the case row goes in, then the mailbox collides with the first one's.
    const { submission: second } = await draftReport(t.api, 'second', { config, passphrase });
    await expect(submitReport(t.api, second)).rejects.toMatchObject({ status: 409, code: 'duplicate_id' });
    expect(t.sql('SELECT id FROM cases WHERE id = ?', second.caseId)).toEqual([]);
    expect({ cases: count('cases'), mailboxes: count('mailboxes'), caseKeys: count('case_keys'), messages: count('messages') }).toEqual({ cases: 1, mailboxes: 1, caseKeys: 1, messages: 1 });
  });

  it('stores an investigator reply and the status change it brings together', async () => {
    await fileReport(t.api, 'x');
    const session = await t.signIn('alice');
    const opened = await openCase(t.api, session, (await listCases(t.api, session))[0]!.id);
    // The message insert succeeds; the status update after it is made to fail.
    t.sql(`CREATE TRIGGER planted_failure BEFORE UPDATE OF status ON cases BEGIN SELECT RAISE(ABORT, 'planted failure'); END`);
    // Refused in the one error shape (which code depends on how the driver words the failure).
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await expect(replyToCase(t.api, session, opened, 'This must not be stored.', 'closed')).rejects.toBeInstanceOf(ApiRequestError);
    } finally {
      t.sql('DROP TRIGGER planted_failure');
      quiet.mockRestore();
    }
    expect(t.sql('SELECT role FROM messages WHERE case_id = ?', opened.id)).toEqual([{ role: 'reporter' }]);
    expect(t.sql('SELECT status FROM cases WHERE id = ?', opened.id)).toEqual([{ status: 'received' }]);

    // And without the planted failure, both land.
    await replyToCase(t.api, session, opened, 'Now it is stored.', 'assessing');
    expect(t.sql('SELECT role FROM messages WHERE case_id = ? ORDER BY seq', opened.id)).toEqual([{ role: 'reporter' }, { role: 'organisation' }]);
    expect(t.sql('SELECT status FROM cases WHERE id = ?', opened.id)).toEqual([{ status: 'assessing' }]);
  });
});

// The whole encrypted loop over HTTP, with real crypto and a real database: on Node with
// better-sqlite3 and on workerd with D1 (test/support/targets.ts).
import { describe, expect, it } from 'vitest';
import { deriveKeysForInstance, openMailbox, replyFromMailbox } from '../../web/client/reporter.js';
import { listCases, openCase, replyToCase, setCaseStatus } from '../../web/client/investigator.js';
import { TEST_KDF } from '../support/test-app.js';
import { API_TARGETS, type ApiTarget, useTarget } from '../support/targets.js';
import { fileReport } from '../support/reports.js';

// describe.each rather than a vitest project per target: every case visibly runs on both
// runtimes from one file, and a run of this file alone covers both.
describe.each(API_TARGETS)('on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  describe('reporter ↔ investigator loop', () => {
    it('carries a report, a question, an answer and a status change end to end', async () => {
      // 1. The reporter writes a report.
      const { passphrase, config, receipt } = await fileReport(t.api, 'An officer took cash to drop a case.', { category: 'bribery' });
      expect(receipt.reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(passphrase.toUpperCase()).not.toContain(receipt.reference);

      // 2. The investigator lists, opens and asks.
      const session = await t.signIn('alice');
      const listed = await listCases(t.api, session);
      expect(listed).toHaveLength(1);
      expect(listed[0]!.report?.category).toBe('bribery');
      expect(listed[0]!.status).toBe('received');
      const opened = await openCase(t.api, session, listed[0]!.id);
      expect(opened.entries[0]!.document).toMatchObject({ kind: 'report', whatHappened: 'An officer took cash to drop a case.' });
      await replyToCase(t.api, session, opened, 'Which station was this?');

      // 3. The reporter comes back with the passphrase typed differently, reads and answers.
      const typedAgain = `  ${passphrase.toUpperCase().split(' ').join('   ')} `;
      const returningKeys = deriveKeysForInstance(typedAgain, config, TEST_KDF);
      const mailbox = await openMailbox(t.api, returningKeys);
      expect(mailbox.reference).toBe(receipt.reference);
      expect(mailbox.entries.map((e) => e.role)).toEqual(['reporter', 'organisation']);
      expect(mailbox.entries[1]!.document).toEqual({ kind: 'message', text: 'Which station was this?' });
      expect(mailbox.entries[1]!.organisation?.name).toBe('Anti-Corruption Unit');
      await replyFromMailbox(t.api, returningKeys, mailbox, 'The one on the high street.');

      // 4. The investigator reads the answer and sets a status; the reporter sees it.
      const reopened = await openCase(t.api, session, opened.id);
      expect(reopened.entries.at(-1)).toMatchObject({ role: 'reporter', document: { kind: 'message', text: 'The one on the high street.' } });
      await setCaseStatus(t.api, session, reopened, 'investigating');
      const final = await openMailbox(t.api, returningKeys);
      expect(final.status).toBe('investigating');
      // The status change is a signed message of its own: the reporter's client reads the status from it.
      expect(final.entries.map((e) => e.document?.kind)).toEqual(['report', 'message', 'message', 'status']);
    });

    it('lets an investigator reply and change status in one request', async () => {
      const { keys } = await fileReport(t.api, 'x');
      const session = await t.signIn('alice');
      const [summary] = await listCases(t.api, session);
      const opened = await openCase(t.api, session, summary!.id);
      await replyToCase(t.api, session, opened, 'We are looking into it.', 'assessing');
      const mailbox = await openMailbox(t.api, keys);
      expect(mailbox.status).toBe('assessing');
      expect(mailbox.entries.at(-1)!.document).toEqual({ kind: 'message', text: 'We are looking into it.', status: 'assessing' });
    });
  });
});

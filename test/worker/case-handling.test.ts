// Handling cases together (issue 15) over HTTP, on Node and on workerd + D1: assigning a case to
// a current member of the unit that leads it (or to nobody), and nothing else; internal notes,
// read back by the unit and never by the reporter, stored only as ciphertext; "new message"
// markers, per member.
import { describe, expect, it } from 'vitest';
import { listCases, openCase, replyToCase, signIn, type InvestigatorSession } from '../../web/client/investigator.js';
import { acceptInvite, confirmTotp, createInvite, grantKeyring, listMembers, removeMember } from '../../web/client/admin.js';
import { addNote, assignCase, readNotes } from '../../web/client/case-handling.js';
import { ApiClient, ApiRequestError } from '../../web/client/api.js';
import { openMailbox, replyFromMailbox } from '../../web/client/reporter.js';
import { totpCodeAt } from '../../worker/totp.js';
import { bytesToB64, encryptNote, newId, signNote, randomBytes, b64ToBytes } from '../../web/protocol/index.js';
import { signKeyPairFromSeed } from '../../web/protocol/sodium.js';
import { keyringFor } from '../../web/client/investigator.js';
import { markersFound } from '../support/bytes-search.js';
import { TEST_KDF, TEST_PASSWORD } from '../support/test-app.js';
import { API_TARGETS, type ApiTarget, useTarget } from '../support/targets.js';
import { fileReport } from '../support/reports.js';

/** The error code a call was refused with, or 'accepted'. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'accepted';
  } catch (error) {
    if (error instanceof ApiRequestError) return `${error.status} ${error.code}`;
    throw error;
  }
}

describe.each(API_TARGETS)('on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  /** A member of alice's unit who has joined (no keys needed to be assigned). */
  async function joinedMember(alice: InvestigatorSession, username: string): Promise<string> {
    const { token } = await createInvite(t.api, alice, { kind: 'member', role: 'investigator' });
    await acceptInvite(t.api, token, username, TEST_PASSWORD, TEST_KDF, TEST_KDF);
    return (await listMembers(t.api, alice)).members.find((m) => m.username === username)!.id;
  }

  const auditOf = (caseId: string) => t.sql<{ action: string; actor_id: string; detail: string }>("SELECT action, actor_id, detail FROM audit_log WHERE subject = ? AND action = 'case_assign' ORDER BY seq", caseId);

  describe('assigning a case', () => {
    it('to a member of the unit, shown in the list and the case, then to nobody; each change audited', async () => {
      const { submission } = await fileReport(t.api, 'x');
      const alice = await t.signIn('alice');
      const bob = await joinedMember(alice, 'bob');
      expect(await assignCase(t.api, alice, submission.caseId, bob)).toEqual({ id: submission.caseId, assignedTo: bob });
      expect((await listCases(t.api, alice))[0]!.assignedTo).toBe(bob);
      expect((await openCase(t.api, alice, submission.caseId)).assignedTo).toBe(bob);
      expect(await assignCase(t.api, alice, submission.caseId, null)).toEqual({ id: submission.caseId, assignedTo: null });
      expect((await openCase(t.api, alice, submission.caseId)).assignedTo).toBeNull();
      expect(auditOf(submission.caseId).map((e) => [e.actor_id, JSON.parse(e.detail)])).toEqual([
        [alice.memberId, { to: bob }],
        [alice.memberId, { to: 'nobody' }],
      ]);
    });

    it('goes back to nobody when the member assigned is removed from the unit', async () => {
      const { submission } = await fileReport(t.api, 'x');
      const alice = await t.signIn('alice');
      const erin = await joinedMember(alice, 'erin');
      await assignCase(t.api, alice, submission.caseId, erin);
      await removeMember(t.api, alice, erin);
      expect((await openCase(t.api, alice, submission.caseId)).assignedTo).toBeNull();
      expect((await listCases(t.api, alice, { assignee: 'none' })).map((c) => c.id)).toContain(submission.caseId);
    });

    it('refuses a removed member, a member of another unit and an unknown id as not found, changing nothing', async () => {
      const { submission } = await fileReport(t.api, 'x');
      const alice = await t.signIn('alice');
      const carol = await joinedMember(alice, 'carol');
      await removeMember(t.api, alice, carol);
      const other = await t.addOrganisation('County Unit', 'dana');
      const unknown = 'AAAAAAAAAAAAAAAAAAAAAA';
      for (const memberId of [carol, other.memberId, unknown]) {
        expect(await refusal(assignCase(t.api, alice, submission.caseId, memberId)), memberId).toBe('404 not_found');
      }
      expect((await openCase(t.api, alice, submission.caseId)).assignedTo).toBeNull();
      expect(auditOf(submission.caseId)).toEqual([]);
    });

    it('refuses a case the unit holds no key for as not found, and a bad member id as invalid', async () => {
      await t.addOrganisation('County Unit', 'dana');
      const { submission } = await fileReport(t.api, 'x', { organisation: 1 });
      const alice = await t.signIn('alice');
      expect(await refusal(assignCase(t.api, alice, submission.caseId, alice.memberId))).toBe('404 not_found');
      const response = await t.request(`/api/investigator/cases/${submission.caseId}/assignee`, {
        method: 'PUT', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ memberId: 'short' }),
      });
      expect(response.status).toBe(404);
      const own = await fileReport(t.api, 'y');
      const bad = await t.request(`/api/investigator/cases/${own.submission.caseId}/assignee`, {
        method: 'PUT', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ memberId: 'short' }),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_body');
    });
  });

  describe('internal notes', () => {
    const NOTE = 'MARKER-NOTE-6d1f0a';

    it('are read back by the unit with their author, each add and read audited, and never reach the reporter or the database in clear', async () => {
      const filed = await fileReport(t.api, 'x');
      const alice = await t.signIn('alice');
      const opened = await openCase(t.api, alice, filed.submission.caseId);
      const { id } = await addNote(t.api, alice, opened, NOTE);
      await addNote(t.api, alice, opened, 'second');
      expect((await readNotes(t.api, alice, opened)).map((n) => [n.id === id ? 'first' : 'other', n.authorName, n.text, n.problem])).toEqual([
        ['first', 'alice', NOTE, null], ['other', 'alice', 'second', null],
      ]);
      const audit = t.sql<{ action: string; detail: string }>("SELECT action, detail FROM audit_log WHERE subject = ? AND action IN ('case_note', 'case_view') ORDER BY seq", opened.id);
      expect(audit.map((e) => [e.action, JSON.parse(e.detail ?? 'null')])).toEqual([['case_view', null], ['case_note', { note: id }], ['case_note', expect.any(Object)], ['case_view', { notes: 2 }]]);

      // The reporter's mailbox, as the bytes it answers: no note, not even its ciphertext.
      const answers: string[] = [];
      const reporterApi = new ApiClient(t.baseUrl, async (input, init) => {
        const response = await t.fetch(input, init);
        answers.push(await response.clone().text());
        return response;
      });
      const mailbox = await openMailbox(reporterApi, filed.keys);
      expect(mailbox.entries.map((e) => e.document?.kind)).toEqual(['report']);
      const stored = t.sql<{ id: string; envelope: string; signature: string }>('SELECT id, envelope, signature FROM case_notes WHERE case_id = ?', opened.id);
      expect(stored).toHaveLength(2);
      const fromNotes = stored.flatMap((n) => [n.id, n.envelope.slice(0, 64), n.signature]);
      expect(markersFound(Buffer.from(answers.join('\n')), fromNotes)).toEqual([]);
      // The search finds what is there: the notes' own route answers with them.
      const notesAnswer = await t.request(`/api/investigator/cases/${opened.id}/notes`, { headers: { authorization: `Bearer ${alice.token}` } });
      expect(markersFound(Buffer.from(await notesAnswer.text()), fromNotes)).toHaveLength(fromNotes.length);
      expect(markersFound(t.storedBytes(), [NOTE])).toEqual([]);
    });

    it('are refused unless signed by the organisation’s current key for this case, note and author; a second with the same id is a duplicate', async () => {
      const filed = await fileReport(t.api, 'x');
      const alice = await t.signIn('alice');
      const opened = await openCase(t.api, alice, filed.submission.caseId);
      const post = (body: object) => t.request(`/api/investigator/cases/${opened.id}/notes`, {
        method: 'POST', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      const orgKey = keyringFor(alice, alice.organisation.keyVersion).sign.privateKey;
      const note = (authorId: string, key: Uint8Array) => {
        const noteId = newId();
        const binding = { caseId: b64ToBytes(opened.id)!, noteId, authorId: b64ToBytes(authorId)! };
        const envelope = encryptNote(opened.caseKey, binding, 'x');
        return { id: bytesToB64(noteId), envelope: bytesToB64(envelope), signature: bytesToB64(signNote(binding, envelope, key)) };
      };
      const codeOf = async (response: Response) => `${response.status} ${((await response.json()) as { error?: { code: string } }).error?.code ?? 'ok'}`;
      expect(await codeOf(await post(note(alice.memberId, signKeyPairFromSeed(randomBytes(32)).privateKey)))).toBe('400 invalid_body');
      expect(await codeOf(await post(note(bytesToB64(newId()), orgKey)))).toBe('400 invalid_body');
      const good = note(alice.memberId, orgKey);
      expect((await post(good)).status).toBe(201);
      expect(await codeOf(await post(good))).toBe('409 duplicate_id');
      expect(t.sql('SELECT id FROM case_notes')).toHaveLength(1);
    });

    it('of a case the unit holds no key for are not found, either way', async () => {
      await t.addOrganisation('County Unit', 'dana');
      const { submission } = await fileReport(t.api, 'x', { organisation: 1 });
      const alice = await t.signIn('alice');
      expect(await refusal(readNotes(t.api, alice, { id: submission.caseId, caseKey: new Uint8Array(32) }))).toBe('404 not_found');
      expect(await refusal(addNote(t.api, alice, { id: submission.caseId, caseKey: new Uint8Array(32) }, 'x'))).toBe('404 not_found');
    });
  });

  describe('new-message markers', () => {
    /** A second member with the organisation's keys, signed in (codes one step apart: each is good once). */
    async function signedInMember(alice: InvestigatorSession, username: string): Promise<InvestigatorSession> {
      const { token } = await createInvite(t.api, alice, { kind: 'member', role: 'investigator' });
      const account = await acceptInvite(t.api, token, username, TEST_PASSWORD, TEST_KDF, TEST_KDF);
      await confirmTotp(t.api, username, account.authKey, totpCodeAt(account.totp.secret, t.now()));
      await grantKeyring(t.api, alice, (await listMembers(t.api, alice)).members.find((m) => m.username === username)!);
      return signIn(t.api, { username, password: TEST_PASSWORD, totp: totpCodeAt(account.totp.secret, t.now() + 30_000) }, TEST_KDF);
    }

    it('are per member: new to each until they open it, not for the unit’s own reply, new again when the reporter writes', async () => {
      const filed = await fileReport(t.api, 'x');
      const caseId = filed.submission.caseId;
      const alice = await t.signIn('alice');
      const bob = await signedInMember(alice, 'bob');
      const unread = async () => [(await listCases(t.api, alice))[0]!.unread, (await listCases(t.api, bob))[0]!.unread];
      expect(await unread()).toEqual([true, true]);
      const opened = await openCase(t.api, alice, caseId);
      expect(await unread()).toEqual([false, true]);
      await replyToCase(t.api, alice, opened, 'A question');
      expect(await unread()).toEqual([false, true]);
      await replyFromMailbox(t.api, filed.keys, await openMailbox(t.api, filed.keys), 'An answer');
      expect(await unread()).toEqual([true, true]);
      await openCase(t.api, bob, caseId);
      expect(await unread()).toEqual([true, false]);
      // What each has seen: the thread's last seq when they opened it (report 1, question 2, answer 3).
      expect(t.sql<{ member_id: string; seen_seq: number }>('SELECT member_id, seen_seq FROM case_reads ORDER BY seen_seq')).toEqual([
        { member_id: alice.memberId, seen_seq: 1 }, { member_id: bob.memberId, seen_seq: 3 },
      ]);
    });
  });
});

// Every route an investigator or administrator uses leaves its audit entry. The routes are
// read from the app itself: a new route fails this test until it is placed in one table or
// the other (audited, with its action; or not audited, with the reason). Then one story, run on
// Node and on workerd + D1, calls every API route of the route table and checks that each one
// succeeded with an answer its schema allows (the harness checks every response), that each
// audited request added the entry it should, and that the chain verifies afterwards.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { fetchInstanceConfig, openMailbox, replyFromMailbox } from '../../web/client/reporter.js';
import { listCases, openCase, replyToCase, setCaseStatus, signIn, signOut } from '../../web/client/investigator.js';
import {
  acceptInvite, acceptTransfer, cancelRotation, confirmTotp, createInvite, declineTransfer, grantKeyring, listInvites, listMembers, listTransfers,
  organisationSettings, passOnCase, removeMember, revokeInvite, revokeSessions, rotateKeys, saveOrganisationSettings, setUpFirstOrganisation,
} from '../../web/client/admin.js';
import { ApiClient, type Fetch } from '../../web/client/api.js';
import { noticeAddress, setNoticeAddress } from '../../web/client/notices.js';
import { caseFileAccess, downloadParts, mailboxFileAccess, uploadParts } from '../../web/client/file-transfer.js';
import { submitReport } from '../../web/client/reporter.js';
import { fetchFigureFacts, fetchInstanceFigures } from '../../web/client/figures.js';
import { addNote, assignCase, assignees, readNotes } from '../../web/client/case-handling.js';
import { declared, replyingWithFiles, testFile } from '../support/files.js';
import { totpCodeAt } from '../../worker/totp.js';
import { verifyAuditChain } from '../../worker/audit.js';
import { ROUTE_TABLE, routeFor, type RouteKey } from '../../worker/route-table.js';
import type { AuditAction } from '../../db/schema.js';
import { makeTestApp, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';
import { API_TARGETS, useTarget, type ApiTarget } from '../support/targets.js';
import { draftReport, fileReport } from '../support/reports.js';

/** Each investigator-side route and the audit action its success records. */
const AUDITED: Record<string, AuditAction> = {
  'POST /api/setup': 'organisation_create',
  'POST /api/invites/accept': 'member_add',
  'POST /api/investigator/totp/confirm': 'totp_confirm',
  'POST /api/investigator/sessions': 'sign_in',
  'DELETE /api/investigator/sessions/current': 'sign_out',
  'GET /api/investigator/cases': 'case_list',
  'GET /api/investigator/cases/transfers': 'case_list',
  'POST /api/investigator/cases/transfers/:caseId/accept': 'case_received',
  'POST /api/investigator/cases/transfers/:caseId/decline': 'case_transfer_decline',
  'GET /api/investigator/cases/:caseId': 'case_view',
  'POST /api/investigator/cases/:caseId/messages': 'case_reply',
  'PUT /api/investigator/cases/:caseId/status': 'case_status',
  'PUT /api/investigator/cases/:caseId/assignee': 'case_assign',
  'POST /api/investigator/cases/:caseId/notes': 'case_note',
  'GET /api/investigator/cases/:caseId/notes': 'case_view',
  'POST /api/investigator/cases/:caseId/pass-on': 'case_pass_on',
  'POST /api/investigator/admin/invites': 'member_invite',
  'DELETE /api/investigator/admin/invites/:inviteId': 'invite_revoke',
  'POST /api/investigator/admin/members/:memberId/keyrings': 'member_keyring',
  'POST /api/investigator/admin/members/:memberId/remove': 'member_remove',
  'POST /api/investigator/admin/rotation': 'key_rotate',
  'DELETE /api/investigator/admin/rotation': 'key_abandon',
  'DELETE /api/investigator/admin/members/:memberId/sessions': 'session_revoke',
  'POST /api/investigator/keyrings/checks': 'keyring_confirm',
  'GET /api/investigator/cases/:caseId/files/:fileId/content': 'case_view',
  'GET /api/investigator/figures': 'figures_view',
  'PUT /api/investigator/account/notices': 'notice_settings',
  'PUT /api/investigator/admin/settings': 'organisation_settings',
};

/** Routes that change nothing and show no report content, or belong to reporters (never audited: the log is about staff). */
const NOT_AUDITED: Record<string, string> = {
  'GET /api/config': 'public keys and settings',
  'GET /api/figures': 'public, suppressed aggregates',
  'GET /api/openapi.json': 'a description of the API',
  'POST /api/reports': 'a reporter',
  'POST /api/mailbox/challenge': 'a reporter',
  'GET /api/mailbox': 'a reporter',
  'POST /api/mailbox/messages': 'a reporter',
  'PUT /api/mailbox/files/:fileId/parts/:part': 'a reporter',
  'GET /api/mailbox/files/:fileId': 'a reporter',
  'GET /api/mailbox/files/:fileId/content': 'a reporter',
  'PUT /api/investigator/cases/:caseId/files/:fileId/parts/:part': 'ciphertext of a file its audited reply (case_reply) declared',
  'GET /api/investigator/cases/:caseId/files/:fileId': 'which parts of a file are held; no content',
  'POST /api/investigator/prelogin': 'before sign-in; reads a salt',
  'POST /api/invites/inspect': 'reads an invitation; changes nothing',
  'GET /api/investigator/admin/members': 'member names and key states; no report content',
  'GET /api/investigator/admin/invites': 'invitation list; no report content',
  'GET /api/investigator/cases/assignees': 'member names; no report content',
  'GET /api/investigator/keyrings': 'the member’s own sealed keyrings',
  'GET /api/investigator/instance/figures': 'counts of days and statuses the server holds; no report content',
  'GET /api/investigator/account/notices': 'the member’s own notice address',
  'GET /api/investigator/organisation/settings': 'the organisation’s deadlines, retention and time zone; no report content',
  'GET /': 'a page',
  'GET /:lang/': 'a page (the reporter’s, in one language)',
  'GET /:lang': 'a page (the same, without the final slash)',
  'GET /console': 'a page',
  'GET /figures': 'a page (the public figures: suppressed counts, nothing about the caller)',
  'GET /:lang/figures': 'a page (the public figures, in one language)',
  'GET /:lang/console': 'a page (the console, in one language)',
  'GET /:lang/:page': 'a page (staying safe, privacy, accessibility, in one language)',
  'GET /static/:file': 'a script or stylesheet',
};

let app: TestApp | undefined;
beforeAll(sodiumReady);
afterEach(() => app?.close());

function appRoutes(routes: TestApp['app']['routes']): string[] {
  return [...new Set(routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
}

describe('the audit trail covers every route', () => {
  it('places each of the app’s routes in one table or the other', () => {
    app = makeTestApp();
    const routes = appRoutes(app.app.routes);
    expect(routes.filter((r) => !(r in AUDITED) && !(r in NOT_AUDITED))).toEqual([]);
    expect([...Object.keys(AUDITED), ...Object.keys(NOT_AUDITED)].filter((r) => !routes.includes(r))).toEqual([]);
  });
});

/** The API's routes (the pages are the browser tests' business). */
const API_ROUTES = (Object.keys(ROUTE_TABLE) as RouteKey[]).filter((route) => route.includes(' /api/'));

describe.each(API_TARGETS)('every API route, on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  it('succeeds once in one story, and each audited request records its own entry', async () => {
    await t.reset(); // an instance with no organisation yet: the story starts at first-run setup
    // Which route each request hit, whether it succeeded, and which audit entries appeared while it ran.
    const succeeded = new Set<string>();
    const seen = new Map<string, Set<string>>();
    const entryCount = () => t.sql<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log')[0]!.n;
    const newActions = (since: number) => t.sql<{ action: string }>('SELECT action FROM audit_log ORDER BY rowid LIMIT -1 OFFSET ?', since).map((r) => r.action);
    const recording: Fetch = async (input, init) => {
      const request = new Request(input, init);
      const route = routeFor(request.method, new URL(request.url).pathname)?.key;
      const before = entryCount();
      const response = await t.fetch(input, init);
      if (route && response.ok) {
        succeeded.add(route);
        for (const action of newActions(before)) (seen.get(route) ?? seen.set(route, new Set()).get(route)!).add(action);
      }
      return response;
    };
    const api = new ApiClient(t.baseUrl, recording, t.api.clock);
    // A code for each use of a second factor: one step later each time (the server takes a step
    // either side of its own, and never the same step twice), so no test waits on the clock.
    const uses = new Map<string, number>();
    const nextCode = (secret: string) => {
      const use = uses.get(secret) ?? -1;
      uses.set(secret, use + 1);
      return totpCodeAt(secret, t.now() + use * 30_000);
    };

    // First run, TOTP enrolment, sign-in (which confirms the keyring on the device).
    const token = (await t.issueSetupToken()).replace('#setup=', '');
    const root = await setUpFirstOrganisation(api, token, 'National Unit', 'root', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await confirmTotp(api, 'root', root.authKey, nextCode(root.totp.secret));
    const admin = await signIn(api, { username: 'root', password: TEST_PASSWORD, totp: nextCode(root.totp.secret) }, TEST_KDF);

    // A report, read and answered; the reporter reads the answer and replies.
    const filed = await fileReport(api, 'x');
    const [listed] = await listCases(api, admin);
    const opened = await openCase(api, admin, listed!.id);
    await replyToCase(api, admin, opened, 'A question');
    await setCaseStatus(api, admin, opened, 'assessing');
    await assignCase(api, admin, opened.id, (await assignees(api, admin)).find((m) => m.username === 'root')!.id);
    await addNote(api, admin, opened, 'An internal note');
    await readNotes(api, admin, opened);
    await replyFromMailbox(api, filed.keys, await openMailbox(api, filed.keys), 'An answer');
    await fetchFigureFacts(api, admin, filed.receipt.receivedDay, filed.receipt.receivedDay);
    await fetchInstanceFigures(api, admin, filed.receipt.receivedDay, filed.receipt.receivedDay);
    await api.call('GET /api/figures', { query: { from: filed.receipt.receivedDay, to: filed.receipt.receivedDay } });

    // Files both ways: a report's file uploaded and read back by both sides, and one on a reply.
    const evidence = testFile(10);
    const withFile = await draftReport(api, 'With a file.');
    withFile.submission.report.files = declared(evidence);
    await submitReport(api, withFile.submission);
    const reporterFiles = mailboxFileAccess(withFile.keys);
    await uploadParts(api, reporterFiles, evidence.id, async () => evidence.cipher);
    await downloadParts(api, reporterFiles, evidence.id, () => {});
    const form = testFile(10);
    const caseWithFile = await openCase(api, admin, withFile.submission.caseId);
    await replyToCase(replyingWithFiles(t.baseUrl, recording, [form]), admin, caseWithFile, 'A form.');
    const adminFiles = caseFileAccess(admin, withFile.submission.caseId);
    await uploadParts(api, adminFiles, form.id, async () => form.cipher);
    await downloadParts(api, adminFiles, evidence.id, () => {});

    // Members: invitations made, withdrawn, used; keys given; sessions ended; rotations; removal.
    const withdrawn = await createInvite(api, admin, { kind: 'member', role: 'investigator' });
    expect((await listInvites(api, admin)).map((i) => i.id)).toEqual([withdrawn.id]);
    await revokeInvite(api, admin, withdrawn.id);
    const { token: joinToken } = await createInvite(api, admin, { kind: 'member', role: 'investigator' });
    await acceptInvite(api, joinToken, 'carol', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    const carol = (await listMembers(api, admin)).members.find((m) => m.username === 'carol')!;
    await grantKeyring(api, admin, carol);
    await revokeSessions(api, admin, carol.id);
    await rotateKeys(api, admin); // carol holds the keys too: this one waits for her
    await cancelRotation(api, admin);
    await removeMember(api, admin, carol.id);
    await saveOrganisationSettings(api, admin, { ...(await organisationSettings(api, admin)), keepClosedDays: 400 });

    // A second organisation, and a case offered to it twice: declined, then accepted.
    const { token: orgToken } = await createInvite(api, admin, { kind: 'organisation', orgName: 'County Unit' });
    const founder = await acceptInvite(api, orgToken, 'dana', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await confirmTotp(api, 'dana', founder.authKey, nextCode(founder.totp.secret));
    const dana = await signIn(api, { username: 'dana', password: TEST_PASSWORD, totp: nextCode(founder.totp.secret) }, TEST_KDF);
    const county = (await fetchInstanceConfig(api)).organisations.find((o) => o.name === 'County Unit')!;
    await passOnCase(api, admin, opened, county, true);
    await listTransfers(api, dana);
    await declineTransfer(api, dana, listed!.id, 'not_ours');
    await passOnCase(api, admin, opened, county, true);
    expect(await acceptTransfer(api, dana, (await listTransfers(api, dana))[0]!)).toEqual({ accepted: true });
    // Staff notices: the member's own address, set and read back.
    await setNoticeAddress(api, admin, 'root@unit.example');
    expect(await noticeAddress(api, admin)).toBe('root@unit.example');
    await signOut(api, admin);
    expect((await api.request({ method: 'GET', path: '/api/openapi.json' }) as { openapi: string }).openapi).toMatch(/^3\.1/);

    expect(API_ROUTES.filter((route) => !succeeded.has(route))).toEqual([]);
    const missing = Object.entries(AUDITED).filter(([route, action]) => !seen.get(route)?.has(action)).map(([route, action]) => `${route} → ${action}`);
    expect(missing).toEqual([]);
    for (const org of (await fetchInstanceConfig(api)).organisations) expect(await verifyAuditChain(t.db, org.id)).toMatchObject({ ok: true });
  });
});

// Every route an investigator or administrator uses leaves its audit entry. The routes are
// read from the app itself: a new route fails this test until it is placed in one table or
// the other (audited, with its action; or not audited, with the reason). Then one story that
// uses each audited route checks that each request added the entry it should, and that the
// chain verifies afterwards.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { fetchInstanceConfig } from '../../web/client/reporter.js';
import { listCases, openCase, replyToCase, setCaseStatus, signIn, signOut } from '../../web/client/investigator.js';
import {
  acceptInvite, acceptTransfer, cancelRotation, confirmTotp, createInvite, declineTransfer, grantKeyring, listInvites, listMembers, listTransfers,
  passOnCase, removeMember, revokeInvite, revokeSessions, rotateKeys, setUpFirstOrganisation,
} from '../../web/client/admin.js';
import { ApiClient } from '../../web/client/api.js';
import { issueSetupToken } from '../../worker/setup-token.js';
import { totpCodeAt } from '../../worker/totp.js';
import { verifyAuditChain } from '../../worker/audit.js';
import type { AuditAction } from '../../db/schema.js';
import { makeTestApp, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';
import { fileReport } from '../support/reports.js';

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
  'POST /api/investigator/cases/:caseId/pass-on': 'case_pass_on',
  'POST /api/investigator/admin/invites': 'member_invite',
  'DELETE /api/investigator/admin/invites/:inviteId': 'invite_revoke',
  'POST /api/investigator/admin/members/:memberId/keyrings': 'member_keyring',
  'POST /api/investigator/admin/members/:memberId/remove': 'member_remove',
  'POST /api/investigator/admin/rotation': 'key_rotate',
  'DELETE /api/investigator/admin/rotation': 'key_abandon',
  'DELETE /api/investigator/admin/members/:memberId/sessions': 'session_revoke',
  'POST /api/investigator/keyrings/checks': 'keyring_confirm',
};

/** Routes that change nothing and show no report content, or belong to reporters (never audited: the log is about staff). */
const NOT_AUDITED: Record<string, string> = {
  'GET /api/config': 'public keys and settings',
  'GET /api/openapi.json': 'a description of the API',
  'POST /api/reports': 'a reporter',
  'POST /api/mailbox/challenge': 'a reporter',
  'GET /api/mailbox': 'a reporter',
  'POST /api/mailbox/messages': 'a reporter',
  'POST /api/investigator/prelogin': 'before sign-in; reads a salt',
  'POST /api/invites/inspect': 'reads an invitation; changes nothing',
  'GET /api/investigator/admin/members': 'member names and key states; no report content',
  'GET /api/investigator/admin/invites': 'invitation list; no report content',
  'GET /api/investigator/keyrings': 'the member’s own sealed keyrings',
  'GET /': 'a page',
  'GET /console': 'a page',
  'GET /static/:file': 'a script or stylesheet',
};

let t: TestApp;
beforeAll(sodiumReady);
afterEach(() => t.close());

function appRoutes(app: TestApp['app']): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
}

const patternOf = (route: string) => {
  const [method, path] = route.split(' ') as [string, string];
  return { method, regex: new RegExp(`^${path.replace(/:[A-Za-z]+/g, '[^/]+')}$`) };
};

describe('the audit trail covers every route', () => {
  it('places each of the app’s routes in one table or the other', () => {
    t = makeTestApp();
    const routes = appRoutes(t.app);
    expect(routes.filter((r) => !(r in AUDITED) && !(r in NOT_AUDITED))).toEqual([]);
    expect([...Object.keys(AUDITED), ...Object.keys(NOT_AUDITED)].filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('records, for each audited route, its own entry in the same request', async () => {
    t = makeTestApp();
    // Which route each request hit, and which audit entries appeared while it ran.
    const seen = new Map<string, Set<string>>();
    const entryCount = () => (t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
    const newActions = (since: number) => (t.database.sqlite.prepare('SELECT action FROM audit_log ORDER BY rowid LIMIT -1 OFFSET ?').all(since) as { action: string }[]).map((r) => r.action);
    const routes = Object.keys(AUDITED).map((route) => ({ route, ...patternOf(route) }));
    const tracing = new ApiClient(t.api.baseUrl, async (input, init) => {
      const request = new Request(input, init);
      const path = new URL(request.url).pathname;
      // The most specific pattern wins (e.g. /cases/transfers before /cases/:caseId).
      const match = routes.filter((r) => r.method === request.method && r.regex.test(path)).sort((a, b) => b.route.length - a.route.length)[0];
      const before = entryCount();
      const response = await t.fetch(input, init);
      if (match && response.ok) for (const action of newActions(before)) (seen.get(match.route) ?? seen.set(match.route, new Set()).get(match.route)!).add(action);
      return response;
    }, t.api.clock);
    const api = tracing;
    const newCode = (secret: string) => {
      t.clock.now += 30_000;
      return totpCodeAt(secret, t.clock.now);
    };

    // First run, TOTP enrolment, sign-in (which confirms the keyring on the device).
    const token = (await issueSetupToken(t.database.db, (n) => crypto.getRandomValues(new Uint8Array(n))))!.replace('#setup=', '');
    const root = await setUpFirstOrganisation(api, token, 'National Unit', 'root', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await confirmTotp(api, 'root', root.authKey, newCode(root.totp.secret));
    const admin = await signIn(api, { username: 'root', password: TEST_PASSWORD, totp: newCode(root.totp.secret) }, TEST_KDF);

    // A report, read and answered.
    await fileReport(api, 'x');
    const [listed] = await listCases(api, admin);
    const opened = await openCase(api, admin, listed!.id);
    await replyToCase(api, admin, opened, 'A question');
    await setCaseStatus(api, admin, opened, 'assessing');

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

    // A second organisation, and a case offered to it twice: declined, then accepted.
    const { token: orgToken } = await createInvite(api, admin, { kind: 'organisation', orgName: 'County Unit' });
    const founder = await acceptInvite(api, orgToken, 'dana', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await confirmTotp(api, 'dana', founder.authKey, newCode(founder.totp.secret));
    const dana = await signIn(api, { username: 'dana', password: TEST_PASSWORD, totp: newCode(founder.totp.secret) }, TEST_KDF);
    const county = (await fetchInstanceConfig(api)).organisations.find((o) => o.name === 'County Unit')!;
    await passOnCase(api, admin, opened, county, true);
    await listTransfers(api, dana);
    await declineTransfer(api, dana, listed!.id, 'not_ours');
    await passOnCase(api, admin, opened, county, true);
    expect(await acceptTransfer(api, dana, (await listTransfers(api, dana))[0]!)).toEqual({ accepted: true });
    await signOut(api, admin);

    const missing = Object.entries(AUDITED).filter(([route, action]) => !seen.get(route)?.has(action)).map(([route, action]) => `${route} → ${action}`);
    expect(missing).toEqual([]);
    for (const org of (await fetchInstanceConfig(api)).organisations) expect(await verifyAuditChain(t.database.db, org.id)).toMatchObject({ ok: true });
  });
});

// Organisations and their keys: one organisation cannot reach another's reports unless a
// report is passed to it; passing on re-wraps the case key; removing a member rotates the
// keys so their session and their copies open nothing new; the database holds no usable
// private key, password or TOTP secret.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bytesToB64, openCaseKey, b64ToBytes, sodiumReady, ProtocolError } from '../../web/protocol/index.js';
import { ApiRequestError } from '../../web/client/api.js';
import { fetchInstanceConfig, openMailbox } from '../../web/client/reporter.js';
import { listCases, openCase, replyToCase, setCaseStatus, type InvestigatorSession } from '../../web/client/investigator.js';
import { assignCase } from '../../web/client/case-handling.js';
import { runAtomically } from '../../db/atomic.js';
import { removeMemberStatements } from '../../db/repo/accounts.js';
import { acceptInvite, acceptTransfer, confirmTotp, createInvite, grantKeyring, listMembers, listTransfers, passOnCase, removeMember, setUpFirstOrganisation, inspectInvite } from '../../web/client/admin.js';
import { issueSetupToken } from '../../worker/setup-token.js';
import { totpCodeAt } from '../../worker/totp.js';
import { addOrganisation, makeTestApp, signInAs, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';
import { fileReport } from '../support/reports.js';
import { databaseFilesBytes, markersFound } from '../support/bytes-search.js';

let t: TestApp;
beforeAll(sodiumReady);
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

async function status(attempt: Promise<unknown>): Promise<string> {
  const error = await attempt.then(() => null, (e: unknown) => e);
  return error instanceof ApiRequestError ? `${error.status} ${error.code}` : `no error: ${String(error)}`;
}

async function twoUnits() {
  const a = await addOrganisation(t, 'Unit A', 'alice');
  const b = await addOrganisation(t, 'Unit B', 'bob');
  const config = await fetchInstanceConfig(t.api);
  const indexOf = (id: string) => config.organisations.findIndex((o) => o.id === id);
  const reportToB = await fileReport(t.api, 'for unit B only', { organisation: indexOf(b.orgId) });
  const alice = await signInAs(t, 'alice', a.totpSecret);
  const bob = await signInAs(t, 'bob', b.totpSecret);
  const [bCase] = await listCases(t.api, bob);
  return { a, b, alice, bob, bCase: bCase!, reportToB, config };
}

describe('isolation between organisations', () => {
  it('keeps every case route closed to another organisation', async () => {
    const { alice, bCase, config } = await twoUnits();
    expect(await listCases(t.api, alice)).toEqual([]);
    const auth = { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' };
    const attempts: [string, RequestInit][] = [
      [`/api/investigator/cases/${bCase.id}`, { headers: auth }],
      [`/api/investigator/cases/${bCase.id}/messages`, { method: 'POST', headers: auth, body: JSON.stringify({ id: bytesToB64(new Uint8Array(16)), envelope: 'A'.repeat(1420), signature: 'A'.repeat(86) }) }],
      [`/api/investigator/cases/${bCase.id}/status`, { method: 'PUT', headers: auth, body: JSON.stringify({ status: 'closed' }) }],
      [`/api/investigator/cases/${bCase.id}/pass-on`, { method: 'POST', headers: auth, body: JSON.stringify({ orgId: config.organisations[0]!.id, keyVersion: 1, sealedCaseKey: 'A'.repeat(130), keepAccess: true }) }],
    ];
    for (const [path, init] of attempts) {
      const res = await t.app.request(path, init);
      expect({ path, status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code }).toEqual({ path, status: 404, code: 'not_found' });
    }
    const row = t.database.sqlite.prepare('SELECT status FROM cases WHERE id = ?').get(bCase.id) as { status: string };
    expect(row.status).toBe('received');
  });

  it('refuses an administrator’s changes to another unit’s member (removal, keys, sessions): not found, and that member keeps their sessions, keyrings and cases', async () => {
    const { alice, bob, bCase } = await twoUnits();
    await assignCase(t.api, bob, bCase.id, bob.memberId);
    // A keyring grant as alice's device makes one, to a member of her own unit: its body, replayed for bob.
    const { token } = await createInvite(t.api, alice, { kind: 'member', role: 'investigator' });
    const account = await acceptInvite(t.api, token, 'carol', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await confirmTotp(t.api, 'carol', account.authKey, totpCodeAt(account.totp.secret, t.clock.now));
    const carol = (await listMembers(t.api, alice)).members.find((m) => m.username === 'carol')!;
    await grantKeyring(t.api, alice, carol);
    const grant = t.received.find((r) => r.method === 'POST' && r.url.endsWith(`/admin/members/${carol.id}/keyrings`))!;

    const held = () => t.database.sqlite.prepare('SELECT (SELECT COUNT(*) FROM sessions WHERE investigator_id = @id) AS sessions, (SELECT COUNT(*) FROM org_keyrings WHERE investigator_id = @id) AS keyrings, (SELECT COUNT(*) FROM cases WHERE assigned_to = @id) AS assigned, (SELECT removed_at FROM investigators WHERE id = @id) AS removedAt').get({ id: bob.memberId });
    const before = held();
    expect(before).toEqual({ sessions: 1, keyrings: 1, assigned: 1, removedAt: null });
    const asAlice = (path: string, init: RequestInit) => t.app.request(`/api/investigator/admin/members/${bob.memberId}${path}`, { ...init, headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' } });
    for (const res of [await asAlice('/keyrings', { method: 'POST', body: new TextDecoder().decode(grant.body) }), await asAlice('/sessions', { method: 'DELETE' })]) {
      expect({ status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code }).toEqual({ status: 404, code: 'not_found' });
    }
    expect(await status(removeMember(t.api, alice, bob.memberId))).toBe('404 not_found');
    expect(held()).toEqual(before);
    expect(await listCases(t.api, bob)).toHaveLength(1);
  });

  it('a removal’s write refuses by itself a member of another unit, and one removed already, changing nothing (a check made before the write can be overtaken)', async () => {
    const { a, b, bob } = await twoUnits();
    const gone = new Error('not a current member of the unit');
    const rows = () => t.database.sqlite.prepare('SELECT (SELECT COUNT(*) FROM sessions) AS sessions, (SELECT COUNT(*) FROM org_keyrings) AS keyrings, (SELECT COUNT(*) FROM investigators WHERE removed_at IS NOT NULL) AS removed').get();
    const before = rows();
    await expect(runAtomically(t.database.db, removeMemberStatements(t.database.db, a.orgId, bob.memberId, t.clock.now, gone))).rejects.toBe(gone);
    expect(rows()).toEqual(before);
    t.database.sqlite.prepare('UPDATE investigators SET removed_at = 1 WHERE id = ?').run(bob.memberId);
    const removedBefore = rows();
    await expect(runAtomically(t.database.db, removeMemberStatements(t.database.db, b.orgId, bob.memberId, t.clock.now, gone))).rejects.toBe(gone);
    expect(rows()).toEqual(removedBefore);
  });

  it('opens a case to another organisation once it is passed on, and the reporter hears from both', async () => {
    const { a, alice, bob, bCase, reportToB, config } = await twoUnits();
    const bOpened = await openCase(t.api, bob, bCase.id);
    await replyToCase(t.api, bob, bOpened, 'Unit B here: we are passing this to Unit A.');
    await passOnCase(t.api, bob, bOpened, config.organisations.find((o) => o.id === a.orgId)!, false);
    // Offered, not moved: Unit B keeps it until Unit A's device has opened it and accepted.
    expect((await listCases(t.api, bob)).map((c) => c.id)).toEqual([bCase.id]);
    expect(await listCases(t.api, alice)).toEqual([]);
    const [offer] = await listTransfers(t.api, alice);
    expect(await acceptTransfer(t.api, alice, offer!)).toEqual({ accepted: true });

    const [passed] = await listCases(t.api, alice);
    expect(passed?.id).toBe(bCase.id);
    expect(passed?.status).toBe('passed_on');
    const aOpened = await openCase(t.api, alice, bCase.id);
    expect(aOpened.entries[0]!.document).toMatchObject({ whatHappened: 'for unit B only' });
    await replyToCase(t.api, alice, aOpened, 'Unit A here: thank you.');

    // Unit B chose not to keep access.
    expect(await status(openCase(t.api, bob, bCase.id))).toBe('404 not_found');
    expect(await listCases(t.api, bob)).toEqual([]);

    const mailbox = await openMailbox(t.api, reportToB.keys);
    // Unit A's acceptance is a signed status message: the reporter sees "passed on" from Unit A itself.
    expect(mailbox.entries.map((e) => `${e.organisation?.name ?? 'reporter'}: ${e.document?.kind}`)).toEqual(['reporter: report', 'Unit B: message', 'Unit A: status', 'Unit A: message']);
    expect(mailbox.status).toBe('passed_on');
  });

  it('lets the sending organisation keep access when it chooses', async () => {
    const { a, bob, bCase, config } = await twoUnits();
    await passOnCase(t.api, bob, await openCase(t.api, bob, bCase.id), config.organisations.find((o) => o.id === a.orgId)!, true);
    await expect(openCase(t.api, bob, bCase.id)).resolves.toMatchObject({ id: bCase.id });
  });
});

describe('members and key rotation', () => {
  async function unitWithMember() {
    const a = await addOrganisation(t, 'Unit A', 'alice');
    const old = await fileReport(t.api, 'before the rotation');
    const admin = await signInAs(t, 'alice', a.totpSecret);
    const [oldCase] = await listCases(t.api, admin);
    await replyToCase(t.api, admin, await openCase(t.api, admin, oldCase!.id), 'A question signed with the first key');
    const { token } = await createInvite(t.api, admin, { kind: 'member', role: 'investigator' });
    expect(await inspectInvite(t.api, token)).toMatchObject({ kind: 'member', role: 'investigator', orgName: 'Unit A' });
    const account = await acceptInvite(t.api, token, 'carol', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await confirmTotp(t.api, 'carol', account.authKey, totpCodeAt(account.totp.secret, t.clock.now));
    return { a, admin, old, oldCase: oldCase!, carolTotp: account.totp.secret };
  }

  it('a new member reads nothing until an administrator wraps the keys to them', async () => {
    const { admin, oldCase, carolTotp } = await unitWithMember();
    const before = await signInAs(t, 'carol', carolTotp);
    expect(before.keyrings.size).toBe(0);
    expect((await listCases(t.api, before)).map((c) => c.reportProblem)).toEqual(['missing_key']);
    const carol = (await listMembers(t.api, admin)).members.find((m) => m.username === 'carol')!;
    expect(carol.hasCurrentKeyring).toBe(false);
    await grantKeyring(t.api, admin, carol);
    const after = await signInAs(t, 'carol', carolTotp);
    await expect(openCase(t.api, after, oldCase.id)).resolves.toMatchObject({ id: oldCase.id });
  });

  it('removing a member rotates the keys: their session and their copy open nothing new', async () => {
    const { admin, old, oldCase, carolTotp } = await unitWithMember();
    const carolMember = (await listMembers(t.api, admin)).members.find((m) => m.username === 'carol')!;
    await grantKeyring(t.api, admin, carolMember);
    const carol: InvestigatorSession = await signInAs(t, 'carol', carolTotp);
    const carolsCopy = carol.keyrings.get(1)!;

    // Alice is the only member left, so her own device's confirmation puts the new keys in use.
    expect(await removeMember(t.api, admin, carolMember.id)).toEqual({ keyVersion: 2, active: true });
    expect(admin.organisation.keyVersion).toBe(2);
    expect(await status(listCases(t.api, carol))).toBe('401 unauthorised');
    expect(t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM org_keyrings WHERE investigator_id = ?').get(carolMember.id)).toEqual({ n: 0 });
    expect(await status(signInAs(t, 'carol', carolTotp))).toBe('401 unauthorised');

    // A report made after the rotation is sealed to the new key: carol's copy cannot open it.
    await fileReport(t.api, 'after the rotation');
    const cases = await listCases(t.api, admin);
    const newCase = cases.find((c) => c.report?.whatHappened === 'after the rotation')!;
    expect(newCase.caseKey.keyVersion).toBe(2);
    expect(() => openCaseKey(b64ToBytes(newCase.caseKey.sealedCaseKey)!, b64ToBytes(newCase.id)!, carolsCopy.box)).toThrow(ProtocolError);
    // Old cases keep their key of version 1, which alice still holds: nothing was sealed again.
    expect(cases.find((c) => c.id === oldCase.id)).toMatchObject({ caseKey: { keyVersion: 1 }, report: { whatHappened: 'before the rotation' } });

    // The reporter still verifies the question signed with the old key, and a new one with the new key.
    await replyToCase(t.api, admin, await openCase(t.api, admin, oldCase.id), 'A question signed with the second key');
    await setCaseStatus(t.api, admin, await openCase(t.api, admin, oldCase.id), 'assessing');
    const mailbox = await openMailbox(t.api, old.keys);
    expect(mailbox.entries.map((e) => (e.document?.kind === 'message' ? e.document.text : e.document?.kind))).toEqual(['report', 'A question signed with the first key', 'A question signed with the second key', 'status']);
    expect(mailbox.status).toBe('assessing');
  });
});

describe('founding organisations', () => {
  it('first run: a one-time setup link founds the first organisation, with keys made on the client', async () => {
    const fragment = await issueSetupToken(t.database.db, (n) => crypto.getRandomValues(new Uint8Array(n)));
    const token = fragment!.replace('#setup=', '');
    const account = await setUpFirstOrganisation(t.api, token, 'National Unit', 'root', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    expect(account.totp.uri).toMatch(/^otpauth:\/\/totp\/Parley:root\?/);
    // Not usable until the second factor is confirmed.
    expect(await status(signInAs(t, 'root', account.totp.secret))).toBe('401 unauthorised');
    await confirmTotp(t.api, 'root', account.authKey, totpCodeAt(account.totp.secret, t.clock.now));
    const root = await signInAs(t, 'root', account.totp.secret);
    expect(root.organisation.name).toBe('National Unit');
    // The link is used up, and no new one is made once an organisation exists.
    expect(await status(setUpFirstOrganisation(t.api, token, 'Another', 'x', TEST_PASSWORD, TEST_KDF, TEST_KDF))).toBe('404 token_invalid');
    expect(await issueSetupToken(t.database.db, (n) => crypto.getRandomValues(new Uint8Array(n)))).toBeNull();
  });

  it('only an instance administrator invites a new organisation, whose founder makes its keys', async () => {
    const fragment = await issueSetupToken(t.database.db, (n) => crypto.getRandomValues(new Uint8Array(n)));
    const account = await setUpFirstOrganisation(t.api, fragment!.replace('#setup=', ''), 'National Unit', 'root', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await confirmTotp(t.api, 'root', account.authKey, totpCodeAt(account.totp.secret, t.clock.now));
    const root = await signInAs(t, 'root', account.totp.secret);
    const { token } = await createInvite(t.api, root, { kind: 'organisation', orgName: 'County Force ACU' });
    const founder = await acceptInvite(t.api, token, 'dana', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await confirmTotp(t.api, 'dana', founder.authKey, totpCodeAt(founder.totp.secret, t.clock.now));
    const dana = await signInAs(t, 'dana', founder.totp.secret);
    expect(dana.organisation.name).toBe('County Force ACU');
    expect(dana.role).toBe('admin');
    expect(await status(createInvite(t.api, dana, { kind: 'organisation', orgName: 'Not allowed' }))).toBe('403 forbidden');
  });
});

describe('what the database holds about accounts', () => {
  it('no password, private key, seed or TOTP secret in usable form', async () => {
    const a = await addOrganisation(t, 'Unit A', 'alice');
    const admin = await signInAs(t, 'alice', a.totpSecret);
    const keyring = admin.keyrings.get(1)!;
    const secrets = [keyring.boxSeed, keyring.signSeed, keyring.box.privateKey, keyring.sign.privateKey].flatMap((bytes) => [bytesToB64(bytes), Buffer.from(bytes).toString('base64'), Buffer.from(bytes).toString('hex')]);
    const stored = databaseFilesBytes(t.dbPath);
    expect(markersFound(stored, [TEST_PASSWORD, a.totpSecret, ...secrets])).toEqual([]);
    for (const bytes of [keyring.boxSeed, keyring.signSeed]) expect(stored.includes(Buffer.from(bytes))).toBe(false);
    // The TOTP secret is there only encrypted, and the server secret is not in the database.
    const row = t.database.sqlite.prepare('SELECT totp_secret_enc FROM investigators').get() as { totp_secret_enc: string };
    expect(row.totp_secret_enc.length).toBeGreaterThan(40);
    expect(markersFound(stored, [bytesToB64(t.serverSecret)])).toEqual([]);
  });
});

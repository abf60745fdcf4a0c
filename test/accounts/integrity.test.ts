// Nothing acknowledged is lost and no single insider can bury a report (issue 9), on Node
// in-process, where a race can be held exactly at the moment it matters through the app's
// checkpoint dependency. The same promises over HTTP on both runtimes: test/worker/integrity.test.ts.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  b64ToBytes, bytesToB64, endorseMemberKey, endorseOrgKeyVersion, generatePassphrase, orgKeyringFromSeeds, personalKeyPair, randomBytes, signSealedCaseKey, sodiumReady,
} from '../../web/protocol/index.js';
import { ApiClient, ApiRequestError, type Fetch } from '../../web/client/api.js';
import { buildReportSubmission, deriveKeysForInstance, fetchInstanceConfig, openMailbox, submitReport } from '../../web/client/reporter.js';
import { listCasePage, listCases, openCase, refreshKeyrings, replyToCase, setCaseStatus, signIn, type InvestigatorSession } from '../../web/client/investigator.js';
import {
  acceptInvite, acceptTransfer, confirmTotp, createInvite, grantKeyring, listInvites, listMembers, listTransfers, passOnCase, removeMember, revokeInvite, rotateKeys, setUpFirstOrganisation,
} from '../../web/client/admin.js';
import { issueSetupToken } from '../../worker/setup-token.js';
import { totpCodeAt } from '../../worker/totp.js';
import { verifyAuditChain } from '../../worker/audit.js';
import type { Checkpoint } from '../../worker/deps.js';
import { addOrganisation, makeTestApp, signInAs, TEST_CONFIG, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';
import { draftReport, fileReport } from '../support/reports.js';

let t: TestApp;
beforeAll(sodiumReady);
afterEach(() => t.close());

/** A gate a request waits at: `reached` resolves when it gets there, `release()` lets it go on. */
function gate() {
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  const released = new Promise<void>((r) => (release = r));
  return { reached, release, wait: async () => { reach(); await released; } };
}

/**
 * An app's checkpoint hook that holds the first request to reach `at` (after letting `passing`
 * through) until the test releases it; later ones pass.
 */
function holdingFirst(at: Checkpoint, passing = 0) {
  const held = gate();
  let before = passing;
  let waiting = true;
  const checkpoint = async (reached: Checkpoint) => {
    if (reached !== at || !waiting) return;
    if (before-- > 0) return;
    waiting = false;
    await held.wait();
  };
  return { held, checkpoint };
}

async function status(attempt: Promise<unknown>): Promise<string> {
  const error = await attempt.then(() => null, (e: unknown) => e);
  return error instanceof ApiRequestError ? `${error.status} ${error.code}` : `no error: ${String(error)}`;
}

/** Unit A with alice (admin) and carol, an investigator who has joined but holds no keys yet. */
async function unitWithCarolJoined() {
  const a = await addOrganisation(t, 'Unit A', 'alice');
  const alice = await signInAs(t, 'alice', a.totpSecret);
  const { token } = await createInvite(t.api, alice, { kind: 'member', role: 'investigator' });
  const account = await acceptInvite(t.api, token, 'carol', TEST_PASSWORD, TEST_KDF, TEST_KDF);
  await confirmTotp(t.api, 'carol', account.authKey, totpCodeAt(account.totp.secret, t.clock.now));
  const carolMember = (await listMembers(t.api, alice)).members.find((m) => m.username === 'carol')!;
  return { a, alice, account, carolMember };
}

/** Unit A with alice (admin) and carol (investigator, holding the keys). */
async function unitWithCarol() {
  const { a, alice, account, carolMember } = await unitWithCarolJoined();
  await grantKeyring(t.api, alice, carolMember);
  const carol = await signInAs(t, 'carol', account.totp.secret);
  return { a, alice, carol, carolMember, carolTotp: account.totp.secret };
}

/** Every case the session's organisation holds opens on its device, and the report decrypts. */
async function everyCaseOpens(session: InvestigatorSession): Promise<string[]> {
  const cases = await listCases(t.api, session);
  expect(cases.filter((c) => c.reportProblem !== undefined).map((c) => `${c.reference}: ${c.reportProblem}`)).toEqual([]);
  return cases.map((c) => (c.report ? c.report.whatHappened : '?'));
}

describe('a report acknowledged during a member removal', () => {
  it('is readable: a rotation that lands between the route’s look-up and its write makes the client seal again', async () => {
    const { held, checkpoint } = holdingFirst('report:before-write');
    t = makeTestApp(TEST_CONFIG, checkpoint);
    const { alice, carolMember } = await unitWithCarol();
    const { keys, submission } = await draftReport(t.api, 'sent while carol was being removed');
    const sending = submitReport(t.api, submission);
    await held.reached;
    // The report has passed every check; the removal (and the rotation it starts) lands now.
    await removeMember(t.api, alice, carolMember.id);
    held.release();
    const receipt = await sending;
    expect(receipt.reference).toMatch(/\S/);

    // Alice, the only one left, put the new keys in use at once; the report was sealed to them.
    expect(alice.organisation.keyVersion).toBe(2);
    const [listed] = await listCases(t.api, alice);
    expect(listed).toMatchObject({ caseKey: { keyVersion: 2 }, report: { whatHappened: 'sent while carol was being removed' } });
    expect((await openMailbox(t.api, keys)).reference).toBe(receipt.reference);
  });

  it('never blocks the removal, however many reports arrive while it runs', async () => {
    t = makeTestApp();
    const { alice, carolMember } = await unitWithCarol();
    const reports = await Promise.all(Array.from({ length: 12 }, (_, i) => draftReport(t.api, `stream ${i}`)));
    const results = await Promise.allSettled([...reports.map((r) => submitReport(t.api, r.submission)), removeMember(t.api, alice, carolMember.id)]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await everyCaseOpens(alice)).sort()).toEqual(reports.map((_, i) => `stream ${i}`).sort());
  });
});

describe('a keyring given during a member removal', () => {
  /**
   * Alice gives carol keys (after `earlier` grants that pass), held after its checks while
   * `meanwhile` runs; what the held grant was answered.
   */
  async function grantWhile(meanwhile: (alice: InvestigatorSession, carolId: string) => Promise<unknown>, earlier = 0) {
    const { held, checkpoint } = holdingFirst('keyring-grant:before-write', earlier);
    t = makeTestApp(TEST_CONFIG, checkpoint);
    const { alice, carolMember } = await unitWithCarolJoined();
    for (let i = 0; i < earlier; i++) await grantKeyring(t.api, alice, carolMember);
    const granting = status(grantKeyring(t.api, alice, carolMember));
    await held.reached;
    await meanwhile(alice, carolMember.id);
    held.release();
    return { answer: await granting, alice, carolMember };
  }

  it('is refused: a removal that lands between the grant’s checks and its write leaves the member no keyring', async () => {
    const { answer, carolMember } = await grantWhile((alice, carol) => removeMember(t.api, alice, carol));
    expect(answer).toBe('404 not_found');
    expect(t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM org_keyrings WHERE investigator_id = ?').get(carolMember.id)).toEqual({ n: 0 });
  });
  it('is refused when it adds nothing and only endorses again: a removed member is neither endorsed nor audited as given keys', async () => {
    // After one grant, the held one holds the keyrings carol has: it adds nothing and endorses her key again.
    const { answer, carolMember } = await grantWhile((alice, carol) => removeMember(t.api, alice, carol), 1);
    expect(answer).toBe('404 not_found');
    const actions = t.database.sqlite.prepare('SELECT action FROM audit_log WHERE subject = ? ORDER BY seq').all(carolMember.id);
    expect(actions.at(-1)).toEqual({ action: 'member_remove' });
  });
  it('is refused when a key rotation lands between its checks and its write: the member would hold the old keys but not the new', async () => {
    // The grant was checked against version 1 alone; alice, the only holder, rotates to 2 meanwhile.
    const { answer, alice, carolMember } = await grantWhile((alice) => rotateKeys(t.api, alice));
    expect(answer).toBe('409 org_key_changed');
    expect(t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM org_keyrings WHERE investigator_id = ?').get(carolMember.id)).toEqual({ n: 0 });
    // Made again from what the unit now holds, the grant gives carol both versions.
    await grantKeyring(t.api, alice, carolMember);
    expect(t.database.sqlite.prepare('SELECT key_version AS v FROM org_keyrings WHERE investigator_id = ? ORDER BY key_version').all(carolMember.id)).toEqual([{ v: 1 }, { v: 2 }]);
  });
});

describe('a keyring given during a key rotation', () => {
  it('makes the rotation start again: one landing between the rotation’s checks and its write would leave its member without the new keys', async () => {
    const { held, checkpoint } = holdingFirst('rotation:before-write');
    t = makeTestApp(TEST_CONFIG, checkpoint);
    const { alice, carolMember } = await unitWithCarolJoined();
    const rotating = status(rotateKeys(t.api, alice));
    await held.reached;
    // The rotation was checked against alice alone holding the keys; carol is given them now.
    await grantKeyring(t.api, alice, carolMember);
    held.release();
    expect(await rotating).toBe('409 members_changed');
    expect(t.database.sqlite.prepare('SELECT key_version AS v FROM org_keyrings WHERE investigator_id = ? ORDER BY key_version').all(carolMember.id)).toEqual([{ v: 1 }]);
    // Made again from what the unit now holds, the rotation gives carol the new keys too.
    await rotateKeys(t.api, alice);
    expect(t.database.sqlite.prepare('SELECT key_version AS v FROM org_keyrings WHERE investigator_id = ? ORDER BY key_version').all(carolMember.id)).toEqual([{ v: 1 }, { v: 2 }]);
  });
});

describe('a malicious investigator passing a case on', () => {
  it('cannot bury it: a key that does not open is declined, and the case stays where it was', async () => {
    t = makeTestApp();
    const a = await addOrganisation(t, 'Unit A', 'alice');
    const b = await addOrganisation(t, 'Unit B', 'bob');
    const config = await fetchInstanceConfig(t.api);
    const { keys, submission } = await draftReport(t.api, 'for unit A', { organisation: config.organisations.findIndex((o) => o.id === a.orgId) });
    await submitReport(t.api, submission);
    const alice = await signInAs(t, 'alice', a.totpSecret);
    const [theCase] = await listCases(t.api, alice);
    const unitB = config.organisations.find((o) => o.id !== a.orgId)!;

    // Random bytes in place of the sealed key, and "drop my access". Alice holds the unit's
    // signing key, so she can sign the garbage: the signature is genuine, the key inside is not.
    const garbage = new Uint8Array([2, ...randomBytes(96)]);
    const signature = signSealedCaseKey(alice.keyrings.get(1)!.sign.privateKey, b64ToBytes(theCase!.id)!, b64ToBytes(unitB.boxPublicKey)!, garbage);
    const offered = await t.fetch(`${t.api.baseUrl}/api/investigator/cases/${theCase!.id}/pass-on`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ orgId: unitB.id, keyVersion: unitB.keyVersion, sealedCaseKey: bytesToB64(garbage), sealSignature: bytesToB64(signature), keepAccess: false }),
    });
    expect(offered.status).toBe(202);
    // Until unit B accepts, nothing has moved: alice still reads it; the reporter sees no change.
    expect(await everyCaseOpens(alice)).toEqual(['for unit A']);
    expect((await openMailbox(t.api, keys)).status).toBe('received');

    const bob = await signInAs(t, 'bob', b.totpSecret);
    const [offer] = await listTransfers(t.api, bob);
    expect(await acceptTransfer(t.api, bob, offer!)).toEqual({ accepted: false });
    expect(await listTransfers(t.api, bob)).toEqual([]);
    expect(await listCases(t.api, bob)).toEqual([]);
    expect(await everyCaseOpens(alice)).toEqual(['for unit A']);
    expect((await openMailbox(t.api, keys)).status).toBe('received');
    // And a genuine offer still goes through afterwards.
    await passOnCase(t.api, alice, await openCase(t.api, alice, theCase!.id), unitB, false);
    const [genuine] = await listTransfers(t.api, bob);
    expect(await acceptTransfer(t.api, bob, genuine!)).toEqual({ accepted: true });
    expect(await everyCaseOpens(bob)).toEqual(['for unit A']);
    expect(await listCases(t.api, alice)).toEqual([]);
    expect((await openMailbox(t.api, keys)).status).toBe('passed_on');
  });
});

describe('a malicious administrator', () => {
  it('cannot destroy the unit’s access with garbage keyrings in a rotation', async () => {
    t = makeTestApp();
    const { alice, carol, a } = await unitWithCarol();
    await fileReport(t.api, 'before the bad rotation');
    const { members, keyVersion } = await listMembers(t.api, alice);
    const garbageKeyring = bytesToB64(new Uint8Array([2, ...randomBytes(48 + 21 + 16 + 4 + 64)]));
    // Keys nobody holds, properly signed into the chain by alice (she holds the current signing key).
    const [box, sign] = [personalKeyPair(randomBytes(32)).publicKey, orgKeyringFromSeeds(b64ToBytes(a.orgId)!, 2, randomBytes(32), randomBytes(32)).sign.publicKey];
    const endorsement = endorseOrgKeyVersion(b64ToBytes(a.orgId)!, { keyVersion: keyVersion + 1, boxPublicKey: box, signPublicKey: sign }, alice.keyrings.get(1)!.sign.privateKey);
    const body = {
      fromVersion: keyVersion,
      boxPublicKey: bytesToB64(box),
      signPublicKey: bytesToB64(sign),
      endorsement: bytesToB64(endorsement),
      keyrings: members.map((m) => ({ memberId: m.id, sealedKeyring: garbageKeyring })),
    };
    const headers = { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' };
    // Leaving carol out is refused: a rotation cannot narrow the unit to its administrator.
    const narrowed = await t.fetch(`${t.api.baseUrl}/api/investigator/admin/rotation`, { method: 'POST', headers, body: JSON.stringify({ ...body, keyrings: body.keyrings.filter((k) => k.memberId !== carol.memberId) }) });
    expect(narrowed.status).toBe(409);
    expect(((await narrowed.json()) as { error: { code: string } }).error.code).toBe('members_changed');
    // Naming a member twice is refused as it stands: one keyring per member, and nothing is stored.
    const twice = await t.fetch(`${t.api.baseUrl}/api/investigator/admin/rotation`, { method: 'POST', headers, body: JSON.stringify({ ...body, keyrings: [...body.keyrings, body.keyrings[0]] }) });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { error: { code: string } }).error.code).toBe('invalid_body');
    expect(t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM org_key_versions WHERE org_id = ?').get(a.orgId)).toEqual({ n: 1 });
    // Garbage for everyone is accepted as a pending version, and changes nothing in use.
    expect((await t.fetch(`${t.api.baseUrl}/api/investigator/admin/rotation`, { method: 'POST', headers, body: JSON.stringify(body) })).status).toBe(201);
    expect((await fetchInstanceConfig(t.api)).organisations[0]!.keyVersion).toBe(1);
    await fileReport(t.api, 'during the bad rotation');
    // Alice's own confirmation cannot switch the unit over while carol also holds the version.
    await refreshKeyrings(t.api, alice);
    expect((await fetchInstanceConfig(t.api)).organisations[0]!.keyVersion).toBe(1);
    // Carol's device finds her copy does not open: she rejects it and the version is abandoned.
    await refreshKeyrings(t.api, carol);
    expect(t.database.sqlite.prepare('SELECT key_version, state FROM org_key_versions WHERE org_id = ? ORDER BY key_version').all(a.orgId)).toEqual([{ key_version: 1, state: 'active' }]);
    expect((await everyCaseOpens(carol)).sort()).toEqual(['before the bad rotation', 'during the bad rotation']);
    expect((await everyCaseOpens(await signInAs(t, 'alice', a.totpSecret))).sort()).toEqual(['before the bad rotation', 'during the bad rotation']);
  });

  it('cannot overwrite another member’s keyring', async () => {
    t = makeTestApp();
    const { a, alice, carolMember, carolTotp } = await unitWithCarol();
    await fileReport(t.api, 'readable by carol');
    const garbage = bytesToB64(new Uint8Array([2, ...randomBytes(48 + 21 + 16 + 4 + 64)]));
    const orgId = b64ToBytes(a.orgId)!;
    const endorsement = endorseMemberKey(alice.keyrings.get(1)!.sign.privateKey, orgId, b64ToBytes(carolMember.id)!, carolMember.username, b64ToBytes(carolMember.boxPublicKey)!);
    const response = await t.fetch(`${t.api.baseUrl}/api/investigator/admin/members/${carolMember.id}/keyrings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ keyrings: [{ keyVersion: 1, sealedKeyring: garbage }], endorsement: { keyVersion: 1, signature: bytesToB64(endorsement) } }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ added: [] });
    expect(await everyCaseOpens(await signInAs(t, 'carol', carolTotp))).toEqual(['readable by carol']);
  });
});

describe('one-time tokens', () => {
  it('an invitation used eight times at once makes one account', async () => {
    t = makeTestApp();
    const a = await addOrganisation(t, 'Unit A', 'alice');
    const alice = await signInAs(t, 'alice', a.totpSecret);
    const { token } = await createInvite(t.api, alice, { kind: 'member', role: 'admin' });
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => acceptInvite(t.api, token, `racer${i}`, TEST_PASSWORD, TEST_KDF, TEST_KDF)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ status: 404, code: 'token_invalid' });
    expect(t.database.sqlite.prepare("SELECT COUNT(*) AS n FROM investigators WHERE username LIKE 'racer%'").get()).toEqual({ n: 1 });
  });

  it('a TOTP code sent by five sign-ins at once opens one session', async () => {
    t = makeTestApp();
    const a = await addOrganisation(t, 'Unit A', 'alice');
    t.clock.now += 30_000;
    const code = totpCodeAt(a.totpSecret, t.clock.now);
    // Five: the throttle's free attempts, so every one is checked rather than made to wait.
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => signIn(t.api, { username: 'alice', password: TEST_PASSWORD, totp: code }, TEST_KDF)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ApiRequestError);
    expect(t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 1 });
  });

  it('the first-run setup link used three times at once makes one organisation and one administrator', async () => {
    t = makeTestApp();
    const fragment = await issueSetupToken(t.database.db, (n) => crypto.getRandomValues(new Uint8Array(n)));
    const token = fragment!.replace('#setup=', '');
    const results = await Promise.allSettled(Array.from({ length: 3 }, (_, i) => setUpFirstOrganisation(t.api, token, `Unit ${i}`, `root${i}`, TEST_PASSWORD, TEST_KDF, TEST_KDF)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM organisations').get()).toEqual({ n: 1 });
    expect(t.database.sqlite.prepare('SELECT COUNT(*) AS n FROM investigators WHERE instance_admin = 1').get()).toEqual({ n: 1 });
  });

  it('dies with the administrator who made it; can be listed and withdrawn; expires', async () => {
    t = makeTestApp();
    const { alice } = await unitWithCarol();
    // A second administrator, dave, makes an invitation and is then removed.
    const { token: daveToken } = await createInvite(t.api, alice, { kind: 'member', role: 'admin' });
    const dave = await acceptInvite(t.api, daveToken, 'dave', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await confirmTotp(t.api, 'dave', dave.authKey, totpCodeAt(dave.totp.secret, t.clock.now));
    const daveMember = (await listMembers(t.api, alice)).members.find((m) => m.username === 'dave')!;
    await grantKeyring(t.api, alice, daveMember);
    const daveSession = await signInAs(t, 'dave', dave.totp.secret);
    const fromDave = await createInvite(t.api, daveSession, { kind: 'member', role: 'investigator' });
    const toWithdraw = await createInvite(t.api, alice, { kind: 'member', role: 'investigator' });
    const toExpire = await createInvite(t.api, alice, { kind: 'member', role: 'investigator' });
    expect((await listInvites(t.api, alice)).map((i) => i.createdBy).sort()).toEqual(['alice', 'alice', 'dave']);

    await revokeInvite(t.api, alice, toWithdraw.id);
    expect(await status(acceptInvite(t.api, toWithdraw.token, 'erin', TEST_PASSWORD, TEST_KDF, TEST_KDF))).toBe('404 token_invalid');
    await removeMember(t.api, alice, daveMember.id);
    expect(await status(acceptInvite(t.api, fromDave.token, 'frank', TEST_PASSWORD, TEST_KDF, TEST_KDF))).toBe('404 token_invalid');
    t.clock.now = toExpire.expiresAt;
    expect(await status(acceptInvite(t.api, toExpire.token, 'gina', TEST_PASSWORD, TEST_KDF, TEST_KDF))).toBe('404 token_invalid');
  });
});

describe('the audit trail', () => {
  it('keeps a removed member’s name, and never gives their id or username out again', async () => {
    t = makeTestApp();
    const { alice, carolMember } = await unitWithCarol();
    await removeMember(t.api, alice, carolMember.id);
    const entries = t.database.sqlite.prepare('SELECT a.action, i.username FROM audit_log a LEFT JOIN investigators i ON i.id = a.actor_id WHERE a.actor_id = ?').all(carolMember.id) as { action: string; username: string }[];
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.username === 'carol')).toBe(true);
    const { token } = await createInvite(t.api, alice, { kind: 'member', role: 'investigator' });
    expect(await status(acceptInvite(t.api, token, 'carol', TEST_PASSWORD, TEST_KDF, TEST_KDF))).toBe('409 username_taken');
    expect(await verifyAuditChain(t.database.db, (await fetchInstanceConfig(t.api)).organisations[0]!.id)).toMatchObject({ ok: true });
  });
});

describe('the case list', () => {
  it('reaches every case however many junk reports arrive after it, page by page, newest first, by status', async () => {
    t = makeTestApp();
    const a = await addOrganisation(t, 'Unit A', 'alice');
    await fileReport(t.api, 'the genuine report');
    t.clock.now += 24 * 60 * 60 * 1000; // the junk arrives on later days
    const config = await fetchInstanceConfig(t.api);
    const junkKeys = deriveKeysForInstance(generatePassphrase(), config, TEST_KDF);
    for (let i = 0; i < 506; i++) {
      const body = buildReportSubmission({ ...junkKeys, locator: randomBytes(32) }, config.organisations[0]!, { kind: 'report', category: 'other', whatHappened: `junk ${i}` });
      expect((await t.fetch(`${t.api.baseUrl}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status).toBe(201);
      if (i === 300) t.clock.now += 24 * 60 * 60 * 1000;
    }
    const alice = await signInAs(t, 'alice', a.totpSecret);
    const first = await listCasePage(t.api, alice);
    expect(first.cases).toHaveLength(50);
    expect(first.cases[0]!.receivedDay >= first.cases[49]!.receivedDay).toBe(true);
    const all = await listCases(t.api, alice);
    expect(all).toHaveLength(507);
    expect(new Set(all.map((c) => c.id)).size).toBe(507);
    expect(all.at(-1)!.report?.whatHappened).toBe('the genuine report');
    const genuine = all.at(-1)!;
    await openCase(t.api, alice, genuine.id);
    await setCaseStatus(t.api, alice, await openCase(t.api, alice, genuine.id), 'investigating');
    expect((await listCases(t.api, alice, { status: 'investigating' })).map((c) => c.id)).toEqual([genuine.id]);
  });
});

describe('a signature the signer did not make', () => {
  // What a thief holding a session (or a request without the mailbox key) can send: everything
  // the real client sends, with a signature that does not verify. Each is refused as
  // invalid_body naming the field, and nothing is stored.

  /** One bit of a base64url signature flipped: well formed, and no longer the signer's. */
  const spoiled = (signatureB64: string) => {
    const bytes = b64ToBytes(signatureB64)!;
    bytes[0]! ^= 1;
    return bytesToB64(bytes);
  };

  /** A client whose JSON request bodies to paths matching `path` are rewritten on the way to the server. */
  function tamperingApi(path: RegExp, rewrite: (body: Record<string, any>) => void): ApiClient {
    const fetch: Fetch = async (input, init) => {
      const request = new Request(input, init);
      if (!path.test(new URL(request.url).pathname) || !request.body) return t.fetch(input, init);
      const body = (await request.json()) as Record<string, any>;
      rewrite(body);
      return t.fetch(request.url, { method: request.method, headers: request.headers, body: JSON.stringify(body) });
    };
    return new ApiClient(t.api.baseUrl, fetch, () => t.clock.now);
  }

  async function refusal(attempt: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
    const error = await attempt.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    const e = error as ApiRequestError;
    return { status: e.status, code: e.code, message: e.message };
  }

  const rows = (table: string) => t.database.sqlite.prepare(`SELECT * FROM ${table}`).all();

  it('on a report’s sealed keys: the report is refused and no case, mailbox or key is stored', async () => {
    t = makeTestApp();
    await addOrganisation(t, 'Unit A', 'alice');
    const { submission } = await draftReport(t.api, 'never stored');
    expect(await refusal(submitReport(t.api, { ...submission, mailbox: { ...submission.mailbox, sealSignature: spoiled(submission.mailbox.sealSignature) } }))).toEqual({
      status: 400, code: 'invalid_body', message: 'mailbox.sealSignature: does not verify.',
    });
    expect(await refusal(submitReport(t.api, { ...submission, orgCaseKey: { ...submission.orgCaseKey, sealSignature: spoiled(submission.orgCaseKey.sealSignature) } }))).toEqual({
      status: 400, code: 'invalid_body', message: 'orgCaseKey.sealSignature: does not verify.',
    });
    expect([rows('cases'), rows('mailboxes'), rows('case_keys'), rows('messages')]).toEqual([[], [], [], []]);
    // The same report, unspoiled, goes through.
    expect((await submitReport(t.api, submission)).reference).toMatch(/\S/);
  });

  it('on a reply to a case: refused, naming the message, its place and its sender; the thread is unchanged', async () => {
    t = makeTestApp();
    const a = await addOrganisation(t, 'Unit A', 'alice');
    const { keys, submission } = await fileReport(t.api, 'the report');
    const alice = await signInAs(t, 'alice', a.totpSecret);
    const thief = tamperingApi(/\/messages$/, (body) => (body.signature = spoiled(body.signature)));
    expect(await refusal(replyToCase(thief, alice, await openCase(t.api, alice, submission.caseId), 'a forged question'))).toEqual({
      status: 400, code: 'invalid_body', message: 'signature: does not verify for this message, its place in the thread and its sender.',
    });
    expect(rows('messages')).toHaveLength(1);
    expect((await openMailbox(t.api, keys)).entries).toHaveLength(1);
  });

  it('on a case passed on: refused, and no offer reaches the other unit', async () => {
    t = makeTestApp();
    const a = await addOrganisation(t, 'Unit A', 'alice');
    const b = await addOrganisation(t, 'Unit B', 'bob');
    const config = await fetchInstanceConfig(t.api);
    await fileReport(t.api, 'for unit A', { organisation: config.organisations.findIndex((o) => o.id === a.orgId) });
    const alice = await signInAs(t, 'alice', a.totpSecret);
    const [theCase] = await listCases(t.api, alice);
    const unitB = config.organisations.find((o) => o.id !== a.orgId)!;
    const thief = tamperingApi(/\/pass-on$/, (body) => (body.sealSignature = spoiled(body.sealSignature)));
    expect(await refusal(passOnCase(thief, alice, await openCase(t.api, alice, theCase!.id), unitB, false))).toEqual({
      status: 400, code: 'invalid_body', message: 'sealSignature: does not verify.',
    });
    expect(rows('case_transfers')).toEqual([]);
    expect(await listTransfers(t.api, await signInAs(t, 'bob', b.totpSecret))).toEqual([]);
  });

  it('on the next key version of the unit’s chain: the rotation is refused and the chain is unchanged', async () => {
    t = makeTestApp();
    const { a, alice } = await unitWithCarol();
    const chain = () => t.database.sqlite.prepare('SELECT key_version, state FROM org_key_versions WHERE org_id = ?').all(a.orgId);
    const before = chain();
    const thief = tamperingApi(/\/admin\/rotation$/, (body) => (body.endorsement = spoiled(body.endorsement)));
    expect(await refusal(rotateKeys(thief, alice))).toEqual({ status: 400, code: 'invalid_body', message: 'endorsement: does not verify.' });
    expect(chain()).toEqual(before);
  });

  it('on a member’s key: the keyring grant is refused and the member receives nothing', async () => {
    t = makeTestApp();
    const { alice, carolMember } = await unitWithCarolJoined();
    const keyringsOfCarol = () => t.database.sqlite.prepare('SELECT * FROM org_keyrings WHERE investigator_id = ?').all(carolMember.id);
    const thief = tamperingApi(/\/keyrings$/, (body) => (body.endorsement.signature = spoiled(body.endorsement.signature)));
    expect(await refusal(grantKeyring(thief, alice, carolMember))).toEqual({ status: 400, code: 'invalid_body', message: 'endorsement.signature: does not verify.' });
    expect(keyringsOfCarol()).toEqual([]);
  });

  it('on a new organisation’s founding keys: the first-run setup is refused and no organisation exists', async () => {
    t = makeTestApp();
    const fragment = await issueSetupToken(t.database.db, (n) => crypto.getRandomValues(new Uint8Array(n)));
    const token = fragment!.replace('#setup=', '');
    for (const field of ['endorsement', 'founderEndorsement'] as const) {
      const thief = tamperingApi(/\/setup$/, (body) => (body.organisation[field] = spoiled(body.organisation[field])));
      expect(await refusal(setUpFirstOrganisation(thief, token, 'Unit A', 'root', TEST_PASSWORD, TEST_KDF, TEST_KDF))).toEqual({
        status: 400, code: 'invalid_body', message: `organisation.${field}: does not verify.`,
      });
    }
    expect([rows('organisations'), rows('investigators')]).toEqual([[], []]);
  });
});

describe('another unit’s case', () => {
  it('does not exist for an investigator of a unit that holds no key for it, in the words a made-up id gets', async () => {
    t = makeTestApp();
    await addOrganisation(t, 'Unit A', 'alice');
    const b = await addOrganisation(t, 'Unit B', 'bob');
    const { submission } = await fileReport(t.api, 'for unit A only');
    const bob = await signInAs(t, 'bob', b.totpSecret);
    const error = await openCase(t.api, bob, submission.caseId).then(() => null, (e: unknown) => e as ApiRequestError);
    expect({ status: error?.status, code: error?.code, message: error?.message }).toEqual({ status: 404, code: 'not_found', message: 'No such case for your organisation.' });
  });
});

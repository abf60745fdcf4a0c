// How many times a mailbox open goes to D1. On Workers each D1 call is a round trip to the
// database (a batch is one), so a reporter's wait grows with their count (issue 16: at most 3).
// The app runs in this process over a real D1 (Miniflare's, SQLite in workerd); a counter
// around the binding sees each call it makes.
import { Miniflare } from 'miniflare';
import type { D1Database } from '@cloudflare/workers-types/latest';
import { drizzle } from 'drizzle-orm/d1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../../db/schema.js';
import type { ParleyDb } from '../../db/database.js';
import { createApp } from '../../worker/app.js';
import { webCryptoRandomBytes } from '../../worker/deps.js';
import { databaseFileStore } from '../../worker/file-store.js';
import { ApiClient } from '../../web/client/api.js';
import { fetchInstanceConfig, openMailbox } from '../../web/client/reporter.js';
import { acceptInvite, confirmTotp, createInvite, grantKeyring, listMembers, passOnCase, removeMember, rotateKeys } from '../../web/client/admin.js';
import { listCases, openCase, replyToCase, sessionHeaders, signIn, type InvestigatorSession } from '../../web/client/investigator.js';
import { eq } from 'drizzle-orm';
import { totpCodeAt } from '../../worker/totp.js';
import { noticeAddress } from '../../web/client/notices.js';
import { fetchFigureFacts } from '../../web/client/figures.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { TEST_CONFIG, TEST_KDF, TEST_PASSWORD } from '../support/test-app.js';
import { fileReport } from '../support/reports.js';
import { countingD1, migrateD1 } from '../support/counting-d1.js';

describe('D1 round trips (Miniflare D1)', () => {
  let mf: Miniflare;
  let counter: ReturnType<typeof countingD1>;
  let api: ApiClient;
  let totpSecret: string;
  let app: ReturnType<typeof createApp>;
  let db: ParleyDb;
  let serverSecret: Uint8Array;
  beforeAll(async () => {
    mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 404 }); } }', d1Databases: ['DB'] });
    const raw = (await mf.getD1Database('DB')) as unknown as D1Database;
    await migrateD1(raw);
    counter = countingD1(raw);
    db = drizzle(counter.d1, { schema }) as unknown as ParleyDb;
    serverSecret = webCryptoRandomBytes(32);
    ({ totpSecret } = await createOrganisation(db, { orgName: 'Unit', username: 'admin', password: TEST_PASSWORD, kdf: TEST_KDF, now: Date.now(), serverSecret }));
    app = createApp({ db, clock: Date.now, randomBytes: webCryptoRandomBytes, config: TEST_CONFIG, serverSecret, files: databaseFileStore(db) });
    api = new ApiClient('http://parley.test', async (input, init) => app.request(new Request(input, init)), Date.now);
  }, 120_000);
  afterAll(async () => mf?.dispose());
  /** A client whose every request is filed with the D1 calls it made. */
  function countingClient() {
    const trips: { route: string; trips: number }[] = [];
    const client = new ApiClient('http://parley.test', async (input, init) => {
      const request = new Request(input, init);
      const before = counter.calls();
      const response = await app.request(request);
      trips.push({ route: `${request.method} ${new URL(request.url).pathname}`, trips: counter.calls() - before });
      return response;
    }, Date.now);
    return { api: client, trips, tripsOf: (route: string) => trips.filter((t) => t.route === route).map((t) => t.trips) };
  }
  // One sign-in for the file: a TOTP code works once.
  let session: Promise<InvestigatorSession> | undefined;
  const signedIn = () => (session ??= signIn(api, { username: 'admin', password: TEST_PASSWORD, totp: totpCodeAt(totpSecret, Date.now()) }, TEST_KDF));

  it('opens a mailbox in 2 round trips: the challenge spent with the mailbox and its throttle read in the same batch, then the case and its thread', async () => {
    const { keys } = await fileReport(api, 'a report');
    // A reply signed by the organisation, so the answer needs its keys too.
    const session = await signedIn();
    const [listed] = await listCases(api, session);
    await replyToCase(api, session, await openCase(api, session, listed!.id), 'a question');
    const before = counter.calls();
    const opened = await openMailbox(api, keys);
    const trips = counter.calls() - before;
    expect(opened.entries.map((e) => [e.role, e.document === null ? 'unreadable' : 'read'])).toEqual([['reporter', 'read'], ['organisation', 'read']]);
    expect(trips).toBe(2);
  });

  it('checks a console session, its member included, in one round trip: reading a notice address (held on the member row) takes 1 in all', async () => {
    const session = await signedIn();
    const before = counter.calls();
    expect(await noticeAddress(api, session)).toBeNull();
    expect(counter.calls() - before).toBe(1);
  });

  it('signs in (POST /sessions) in 5 round trips: the challenge spent, the throttle reserved, the member with their unit and its audit chain’s head, one write, the keyrings with the key chain', async () => {
    // The file's sign-in spent the code of this time step: this one uses the next step's, which
    // the server accepts (a phone's clock may run up to one step ahead).
    await signedIn();
    const counting = countingClient();
    const signed = await signIn(counting.api, { username: 'admin', password: TEST_PASSWORD, totp: totpCodeAt(totpSecret, Date.now() + 30_000) }, TEST_KDF);
    expect(signed.keyrings.size).toBe(1);
    console.log('D1 round trips of a sign-in', counting.trips);
    expect(counting.tripsOf('POST /api/investigator/sessions')).toEqual([5]);
  });

  it('files a report in 2 round trips: whether its challenge was spent with the organisation and the key version its case key is sealed to, then one write', async () => {
    const counting = countingClient();
    await fileReport(counting.api, 'a report whose trips are counted');
    console.log('D1 round trips of a report', counting.trips);
    expect(counting.tripsOf('POST /api/reports')).toEqual([2]);
  });

  it('serves the console’s hot reads in few round trips: a case list page, a case view, a reply', async () => {
    const { submission } = await fileReport(api, 'a report to list');
    const session = await signedIn();
    const trips = async (call: () => Promise<unknown>) => {
      const before = counter.calls();
      await call();
      return counter.calls() - before;
    };
    const opened = await openCase(api, session, submission.caseId);
    const counted = {
      list: await trips(() => listCases(api, session)),
      view: await trips(() => openCase(api, session, submission.caseId)),
      reply: await trips(() => replyToCase(api, session, opened, 'a question')),
    };
    const today = new Date().toISOString().slice(0, 10);
    const figuresPage = await trips(() => fetchFigureFacts(api, session, today, today));
    console.log('D1 round trips', counted, { figuresPage });
    // Each: the session; one batch of what the answer needs (for a reply, the case) and the audit
    // chain's head; the audited write.
    expect({ ...counted, figuresPage }).toEqual({ list: 3, view: 3, reply: 3, figuresPage: 3 });
  });

  it('confirms a keyring in 3 round trips: the session; what the check needs with the audit chain’s head; the audited write', async () => {
    const session = await signedIn();
    // As for a member whose device has not yet confirmed the keyring it was given.
    await db.update(schema.orgKeyrings).set({ confirmed: false }).where(eq(schema.orgKeyrings.memberId, session.memberId));
    const before = counter.calls();
    const { keyVersions } = await api.call('POST /api/investigator/keyrings/checks', { body: { confirmed: [1], rejected: [] }, headers: sessionHeaders(session) });
    expect(counter.calls() - before).toBe(3);
    expect(keyVersions.map((v) => [v.keyVersion, v.state])).toEqual([[1, 'active']]);
    expect(await db.select({ confirmed: schema.orgKeyrings.confirmed }).from(schema.orgKeyrings).where(eq(schema.orgKeyrings.memberId, session.memberId))).toEqual([{ confirmed: true }]);
  });

  it('shows the administrator the members in 2 round trips (the session, then the members, their keyrings and the key versions in one read), and the invitations in 2', async () => {
    const session = await signedIn();
    const before = counter.calls();
    const { members } = await api.call('GET /api/investigator/admin/members', { headers: sessionHeaders(session) });
    expect(counter.calls() - before).toBe(2);
    expect(members.map((m) => [m.username, m.keyrings.map((k) => k.keyVersion)])).toEqual([['admin', [1]]]);
    // And the invitations with who made them, likewise.
    await api.call('POST /api/investigator/admin/invites', { body: { kind: 'member', role: 'investigator' }, headers: sessionHeaders(session) });
    const beforeInvites = counter.calls();
    const { invites } = await api.call('GET /api/investigator/admin/invites', { headers: sessionHeaders(session) });
    expect(counter.calls() - beforeInvites).toBe(2);
    expect(invites.map((i) => i.createdBy)).toEqual(['admin']);
  });

  it('reads a page of cases and a case view whole in one D1 batch: every table under its own column names, so none is lost to another of the same name', async () => {
    const { submission, receipt } = await fileReport(api, 'a report read through a batch', { category: 'bribery' });
    const session = await signedIn();
    const listed = (await listCases(api, session)).find((c) => c.id === submission.caseId)!;
    expect(listed.reportProblem).toBeUndefined();
    expect({ reference: listed.reference, receivedDay: listed.receivedDay, status: listed.status, unread: listed.unread, category: listed.report?.category, whatHappened: listed.report?.whatHappened })
      .toEqual({ reference: receipt.reference, receivedDay: receipt.receivedDay, status: 'received', unread: true, category: 'bribery', whatHappened: 'a report read through a batch' });
    expect(listed.deadlines.ackDueDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const facts = await fetchFigureFacts(api, session, receipt.receivedDay, receipt.receivedDay);
    expect(facts.map((f) => f.category)).toContain('bribery');
    // The case view reads the case the same way, in one batch with its thread.
    const opened = await openCase(api, session, submission.caseId);
    expect({ reference: opened.reference, receivedDay: opened.receivedDay, status: opened.status, deadlines: opened.deadlines }).toEqual({ reference: receipt.reference, receivedDay: receipt.receivedDay, status: 'received', deadlines: listed.deadlines });
    expect((await listCases(api, session)).find((c) => c.id === submission.caseId)!.unread).toBe(false);
  });

  it('opens a closed case’s mailbox in 2 round trips too (its deletion day from the same read)', async () => {
    const { keys, submission } = await fileReport(api, 'a report to close');
    const session = await signedIn();
    await replyToCase(api, session, await openCase(api, session, submission.caseId), 'closing it', 'closed');
    const before = counter.calls();
    const opened = await openMailbox(api, keys);
    const trips = counter.calls() - before;
    expect(opened.deletionDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(trips).toBe(2);
  });

  // Last in the file: the organisation it founds stays out of the tests above.
  it('offers a case to another organisation in 4 round trips: the receiver, what it holds of the case and both audit chains’ heads in one read', async () => {
    await createOrganisation(db, { orgName: 'Zulu Unit', username: 'zulu', password: TEST_PASSWORD, kdf: TEST_KDF, now: Date.now(), serverSecret });
    const { submission } = await fileReport(api, 'a report to pass on');
    const session = await signedIn();
    const opened = await openCase(api, session, submission.caseId);
    const receiver = (await fetchInstanceConfig(api)).organisations.find((o) => o.name === 'Zulu Unit')!;
    const before = counter.calls();
    await passOnCase(api, session, opened, receiver, false);
    // The session, the case with the unit's key to it, the one read, the audited write.
    expect(counter.calls() - before).toBe(4);
  });

  it('answers the instance’s config in 1 round trip however many organisations it serves (every unit and every key version in one read)', async () => {
    for (const name of ['Alpha Force', 'Bravo Force', 'Charlie Force']) {
      await createOrganisation(db, { orgName: name, username: name.toLowerCase().replace(' ', '-'), password: TEST_PASSWORD, kdf: TEST_KDF, now: Date.now(), serverSecret });
    }
    const counting = countingClient();
    const config = await fetchInstanceConfig(counting.api);
    expect(config.organisations.length).toBeGreaterThanOrEqual(4);
    await fetchInstanceConfig(counting.api);
    console.log('D1 round trips of the config', counting.trips);
    // The mailbox KDF's salt is read once a process (the first answer reads it too).
    expect(counting.tripsOf('GET /api/config').at(-1)).toBe(1);
  });

  // Last: the unit's keys move on to new versions.
  it('gives a member keys in 3 round trips (the session; the member, their keyrings, the key versions and the audit chain’s head in one read; the audited write), removes a member in 3, and starts a key rotation in 3: the session; the audit chain’s head; the audited write, which checks the members itself', async () => {
    const session = await signedIn();
    const { token } = await createInvite(api, session, { kind: 'member', role: 'investigator' });
    const account = await acceptInvite(api, token, 'leaver', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await confirmTotp(api, 'leaver', account.authKey, totpCodeAt(account.totp.secret, Date.now()));
    const counting = countingClient();
    const joined = (await listMembers(api, session)).members.find((m) => m.username === 'leaver')!;
    await grantKeyring(counting.api, session, joined);
    expect(counting.tripsOf(`POST /api/investigator/admin/members/${joined.id}/keyrings`)).toEqual([3]);
    const leaver = (await listMembers(api, session)).members.find((m) => m.username === 'leaver')!;
    // The administrator alone holds the keys besides: each new version is active at once.
    expect((await removeMember(counting.api, session, leaver.id)).active).toBe(true);
    expect((await rotateKeys(counting.api, session)).active).toBe(true);
    console.log('D1 round trips of a removal and a rotation', counting.trips);
    expect({
      remove: counting.tripsOf(`POST /api/investigator/admin/members/${leaver.id}/remove`),
      rotate: counting.tripsOf('POST /api/investigator/admin/rotation'),
    }).toEqual({ remove: [3], rotate: [3] });
  });
});

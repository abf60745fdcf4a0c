// Rows decoded by db/row-mapper.ts (each field's decoder found once per statement) are the rows
// drizzle's own mapping gives for the same statement, on real data: the case list's read (fields
// under prefixed names, a left-joined report that is missing, booleans, a computed `unread`), and
// a session with its member and organisation (whole tables left-joined, the member removed, which
// drizzle answers as null). On SQLite through the statement's raw rows; on D1 (Miniflare's, in
// workerd) through readTogether's batch, which is where the Workers build decodes every read.
import { Miniflare } from 'miniflare';
import type { D1Database } from '@cloudflare/workers-types/latest';
import { drizzle } from 'drizzle-orm/d1';
import { desc, eq } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as schema from '../../db/schema.js';
import { caseKeys } from '../../db/schema.js';
import type { ParleyDb } from '../../db/database.js';
import { heldCasesRead } from '../../db/repo/cases.js';
import { sessionReads } from '../../db/repo/sessions.js';
import { mapRows, type Selection } from '../../db/row-mapper.js';
import { readOne, readTogether } from '../../db/read-together.js';
import { createApp } from '../../worker/app.js';
import { webCryptoRandomBytes } from '../../worker/deps.js';
import { databaseFileStore } from '../../worker/file-store.js';
import { totpCodeAt } from '../../worker/totp.js';
import { ApiClient } from '../../web/client/api.js';
import { openCase, signIn, type InvestigatorSession } from '../../web/client/investigator.js';
import { fetchInstanceConfig } from '../../web/client/reporter.js';
import { createOrganisation } from '../../scripts/create-organisation.js';
import { addOrganisation, makeTestApp, signInAs, TEST_CONFIG, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';
import { fileReport } from '../support/reports.js';
import { migrateD1 } from '../support/counting-d1.js';

/** Runs SQL on the database beneath the app, as an operator's console would. */
type RawSql = (query: string, ...params: unknown[]) => Promise<unknown>;

/**
 * Three reports, the first opened by the member (so it is read, the others unread), the third's
 * report removed (the list's left join finds none), and a member of another unit signed in, then removed.
 */
async function populate(api: ApiClient, orgId: string, signInAdmin: () => Promise<InvestigatorSession>, signInSecond: () => Promise<InvestigatorSession>, raw: RawSql) {
  const config = await fetchInstanceConfig(api);
  const organisation = config.organisations.findIndex((o) => o.id === orgId);
  const caseIds: string[] = [];
  for (let i = 0; i < 3; i++) caseIds.push((await fileReport(api, `report ${i}`, { config, organisation })).submission.caseId);
  const admin = await signInAdmin();
  await openCase(api, admin, caseIds[0]!);
  const second = await signInSecond();
  await raw('DELETE FROM messages WHERE case_id = ?', caseIds[2]);
  await raw('UPDATE investigators SET removed_at = 1 WHERE id = ?', second.memberId);
  return { memberId: admin.memberId };
}

const caseListRead = (db: ParleyDb, orgId: string, reader: string) =>
  heldCasesRead(db, eq(caseKeys.orgId, orgId), [desc(caseKeys.receivedDay), desc(caseKeys.caseId)], 50, caseKeys.receivedDay, reader);

/** What drizzle's prepared statements keep beside their SQL. */
interface Prepared extends Selection {
  values(values: Record<string, unknown>): unknown[][];
  all(values: Record<string, unknown>): unknown[];
}

describe('on SQLite: the planned decoding is drizzle’s', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('decodes the case list’s rows and a session’s as drizzle does, a removed member and a missing report included', async () => {
    t = makeTestApp();
    const unit = await addOrganisation(t, 'Unit', 'admin');
    const other = await addOrganisation(t, 'Other unit', 'bob');
    const orgId = unit.orgId;
    const { memberId } = await populate(
      t.api,
      orgId,
      () => signInAs(t, 'admin', unit.totpSecret),
      () => signInAs(t, 'bob', other.totpSecret),
      async (query, ...params) => t.database.sqlite.prepare(query).run(...params),
    );
    const list = caseListRead(t.database.db, orgId, memberId).statement as unknown as Prepared;
    const drizzleRows = list.all({}) as { report: { id: string | null }; unread: number; case: { cutOff: unknown } }[];
    expect(drizzleRows).toHaveLength(3);
    expect(drizzleRows.map((r) => r.unread).sort()).toEqual([0, 1, 1]);
    expect(drizzleRows.filter((r) => r.report.id === null)).toHaveLength(1);
    expect(drizzleRows.every((r) => r.case.cutOff === false)).toBe(true);
    expect(mapRows(list, list.values({}))).toEqual(drizzleRows);

    const sessions = sessionReads(t.database.db).withMember as unknown as Prepared;
    const hashes = t.database.sqlite.prepare('SELECT token_hash AS hash FROM sessions').all() as { hash: string }[];
    const decoded = hashes.map(({ hash }) => ({ drizzle: sessions.all({ tokenHash: hash }), planned: mapRows(sessions, sessions.values({ tokenHash: hash })) }));
    expect(decoded.map((d) => (d.drizzle[0] as { member: unknown }).member === null).sort()).toEqual([false, true]);
    for (const { drizzle: rows, planned } of decoded) expect(planned).toEqual(rows);
  });
});

describe('on D1: a batch’s rows decode as drizzle decodes the same statement alone', () => {
  let mf: Miniflare;
  afterAll(async () => mf?.dispose());

  it('reads the case list through readTogether (planned decoding) as drizzle’s own all() reads it', async () => {
    mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 404 }); } }', d1Databases: ['DB'] });
    const raw = (await mf.getD1Database('DB')) as unknown as D1Database;
    await migrateD1(raw);
    const db = drizzle(raw, { schema }) as unknown as ParleyDb;
    const serverSecret = webCryptoRandomBytes(32);
    const now = Date.now();
    const unit = await createOrganisation(db, { orgName: 'Unit', username: 'admin', password: TEST_PASSWORD, kdf: TEST_KDF, now, serverSecret });
    const other = await createOrganisation(db, { orgName: 'Other unit', username: 'bob', password: TEST_PASSWORD, kdf: TEST_KDF, now, serverSecret });
    const app = createApp({ db, clock: Date.now, randomBytes: webCryptoRandomBytes, config: TEST_CONFIG, serverSecret, files: databaseFileStore(db) });
    const api = new ApiClient('http://parley.test', async (input, init) => app.request(new Request(input, init)), Date.now);
    const { memberId } = await populate(
      api,
      unit.orgId,
      () => signIn(api, { username: 'admin', password: TEST_PASSWORD, totp: totpCodeAt(unit.totpSecret, Date.now()) }, TEST_KDF),
      () => signIn(api, { username: 'bob', password: TEST_PASSWORD, totp: totpCodeAt(other.totpSecret, Date.now()) }, TEST_KDF),
      (query, ...params) => raw.prepare(query).bind(...params).run(),
    );
    const read = caseListRead(db, unit.orgId, memberId);
    const statement = read.statement as unknown as { all(values: object): Promise<unknown[]>; get(values: object): Promise<unknown> };
    const [batched, first] = await readTogether(db, [read, readOne(statement, read.values)]);
    const alone = await statement.all(read.values);
    expect(alone).toHaveLength(3);
    expect(batched).toEqual(alone);
    // A read of one row ('get') decodes the first, as drizzle's get() does.
    expect(first).toEqual(await statement.get(read.values));
  });
});

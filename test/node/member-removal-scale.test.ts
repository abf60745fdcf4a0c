// Removing a member (and the key rotation that goes with it) does the same work in an
// organisation with 10,000 cases as in one with none: no case key is sealed again (members keep
// the versions they hold), so nothing in it visits the cases, and on Workers it stays one
// bounded step however many cases there are (issue 16). Shown two ways, both deterministic: the
// rows its statements return or change are the same, row for row; and none of them scans a table
// that grows with the cases. Its CPU is measured in bench/workers-d1.ts (member removal over
// 10,000 cases against none), not here: a timed assertion on a shared machine fails on noise
// (CI once saw a median ratio of 2.6 for identical work).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../web/client/api.js';
import { acceptInvite, confirmTotp, createInvite, listMembers, removeMember } from '../../web/client/admin.js';
import type { InvestigatorSession } from '../../web/client/investigator.js';
import { totpCodeAt } from '../../worker/totp.js';
import { recordStatements } from '../support/recorded-statements.js';
import { addOrganisation, makeTestApp, signInAs, TEST_KDF, TEST_PASSWORD, type TestApp } from '../support/test-app.js';

const CASES = 10_000;
const ROUNDS = 3;

interface Unit {
  t: TestApp;
  /** The SQL of every statement the removals ran. */
  removalSql: Set<string>;
  /** Rows the removals' statements returned or changed, all told. */
  rows: { total: number };
  admin: InvestigatorSession;
  api: ApiClient;
}

async function unit(cases: number): Promise<Unit> {
  const t = makeTestApp();
  const org = await addOrganisation(t, 'Unit', 'alice');
  plantCases(t, org.orgId, cases);
  const removalSql = new Set<string>();
  let removing = false;
  const rows = { total: 0 };
  recordStatements(t.database.sqlite, ({ source, rows: n }) => {
    if (!removing) return;
    removalSql.add(source);
    rows.total += n;
  });
  // The client's own work (sealing the new keyrings) runs outside the measured call.
  const api = new ApiClient('http://parley.test', async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.endsWith('/remove')) return t.fetch(input, init);
    removing = true;
    return Promise.resolve(t.app.request(request)).finally(() => (removing = false));
  }, () => t.clock.now);
  return { t, admin: await signInAs(t, 'alice', org.totpSecret), removalSql, rows, api };
}

/** `count` cases of the organisation, each with its sealed key, mailbox and first message (placeholder bytes: nothing here opens them). */
function plantCases(t: TestApp, orgId: string, count: number): void {
  const numbers = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})`;
  t.database.sqlite.transaction(() => {
    t.database.sqlite.prepare(`INSERT INTO cases (id, reference, org_id, status, received_day, last_reporter_day, updated_at) ${numbers} SELECT 'case-' || i, printf('R%07d', i), ?, 'received', '2026-11-01', '2026-11-01', 0 FROM n`).run(orgId);
    t.database.sqlite.prepare(`INSERT INTO case_keys (case_id, org_id, key_version, sealed_case_key) ${numbers} SELECT 'case-' || i, ?, 1, 'sealed' FROM n`).run(orgId);
    t.database.sqlite.prepare(`INSERT INTO mailboxes (locator_hash, case_id, sign_public_key, box_public_key, sealed_case_key) ${numbers} SELECT 'locator-' || i, 'case-' || i, 'sign', 'box', 'sealed' FROM n`).run();
    t.database.sqlite.prepare(`INSERT INTO messages (id, case_id, seq, role, org_id, envelope, signature, day) ${numbers} SELECT 'message-' || i, 'case-' || i, 1, 'reporter', NULL, 'envelope', 'signature', '2026-11-01' FROM n`).run();
  })();
}

/** A new investigator joins and is removed, with a key rotation. */
async function removeOne(u: Unit, username: string): Promise<void> {
  const { token } = await createInvite(u.t.api, u.admin, { kind: 'member', role: 'investigator' });
  const account = await acceptInvite(u.t.api, token, username, TEST_PASSWORD, TEST_KDF, TEST_KDF);
  await confirmTotp(u.t.api, username, account.authKey, totpCodeAt(account.totp.secret, u.t.clock.now));
  const member = (await listMembers(u.t.api, u.admin)).members.find((m) => m.username === username)!;
  // The administrator is the only other member holding the keys, so the new version is active at once.
  expect((await removeMember(u.api, u.admin, member.id)).active).toBe(true);
}

const countParams = (source: string) => (source.match(/\?/g) ?? []).length;

describe('member removal as cases grow', () => {
  let none: Unit;
  let many: Unit;
  beforeAll(async () => {
    none = await unit(0);
    many = await unit(CASES);
  }, 120_000);
  afterAll(() => {
    none?.t.close();
    many?.t.close();
  });

  it(`does the same work with ${CASES} cases as with none`, async () => {
    for (let round = 0; round < ROUNDS; round++) for (const u of [none, many]) await removeOne(u, `member-${round}`);
    const cases = (many.t.database.sqlite.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
    expect(cases).toBe(CASES);
    // Deterministically: no statement of the removal reads through a table that grows with the
    // cases; each one it touches is reached through an index, a few rows at most.
    const growing = ['cases', 'case_keys', 'mailboxes', 'messages', 'files', 'audit_log'];
    const scans = [...many.removalSql].flatMap((source) =>
      (many.t.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...Array(countParams(source)).fill(null)) as { detail: string }[])
        .map((row) => row.detail)
        .filter((detail) => growing.some((table) => new RegExp(`^SCAN ${table}\\b`).test(detail)))
        .map((detail) => `${detail} in ${source}`),
    );
    expect(many.removalSql.size).toBeGreaterThan(3);
    // The same rows read and written, row for row, as in the organisation without cases.
    expect(many.rows.total).toBe(none.rows.total);
    expect(scans).toEqual([]);
  }, 300_000);
});

// Integrity on both runtimes (issue 9): the checks that decide whether a write may land are
// part of the write itself (one transaction on better-sqlite3, one batch on D1), so stale keys,
// spent tokens and audit entries cannot come apart from what they guard. The race held at an
// exact moment through the app's checkpoint is in test/accounts/integrity.test.ts (Node).
import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../../web/client/api.js';
import { submitReport } from '../../web/client/reporter.js';
import { listCases, openCase } from '../../web/client/investigator.js';
import { acceptInvite, createInvite, rotateKeys } from '../../web/client/admin.js';
import { TEST_KDF, TEST_PASSWORD } from '../support/test-app.js';
import { API_TARGETS, type ApiTarget, useTarget } from '../support/targets.js';
import { draftReport, fileReport } from '../support/reports.js';

describe.each(API_TARGETS)('on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  const count = (sql: string, ...params: unknown[]) => t.sql<{ n: number }>(sql, ...params)[0]!.n;

  it('refuses a report sealed to keys replaced before it lands, storing nothing; the client seals it again by itself', async () => {
    const alice = await t.signIn('alice');
    const { submission } = await draftReport(t.api, 'written before the keys changed');
    expect(await rotateKeys(t.api, alice)).toEqual({ keyVersion: 2, active: true });

    const raw = await t.request('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission) });
    expect(raw.status).toBe(409);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('org_key_changed');
    expect(count('SELECT COUNT(*) AS n FROM cases')).toBe(0);

    await submitReport(t.api, submission);
    const [listed] = await listCases(t.api, alice);
    expect(listed).toMatchObject({ caseKey: { keyVersion: 2 }, report: { whatHappened: 'written before the keys changed' } });
  });

  it('spends an invitation once, however many use it at the same moment', async () => {
    const alice = await t.signIn('alice');
    const member = await createInvite(t.api, alice, { kind: 'member', role: 'investigator' });
    const organisation = await createInvite(t.api, alice, { kind: 'organisation', orgName: 'County Unit' });
    const [joins, foundings] = await Promise.all([
      Promise.allSettled(Array.from({ length: 8 }, (_, i) => acceptInvite(t.api, member.token, `joiner${i}`, TEST_PASSWORD, TEST_KDF, TEST_KDF))),
      Promise.allSettled(Array.from({ length: 6 }, (_, i) => acceptInvite(t.api, organisation.token, `founder${i}`, TEST_PASSWORD, TEST_KDF, TEST_KDF))),
    ]);
    expect(joins.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(foundings.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of [...joins, ...foundings]) if (r.status === 'rejected') expect(r.reason).toMatchObject({ status: 404, code: 'token_invalid' });
    expect(count("SELECT COUNT(*) AS n FROM investigators WHERE username LIKE 'joiner%' OR username LIKE 'founder%'")).toBe(2);
    expect(count("SELECT COUNT(*) AS n FROM organisations WHERE name = 'County Unit'")).toBe(1);
    expect(count('SELECT COUNT(*) AS n FROM invites')).toBe(0);
  });

  it('answers many concurrent case views, each with its own audit entry, without a 500', async () => {
    await fileReport(t.api, 'read by many at once');
    const alice = await t.signIn('alice');
    const [listed] = await listCases(t.api, alice);
    const views = await Promise.allSettled(Array.from({ length: 10 }, () => openCase(t.api, alice, listed!.id)));
    expect(views.filter((v) => v.status === 'rejected').map((v) => String((v as PromiseRejectedResult).reason))).toEqual([]);
    expect(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case_view'")).toBe(10);
  });

  it('lands an audited change and its audit entry together, or neither', async () => {
    const alice = await t.signIn('alice');
    const { token } = await createInvite(t.api, alice, { kind: 'member', role: 'investigator' });
    const entries = () => count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'member_add'");
    // The audit entry is written after the member; make that write fail.
    t.sql(`CREATE TRIGGER planted_failure BEFORE INSERT ON audit_log WHEN NEW.action = 'member_add' BEGIN SELECT RAISE(ABORT, 'planted failure'); END`);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await expect(acceptInvite(t.api, token, 'hana', TEST_PASSWORD, TEST_KDF, TEST_KDF)).rejects.toBeInstanceOf(ApiRequestError);
    } finally {
      t.sql('DROP TRIGGER planted_failure');
      quiet.mockRestore();
    }
    expect(count("SELECT COUNT(*) AS n FROM investigators WHERE username = 'hana'")).toBe(0);
    expect(entries()).toBe(0);
    // The invitation was not spent by the write that failed.
    await acceptInvite(t.api, token, 'hana', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    expect(count("SELECT COUNT(*) AS n FROM investigators WHERE username = 'hana'")).toBe(1);
    expect(entries()).toBe(1);
  });
});

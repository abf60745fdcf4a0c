// An organisation's settings on Node and on workerd + D1: every member reads them, only an
// administrator changes them (audited with the values), values out of bounds or a zone the
// runtime does not know are refused with a 400, and a change of deadlines applies to reports
// received afterwards while the earlier cases keep the due days they arrived with.
import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../web/client/api.js';
import { signIn } from '../../web/client/investigator.js';
import { acceptInvite, confirmTotp, createInvite, organisationSettings, saveOrganisationSettings } from '../../web/client/admin.js';
import { addDays, addMonths } from '../../web/casework/calendar.js';
import { DEFAULT_DEADLINES } from '../../web/casework/deadlines.js';
import { DEFAULT_RETENTION } from '../../web/casework/retention.js';
import { totpCodeAt } from '../../worker/totp.js';
import { fileReport } from '../support/reports.js';
import { API_TARGETS, useTarget, type ApiTarget } from '../support/targets.js';
import { TEST_KDF, TEST_PASSWORD } from '../support/test-app.js';

async function refusal(attempt: Promise<unknown>): Promise<string> {
  const error = await attempt.then(() => null, (e: unknown) => e);
  return error instanceof ApiRequestError ? `${error.status} ${error.code}` : `no error: ${String(error)}`;
}

const CHANGED = { ackDays: 5, feedbackMonths: 2, keepClosedDays: 180, keepInactiveDays: 3 * 365, timeZone: 'Europe/Warsaw' };

describe.each(API_TARGETS)('organisation settings on $name', (target) => {
  let t: ApiTarget;
  useTarget(target, (started) => (t = started));

  /** carol, an investigator (not an administrator) of alice's organisation. */
  async function investigator(admin: Awaited<ReturnType<ApiTarget['signIn']>>) {
    const { token } = await createInvite(t.api, admin, { kind: 'member', role: 'investigator' });
    const account = await acceptInvite(t.api, token, 'carol', TEST_PASSWORD, TEST_KDF, TEST_KDF);
    await confirmTotp(t.api, 'carol', account.authKey, totpCodeAt(account.totp.secret, t.now()));
    // The next time step: a code is good once.
    return signIn(t.api, { username: 'carol', password: TEST_PASSWORD, totp: totpCodeAt(account.totp.secret, t.now() + 30_000) }, TEST_KDF);
  }

  it('starts at the defaults; an administrator changes them, audited with the values; every member reads them', async () => {
    const admin = await t.signIn('alice');
    expect(await organisationSettings(t.api, admin)).toEqual({ ...DEFAULT_DEADLINES, ...DEFAULT_RETENTION, timeZone: 'Europe/London' });
    expect(await saveOrganisationSettings(t.api, admin, CHANGED)).toEqual(CHANGED);
    const carol = await investigator(admin);
    expect(await organisationSettings(t.api, carol)).toEqual(CHANGED);
    const entries = t.sql<{ actor_id: string; subject: string; detail: string }>("SELECT actor_id, subject, detail FROM audit_log WHERE action = 'organisation_settings'");
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor_id).toBe(admin.memberId);
    expect(entries[0]!.subject).toBe(admin.organisation.id);
    expect(JSON.parse(entries[0]!.detail)).toEqual(CHANGED);
  });

  it('lets only an administrator change them', async () => {
    const admin = await t.signIn('alice');
    const carol = await investigator(admin);
    expect(await refusal(saveOrganisationSettings(t.api, carol, CHANGED))).toBe('403 forbidden');
    expect(await organisationSettings(t.api, admin)).toMatchObject({ ackDays: DEFAULT_DEADLINES.ackDays });
    expect(t.sql("SELECT 1 FROM audit_log WHERE action = 'organisation_settings'")).toEqual([]);
    const anonymous = await t.request('/api/investigator/organisation/settings');
    expect(anonymous.status).toBe(401);
  });

  it('refuses values out of bounds, a closed-case period past the ceiling and an unknown time zone, changing nothing', async () => {
    const admin = await t.signIn('alice');
    const bad = [
      { ...CHANGED, ackDays: 0 },
      { ...CHANGED, ackDays: 91 },
      { ...CHANGED, feedbackMonths: 13 },
      { ...CHANGED, keepClosedDays: 29 },
      { ...CHANGED, keepInactiveDays: 364 },
      { ...CHANGED, keepInactiveDays: 20 * 365 + 1 },
      { ...CHANGED, keepClosedDays: 2 * 365, keepInactiveDays: 365 },
      { ...CHANGED, ackDays: 7.5 },
      { ...CHANGED, timeZone: 'Mars/Olympus_Mons' },
      { ...CHANGED, timeZone: '' },
    ];
    for (const settings of bad) expect(await refusal(saveOrganisationSettings(t.api, admin, settings))).toBe('400 invalid_body');
    expect(await organisationSettings(t.api, admin)).toEqual({ ...DEFAULT_DEADLINES, ...DEFAULT_RETENTION, timeZone: 'Europe/London' });
  });

  it('applies new deadlines to reports received afterwards; earlier cases keep their due days', async () => {
    const before = await fileReport(t.api, 'before the change');
    const admin = await t.signIn('alice');
    await saveOrganisationSettings(t.api, admin, CHANGED);
    const after = await fileReport(t.api, 'after the change');
    const due = (caseId: string) => t.sql<{ ack_due_day: string; feedback_due_day: string; received_day: string }>('SELECT ack_due_day, feedback_due_day, received_day FROM cases WHERE id = ?', caseId)[0]!;
    const old = due(before.submission.caseId);
    expect(old.ack_due_day).toBe(addDays(old.received_day, DEFAULT_DEADLINES.ackDays));
    expect(old.feedback_due_day).toBe(addMonths(old.received_day, DEFAULT_DEADLINES.feedbackMonths));
    const fresh = due(after.submission.caseId);
    expect(fresh.ack_due_day).toBe(addDays(fresh.received_day, CHANGED.ackDays));
    expect(fresh.feedback_due_day).toBe(addMonths(fresh.received_day, CHANGED.feedbackMonths));
  });
});

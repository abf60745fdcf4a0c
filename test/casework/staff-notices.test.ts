// Staff notices sent through a real SMTP server on 127.0.0.1 (test/support/smtp-sink.ts) by the
// real SMTP mailer: one notice per run with news, none without; no reference, no report words;
// "a deadline is near" once a day; nothing for members without an address or removed.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { openMailbox, replyFromMailbox } from '../../web/client/reporter.js';
import { listCases, openCase, setCaseStatus } from '../../web/client/investigator.js';
import { runAtomically } from '../../db/atomic.js';
import { setNoticeAddressSteps } from '../../db/repo/notices.js';
import { sendStaffNotices } from '../../worker/notices.js';
import { smtpMailer } from '../../worker/mailer-smtp.js';
import { addOrganisation, makeTestApp, signInAs, type TestApp } from '../support/test-app.js';
import { fileReport } from '../support/reports.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { runToExit } from '../support/server-process.js';
import { noticeAddress, setNoticeAddress } from '../../web/client/notices.js';

const MARKER = 'QUINCEMARMALADE officer took the envelope';
const CONSOLE_URL = 'https://parley.example/console';

let t: TestApp;
let sink: SmtpSink;
let mailer: ReturnType<typeof smtpMailer>;
let alice: Awaited<ReturnType<typeof addOrganisation>>;

beforeAll(sodiumReady);
beforeEach(async () => {
  sink = await startSmtpSink();
  mailer = smtpMailer(sink.url, 'Parley <notices@parley.example>');
  t = makeTestApp();
  alice = await addOrganisation(t, 'Anti-Corruption Unit', 'alice');
});
afterEach(async () => {
  mailer.close();
  t.close();
  await sink.close();
});

const setAddress = (memberId: string, email: string | null) => runAtomically(t.database.db, setNoticeAddressSteps(t.database.db, memberId, email));
const run = () => sendStaffNotices({ db: t.database.db, notices: { mailer, consoleUrl: CONSOLE_URL } }, t.clock.now);
const day = (iso: string) => Date.parse(`${iso}T09:00:00Z`);

describe('staff notices by e-mail', () => {
  it('tell a member of new activity once per activity, with no reference and no report words', async () => {
    await setAddress(alice.memberId, 'alice@unit.example');
    const other = await addOrganisation(t, 'Other Unit', 'olga');
    await setAddress(other.memberId, 'olga@other.example');
    const { keys, receipt } = await fileReport(t.api, MARKER);

    expect(await run()).toBe(1);
    expect(sink.received).toHaveLength(1);
    const [mail] = sink.received;
    expect(mail!.to).toEqual(['alice@unit.example']);
    expect(mail!.from).toBe('notices@parley.example');
    expect(mail!.raw).toMatch(/^Subject: Parley: new activity\r?$/m);
    expect(mail!.raw).toContain('There is new activity from reporters in Parley.');
    expect(mail!.raw).toContain(CONSOLE_URL);
    const caseId = (t.database.sqlite.prepare('SELECT id FROM cases').get() as { id: string }).id;
    for (const secret of [receipt.reference, caseId, 'QUINCEMARMALADE', 'envelope', 'officer']) expect(mail!.raw).not.toContain(secret);

    // Nothing new: nothing sent.
    expect(await run()).toBe(0);
    // The reporter answers later that day: told in the next day's notice, not as it happens, so the
    // notice's time says nothing finer than the day.
    await replyFromMailbox(t.api, keys, await openMailbox(t.api, keys), `${MARKER} again`);
    expect(await run()).toBe(0);
    t.clock.now += 24 * 60 * 60 * 1000;
    expect(await run()).toBe(1);
    expect(await run()).toBe(0);
    expect(sink.received.map((m) => m.to[0])).toEqual(['alice@unit.example', 'alice@unit.example']);
    for (const m of sink.received) expect(m.raw).not.toContain('QUINCEMARMALADE');
  });

  it('go once a day from 07:00 in the unit’s time zone, whenever the reporter wrote', async () => {
    await setAddress(alice.memberId, 'alice@unit.example');
    // 06:30 in London on 3 December (GMT): before the hour, nothing goes.
    t.clock.now = Date.UTC(2026, 11, 3, 6, 30);
    await fileReport(t.api, MARKER);
    expect(await run()).toBe(0);
    t.clock.now = Date.UTC(2026, 11, 3, 7, 0);
    expect(await run()).toBe(1);
    // In summer time 07:00 in London is 06:00 UTC: the hour is the unit's.
    t.database.sqlite.prepare("UPDATE staff_notices SET notice_day = NULL").run();
    await fileReport(t.api, MARKER);
    t.clock.now = Date.UTC(2027, 5, 10, 5, 59);
    expect(await run()).toBe(0);
    t.clock.now = Date.UTC(2027, 5, 10, 6, 0);
    expect(await run()).toBe(1);
    expect(sink.received).toHaveLength(2);
  });

  it('go only to current members with an address, and tell a new address only of what comes after', async () => {
    await fileReport(t.api, MARKER);
    expect(await run()).toBe(0); // nobody has an address
    await setAddress(alice.memberId, 'alice@unit.example');
    expect(await run()).toBe(0); // the report came before the address
    await fileReport(t.api, MARKER);
    t.database.sqlite.prepare('UPDATE investigators SET removed_at = 1 WHERE id = ?').run(alice.memberId);
    expect(await run()).toBe(0);
    t.database.sqlite.prepare('UPDATE investigators SET removed_at = NULL WHERE id = ?').run(alice.memberId);
    await setAddress(alice.memberId, null);
    expect(await run()).toBe(0);
    expect(sink.received).toHaveLength(0);
  });

  it('say a deadline is near once a day, from two days before it until the case is settled', async () => {
    // Received on 22 November: acknowledgement due on 29 November.
    await fileReport(t.api, MARKER);
    await setAddress(alice.memberId, 'alice@unit.example');
    t.clock.now = day('2026-11-26');
    expect(await run()).toBe(0);
    t.clock.now = day('2026-11-27');
    expect(await run()).toBe(1);
    expect(sink.received[0]!.raw).toMatch(/^Subject: Parley: a deadline is near\r?$/m);
    t.clock.now += 6 * 60 * 60 * 1000;
    expect(await run()).toBe(0);
    t.clock.now = day('2026-12-02'); // overdue: still told, once that day
    expect(await run()).toBe(1);
    expect(await run()).toBe(0);

    const session = await signInAs(t, 'alice', alice.totpSecret);
    const [summary] = await listCases(t.api, session);
    await setCaseStatus(t.api, session, await openCase(t.api, session, summary!.id), 'closed');
    t.clock.now = day('2026-12-03');
    expect(await run()).toBe(0);
    expect(sink.received).toHaveLength(2);
  });

  it('are tried again on the next run when the mail server refused them', async () => {
    await setAddress(alice.memberId, 'alice@unit.example');
    await fileReport(t.api, MARKER);
    const closedPort = smtpMailer('smtp://127.0.0.1:1', 'notices@parley.example');
    expect(await sendStaffNotices({ db: t.database.db, notices: { mailer: closedPort } }, t.clock.now)).toBe(0);
    closedPort.close();
    expect(await run()).toBe(1);
    expect(sink.received).toHaveLength(1);
  });

  it('are off without a mailer', async () => {
    await setAddress(alice.memberId, 'alice@unit.example');
    await fileReport(t.api, MARKER);
    expect(await sendStaffNotices({ db: t.database.db }, t.clock.now)).toBe(0);
  });
});

describe('a member’s notice address', () => {
  it('is set, read back and cleared by the member, audited without the address; a header in it is refused', async () => {
    const session = await signInAs(t, 'alice', alice.totpSecret);
    expect(await noticeAddress(t.api, session)).toBeNull();
    await expect(setNoticeAddress(t.api, session, 'alice@unit.example\r\nBcc: someone@else.example')).rejects.toMatchObject({ status: 400, code: 'invalid_body' });
    await expect(setNoticeAddress(t.api, session, 'not an address')).rejects.toMatchObject({ status: 400, code: 'invalid_body' });
    expect(await setNoticeAddress(t.api, session, 'alice@unit.example')).toBe('alice@unit.example');
    expect(await noticeAddress(t.api, session)).toBe('alice@unit.example');
    await fileReport(t.api, MARKER);
    expect(await run()).toBe(1);
    expect(await setNoticeAddress(t.api, session, null)).toBeNull();
    await fileReport(t.api, MARKER);
    expect(await run()).toBe(0);
    const entries = t.database.sqlite.prepare("SELECT subject, detail FROM audit_log WHERE action = 'notice_settings' ORDER BY seq").all();
    expect(entries).toEqual([{ subject: alice.memberId, detail: JSON.stringify({ notices: 'on' }) }, { subject: alice.memberId, detail: JSON.stringify({ notices: 'off' }) }]);
    expect(JSON.stringify(t.database.sqlite.prepare('SELECT * FROM audit_log').all())).not.toContain('unit.example');
  });
});

describe('the SMTP settings', () => {
  const doctorSays = async (env: Record<string, string>) => (await runToExit('scripts/doctor.ts', t.dbPath, env)).output.split('\n').find((line) => line.includes('staff notices:')) ?? '';

  it('are checked by npm run doctor: off, on with a server that answers, or a problem named', async () => {
    expect(await doctorSays({})).toMatch(/^ok +staff notices: off: .*PARLEY_SMTP_URL and PARLEY_NOTICE_FROM/);
    const port = new URL(sink.url).port;
    expect(await doctorSays({ PARLEY_SMTP_URL: `smtp://notices:secret-word@127.0.0.1:${port}`, PARLEY_NOTICE_FROM: 'notices@parley.example', PARLEY_CONSOLE_URL: CONSOLE_URL })).toMatch(/^ok +staff notices: on: the SMTP server 127\.0\.0\.1:\d+ accepts a connection$/);
    const refused = await doctorSays({ PARLEY_SMTP_URL: 'smtp://notices:secret-word@127.0.0.1:1', PARLEY_NOTICE_FROM: 'notices@parley.example' });
    expect(refused).toMatch(/^PROBLEM +staff notices: the SMTP server 127\.0\.0\.1:1 did not accept a connection/);
    expect(refused).not.toContain('secret-word');
    expect(await doctorSays({ PARLEY_SMTP_URL: sink.url })).toMatch(/^PROBLEM +staff notices: .*need both PARLEY_SMTP_URL and PARLEY_NOTICE_FROM/);
    expect(sink.received).toHaveLength(0);
  }, 60_000);

  it('stop the server starting when only half of them is given, naming the other', async () => {
    const run = await runToExit('worker/entry-node.ts', t.dbPath, { PARLEY_NOTICE_FROM: 'notices@parley.example' });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('PARLEY_SMTP_URL');
  }, 60_000);
});

// Staff notices on Workers, in workerd (wrangler's local mode) over local D1: the cron's work
// builds the raw message and hands it to the NOTICES send_email binding, which accepts it (a
// notice is recorded only after the binding's send resolved), once per activity. The raw
// message itself is checked in Node (worker/mail-message.ts): fixed headers, CRLF, no reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { rfc5322Message } from '../../worker/mail-message.js';
import { NOTICE_HOUR, noticeMessage } from '../../worker/notices.js';
import { hourIn } from '../../web/casework/calendar.js';
import { startWorkerdTarget, type ApiTarget } from '../support/targets.js';
import type { WorkerdServer } from '../../scripts/lib/workerd.js';
import { fileReport } from '../support/reports.js';

describe('the raw message for the send_email binding', () => {
  it('has fixed headers, CRLF lines, and nothing but the notice’s words', () => {
    const raw = rfc5322Message('Parley <notices@unit.example>', noticeMessage('alice@unit.example', { activity: true, deadline: false }, 'https://parley.example/console'), Date.UTC(2026, 11, 3, 9, 5), (n) => new Uint8Array(n).fill(7));
    const split = raw.indexOf('\r\n\r\n');
    const [head, body] = [raw.slice(0, split), raw.slice(split + 4)];
    expect(head.split('\r\n')).toEqual([
      'From: Parley <notices@unit.example>',
      'To: alice@unit.example',
      'Subject: Parley: new activity',
      'Date: Thu, 03 Dec 2026 09:05:00 +0000',
      'Message-ID: <BwcHBwcHBwcHBwcHBwcHBw@unit.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
    ]);
    expect(body).toContain('There is new activity from reporters in Parley.\r\n');
    expect(body).toContain('https://parley.example/console\r\n');
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });
});

describe('staff notices in workerd', () => {
  let t: ApiTarget & { server: WorkerdServer };
  beforeAll(async () => {
    await sodiumReady();
    t = await startWorkerdTarget({ testScheduled: true, vars: { PARLEY_NOTICE_FROM: 'Parley <notices@unit.example>', PARLEY_CONSOLE_URL: 'https://parley.example/console' } });
    await t.addOrganisation('Anti-Corruption Unit', 'alice');
  }, 240_000);
  afterAll(() => t?.close());

  const told = () => t.sql<{ activity_seen: number }>('SELECT activity_seen FROM staff_notices')[0]?.activity_seen;

  /**
   * The cron's own time cannot be set in wrangler's dev server, so the test picks a unit time zone
   * where the real hour now is well inside (or well before) the notice window.
   */
  const zoneWithHour = (ok: (hour: number) => boolean) => {
    const zone = ['UTC', 'Asia/Tokyo', 'America/New_York', 'Asia/Kolkata', 'America/Los_Angeles', 'Europe/Moscow', 'Pacific/Kiritimati', 'Asia/Kathmandu']
      .find((z) => ok(hourIn(Date.now(), z)));
    if (!zone) throw new Error('no time zone with that hour now');
    return zone;
  };

  it('hands each day’s notice to the binding once, from the unit’s notice hour on', async () => {
    t.sql("UPDATE investigators SET notice_email = 'alice@unit.example' WHERE username = 'alice'");
    t.sql("INSERT INTO staff_notices (member_id, activity_seen) SELECT id, 0 FROM investigators WHERE username = 'alice'");
    await fileReport(t.api, 'QUINCEMARMALADE');
    expect(told()).toBe(0);
    // Before the hour in the unit's zone: nothing goes.
    t.sql(`UPDATE organisations SET time_zone = '${zoneWithHour((h) => h < NOTICE_HOUR - 1)}'`);
    expect(await t.server.runScheduled()).toMatchObject({ status: 200 });
    expect(told()).toBe(0);
    t.sql(`UPDATE organisations SET time_zone = '${zoneWithHour((h) => h > NOTICE_HOUR && h < 22)}'`);
    expect(await t.server.runScheduled()).toMatchObject({ status: 200 });
    expect(told()).toBe(1);
    // A report later that day waits for the next day's notice.
    await fileReport(t.api, 'QUINCEMARMALADE');
    expect(await t.server.runScheduled()).toMatchObject({ status: 200 });
    expect(told()).toBe(1);
    t.sql("UPDATE staff_notices SET notice_day = '2000-01-01'");
    expect(await t.server.runScheduled()).toMatchObject({ status: 200 });
    expect(told()).toBe(2);
  });
});

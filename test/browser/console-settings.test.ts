// The organisation's settings and the deletion warnings in the console, in real Chromium against a
// real server: an administrator opens Settings from the case list, changes deadlines, retention
// and time zone by their labels, is told in words when a value is refused, and the server holds
// the new values; a case due for deletion within 30 days is flagged in the list and its day shown
// on the case. Accessible (axe) and usable at 360 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { sodiumReady } from '../../web/protocol/index.js';
import { addDays } from '../../web/casework/calendar.js';
import { browserAvailable, screenshot, seriousAxeViolations, startBrowserHarness, type BrowserHarness } from './harness.js';
import { heading, instanceConfig, overflowsHorizontally, seedReport, signInThroughPage, waitForHeading, type SeededReport } from './console-helpers.js';

/** A day as the English console writes it ("18 Dec 2026", its catalogue's date.day). */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
const formatDay = (day: string) => `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;

describe.skipIf(!browserAvailable)('console settings and deletion warnings', () => {
  let harness: BrowserHarness;
  let closing: SeededReport;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    await sodiumReady();
    harness = await startBrowserHarness(['Anti-Corruption Unit']);
    const seeded = await instanceConfig(harness.server.url);
    closing = await seedReport(seeded.api, seeded.config, { kind: 'report', category: 'other', whatHappened: 'Closed a while ago.' });
    await seedReport(seeded.api, seeded.config, { kind: 'report', category: 'other', whatHappened: 'Still open.' });
    // Closed 350 days ago with a year's retention: deleted in 15 days.
    const db = new Database(harness.dbPath);
    try {
      db.prepare("UPDATE cases SET status = 'closed', closed_day = ?, last_reporter_day = ?, updated_at = ? WHERE id = ?")
        .run(addDays(today, -350), addDays(today, -350), Date.parse(`${addDays(today, -350)}T00:00:00Z`), closing.caseId);
    } finally {
      db.close();
    }
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('warns of a deletion within 30 days, and an administrator changes the settings by their labels', async () => {
    const { page } = await harness.newPage();
    await signInThroughPage(page, harness);
    await waitForHeading(page, 'Cases');
    const day = formatDay(addDays(today, 15));
    await expect.poll(() => page.getByText('1 of the cases shown will be deleted within 30 days.').count()).toBe(1);
    expect(await page.getByRole('row').filter({ hasText: `To be deleted on ${day}` }).count()).toBe(1);

    await page.getByRole('button', { name: 'Settings' }).click();
    await waitForHeading(page, 'Settings of Anti-Corruption Unit');
    expect(await page.getByText('Changes apply to reports received afterwards').count()).toBe(1);
    expect(await page.getByLabel('Days to acknowledge a report').inputValue()).toBe('7');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'console-settings');
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'console-settings-narrow');

    // A zone the runtime does not know is refused in words; nothing changes.
    await page.getByLabel(/Time zone/).fill('Mars/Olympus_Mons');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('#settings-error').textContent()).toMatch(/time zone such as Europe\/London/);

    await page.getByLabel('Days to acknowledge a report').fill('5');
    await page.getByLabel('Months to give feedback').fill('2');
    await page.getByLabel('Days to keep a closed case').fill('400');
    await page.getByLabel(/Time zone/).fill('Europe/Warsaw');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toBe('Settings saved.');
    const db = new Database(harness.dbPath, { readonly: true });
    try {
      expect(db.prepare('SELECT ack_days, feedback_months, keep_closed_days, keep_inactive_days, time_zone FROM organisations').get())
        .toEqual({ ack_days: 5, feedback_months: 2, keep_closed_days: 400, keep_inactive_days: 2190, time_zone: 'Europe/Warsaw' });
    } finally {
      db.close();
    }

    // With 400 days the case goes in 50: no warning now, and the case shows its new day.
    await page.getByRole('button', { name: 'Back to the cases' }).click();
    await waitForHeading(page, 'Cases');
    expect(await page.getByText(/will be deleted within 30 days/).count()).toBe(0);
    await page.getByRole('row').filter({ hasText: 'Closed a while ago.' }).getByRole('button').click();
    await expect.poll(() => heading(page).textContent()).toMatch(/^Case/);
    const facts = page.locator('.case-facts');
    await expect.poll(() => facts.textContent()).toContain(formatDay(addDays(today, 50)));
  });
});

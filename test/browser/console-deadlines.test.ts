// The console's deadlines (issue 15), by accessible names in Chromium against a real server:
// each case's next deadline and the summary in the list, order by deadline, filters (deadline,
// category on this device, assignee, reference search), the case's deadlines, and a reply
// marked as feedback that meets both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { sodiumReady } from '../../web/protocol/index.js';
import { addDays, dayIn } from '../../web/casework/calendar.js';
import { browserAvailable, seriousAxeViolations, startBrowserHarness, type BrowserHarness } from './harness.js';
import { instanceConfig, overflowsHorizontally, signInThroughPage, waitForHeading } from './console-helpers.js';
import { fileReport } from '../support/reports.js';

describe.skipIf(!browserAvailable)('console deadlines', () => {
  let harness: BrowserHarness;
  const refs = { overdue: '', soon: '', acknowledged: '' };

  beforeAll(async () => {
    await sodiumReady();
    harness = await startBrowserHarness(['Anti-Corruption Unit']);
    const { api, config } = await instanceConfig(harness.server.url);
    refs.overdue = (await fileReport(api, 'Nobody has answered this one.', { config, category: 'bribery' })).receipt.reference;
    refs.soon = (await fileReport(api, 'Due in two days.', { config, category: 'other' })).receipt.reference;
    refs.acknowledged = (await fileReport(api, 'Acknowledged already.', { config, category: 'other' })).receipt.reference;
    // Deadlines planted relative to the unit's day, as if the reports had come earlier.
    const today = dayIn(Date.now(), 'Europe/London');
    const db = new Database(harness.dbPath);
    const set = db.prepare('UPDATE cases SET ack_due_day = ?, ack_day = ?, feedback_due_day = ? WHERE reference = ?');
    set.run(addDays(today, -3), null, addDays(today, 80), refs.overdue);
    set.run(addDays(today, 2), null, addDays(today, 80), refs.soon);
    set.run(addDays(today, -20), addDays(today, -21), addDays(today, 40), refs.acknowledged);
    db.close();
  }, 180_000);

  afterAll(async () => {
    await harness?.close();
  });

  const rows = (page: Page) => page.locator('table.cases tbody tr');
  const references = (page: Page) => rows(page).locator('th').allTextContents();
  const row = (page: Page, reference: string) => rows(page).filter({ hasText: reference });

  it('shows each next deadline and the summary, orders and filters by them, and a feedback reply meets both', async () => {
    const { page } = await harness.newPage();
    await signInThroughPage(page, harness);
    await waitForHeading(page, 'Cases');
    await expect.poll(() => rows(page).count()).toBe(3);
    expect(await page.getByText('1 overdue, 1 due this week').count()).toBe(1);
    expect(await row(page, refs.overdue).textContent()).toContain('Acknowledgement overdue since');
    expect(await row(page, refs.soon).textContent()).toContain('Acknowledge by');
    expect(await row(page, refs.acknowledged).textContent()).toContain('Feedback by');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('combobox', { name: 'Order' }).selectOption({ label: 'Next deadline first' });
    await expect.poll(async () => (await references(page)).map((text) => /[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(text)?.[0])).toEqual([refs.overdue, refs.soon, refs.acknowledged]);

    await page.getByRole('combobox', { name: 'Deadline', exact: true }).selectOption({ label: 'Overdue' });
    await expect.poll(() => references(page)).toEqual([expect.stringContaining(refs.overdue)]);
    await page.getByRole('combobox', { name: 'Deadline', exact: true }).selectOption({ label: 'Due this week' });
    await expect.poll(() => references(page)).toEqual([expect.stringContaining(refs.soon)]);
    await page.getByRole('combobox', { name: 'Deadline', exact: true }).selectOption({ label: 'Any deadline' });
    await expect.poll(() => rows(page).count()).toBe(3);

    // The category is filtered here, over the decrypted rows.
    await page.getByRole('combobox', { name: 'Category' }).selectOption({ value: 'bribery' });
    await expect.poll(() => references(page)).toEqual([expect.stringContaining(refs.overdue)]);
    await page.getByRole('combobox', { name: 'Category' }).selectOption({ label: 'Any category' });

    await page.getByRole('combobox', { name: 'Assigned to' }).selectOption({ label: 'Assigned to me' });
    await expect.poll(() => page.getByText('No cases match these filters.').count()).toBe(1);
    await page.getByRole('combobox', { name: 'Assigned to' }).selectOption({ label: 'Unassigned' });
    await expect.poll(() => rows(page).count()).toBe(3);

    // Found by its reference however it is typed; the keyboard submits the search.
    await page.getByRole('searchbox', { name: 'Find a reference' }).fill(refs.soon.replace('-', '').toLowerCase());
    await page.keyboard.press('Enter');
    await expect.poll(() => references(page)).toEqual([expect.stringContaining(refs.soon)]);
    await page.getByRole('button', { name: 'Show all cases' }).click();
    await expect.poll(() => rows(page).count()).toBe(3);

    // Narrow screens: the controls wrap, nothing scrolls sideways.
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: `Open case ${refs.soon}` }).click();
    await waitForHeading(page, `Case ${refs.soon}`);
    const deadlines = page.getByRole('region', { name: 'Deadlines' });
    expect(await deadlines.textContent()).toMatch(/Acknowledgement\s*Due by/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel('Message to the reporter').fill('Thank you. Here is what we have done so far.');
    await page.getByRole('checkbox', { name: 'This answers the report (feedback)' }).check();
    await page.getByRole('button', { name: 'Send to the reporter' }).click();
    await expect.poll(() => page.getByText('Message sent.').count()).toBeGreaterThan(0);
    await expect.poll(async () => (await page.getByRole('region', { name: 'Deadlines' }).textContent()) ?? '').toMatch(/Acknowledgement\s*Given on .*in time.*Feedback\s*Given on .*in time/s);
  });
});

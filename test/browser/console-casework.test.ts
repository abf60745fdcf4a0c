// Handling cases together in the console (issue 15), in real Chromium against a real server, by
// accessible names: a new case is marked "New message" (in words) with a count; opening it clears
// the marker; the case is assigned to a member and the list says to whom; an internal note is
// added and read back, and never reaches the reporter; the reporter's next message marks the
// case again. Accessible (axe) and usable at 360 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMailbox, replyFromMailbox } from '../../web/client/reporter.js';
import { sodiumReady } from '../../web/protocol/index.js';
import type { ApiClient } from '../../web/client/api.js';
import { browserAvailable, INVESTIGATOR, seriousAxeViolations, startBrowserHarness, type BrowserHarness } from './harness.js';
import { instanceConfig, overflowsHorizontally, seedReport, signInThroughPage, waitForHeading, type SeededReport } from './console-helpers.js';

describe.skipIf(!browserAvailable)('handling cases together in the console', () => {
  let harness: BrowserHarness;
  let api: ApiClient;
  let seeded: SeededReport;

  beforeAll(async () => {
    await sodiumReady();
    harness = await startBrowserHarness(['Anti-Corruption Unit']);
    const instance = await instanceConfig(harness.server.url);
    api = instance.api;
    seeded = await seedReport(api, instance.config, { kind: 'report', category: 'bribery', whatHappened: 'Cash changed hands at the front desk.' });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('marks new messages, assigns the case, keeps an internal note from the reporter', async () => {
    const { page, context } = await harness.newPage();
    await signInThroughPage(page, harness);
    await waitForHeading(page, 'Cases');
    const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: `Open case ${seeded.reference}` }) });
    expect(await row.getByText('New message', { exact: true }).count()).toBe(1);
    expect(await page.getByText('1 case has a new message from the reporter.').count()).toBe(1);
    expect(await row.locator('td[data-label="Assigned to"]').textContent()).toBe('—');

    await page.getByRole('button', { name: `Open case ${seeded.reference}` }).click();
    await waitForHeading(page, `Case ${seeded.reference}`);
    await page.getByLabel('Assigned to').selectOption({ label: INVESTIGATOR.username });
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await expect.poll(() => page.locator('p.notice').textContent(), { timeout: 30_000 }).toBe(`Assigned to ${INVESTIGATOR.username}.`);

    const notes = page.getByRole('region', { name: 'Internal notes' });
    expect(await notes.textContent()).toContain('Only your unit sees these; the reporter never does.');
    expect(await notes.textContent()).toContain('No notes yet.');
    await page.getByRole('button', { name: 'Add note' }).click();
    expect(await page.locator('#note-error').textContent()).toBe('Write the note first.');
    await page.getByLabel('New note').fill('Checked the duty roster: MARKER-NOTE-UI');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => page.locator('p.notice').textContent(), { timeout: 30_000 }).toBe('Note added.');
    expect(await notes.locator('li').count()).toBe(1);
    expect(await notes.locator('li').textContent()).toContain('Checked the duty roster: MARKER-NOTE-UI');
    expect(await notes.locator('li .meta').textContent()).toMatch(new RegExp(`^${INVESTIGATOR.username} · `));
    expect(await page.getByLabel('Assigned to').locator('option:checked').textContent()).toBe(INVESTIGATOR.username);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await overflowsHorizontally(page)).toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });

    // The reporter never sees the note; their answer marks the case as new again.
    const mailbox = await openMailbox(api, seeded.keys);
    expect(mailbox.entries.map((e) => e.document?.kind)).toEqual(['report']);
    await page.getByRole('button', { name: 'Back to cases' }).click();
    await waitForHeading(page, 'Cases');
    expect(await row.getByText('New message', { exact: true }).count()).toBe(0);
    expect(await page.getByText(/has a new message from the reporter/).count()).toBe(0);
    expect(await row.locator('td[data-label="Assigned to"]').textContent()).toBe(INVESTIGATOR.username);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await replyFromMailbox(api, seeded.keys, mailbox, 'Yes, it was the night shift.');
    await page.getByRole('button', { name: 'Refresh list' }).click();
    await expect.poll(() => row.getByText('New message', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await context.close();
  });
});

// The console reaches every case however many arrive (issue 9): a page at a time, newest day
// first, "Show older cases" until the end, and a filter by status — by accessible names, in Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { browserAvailable, startBrowserHarness, type BrowserHarness } from './harness.js';
import { instanceConfig, seedReport, signInThroughPage, waitForHeading } from './console-helpers.js';
import { fileReport } from '../support/reports.js';

const JUNK = 60;

describe.skipIf(!browserAvailable)('console paging', () => {
  let harness: BrowserHarness;
  let genuineReference: string;

  beforeAll(async () => {
    await sodiumReady();
    harness = await startBrowserHarness(['Anti-Corruption Unit']);
    const { api, config } = await instanceConfig(harness.server.url);
    // The genuine report comes first (as the reporter page sends it); then a flood of junk.
    genuineReference = (await seedReport(api, config, { kind: 'report', category: 'bribery', whatHappened: 'The genuine report.' })).reference;
    // Junk costs its sender little: a cheap key derivation (the fixture's default) is enough to make distinct mailboxes.
    for (let i = 0; i < JUNK; i++) await fileReport(api, `junk ${i}`, { config });
  }, 180_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('shows the newest page, then every older case on request, and filters by status', async () => {
    const { page, context } = await harness.newPage();
    await signInThroughPage(page, harness);
    await waitForHeading(page, 'Cases');
    const rows = page.locator('table.cases tbody tr');
    expect(await rows.count()).toBe(50);
    expect(await page.getByText('50 cases shown; there are older ones.').count()).toBe(1);

    // All arrived today, so within the day the order is by random id: the genuine one may be anywhere.
    await page.getByRole('button', { name: 'Show older cases' }).click();
    await expect.poll(() => rows.count()).toBe(JUNK + 1);
    expect(await page.getByRole('button', { name: 'Show older cases' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: `Open case ${genuineReference}` }).count()).toBe(1);

    await page.getByLabel('Show').selectOption({ label: 'Being investigated' });
    await expect.poll(() => page.locator('.empty').textContent()).toContain('No cases with the status');
    await page.getByLabel('Show').selectOption({ label: 'Received' });
    await expect.poll(() => rows.count()).toBe(50);
    await context.close();
  });
});

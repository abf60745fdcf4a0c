// A member's e-mail notices in the console, in real Chromium against a real server: opened from
// the account area, an address refused in words when it is not one, saved, read back by the
// server, and stopped; by accessible names and the keyboard alone, axe-clean and usable at 360 px.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { browserAvailable, screenshot, seriousAxeViolations, startBrowserHarness, type BrowserHarness } from './harness.js';
import { heading, overflowsHorizontally, signInThroughPage, tabTo, waitForHeading } from './console-helpers.js';

describe.skipIf(!browserAvailable)('console e-mail notices', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    await sodiumReady();
    harness = await startBrowserHarness();
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  const storedAddress = () => {
    const db = new Database(harness.dbPath, { readonly: true });
    try {
      return (db.prepare("SELECT notice_email AS email FROM investigators WHERE username = 'alice'").get() as { email: string | null }).email;
    } finally {
      db.close();
    }
  };

  it('sets and stops the member’s notice address by keyboard, saying what the e-mail will and will not contain', async () => {
    const { page } = await harness.newPage();
    await signInThroughPage(page, harness);
    await waitForHeading(page, /Cases/);

    await tabTo(page, 'button', 'E-mail notices');
    await page.keyboard.press('Enter');
    await waitForHeading(page, 'E-mail notices');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await expect.poll(() => page.getByText('You get no e-mail notices.').isVisible()).toBe(true);
    expect(await page.getByText(/no reference, nothing from a report/).isVisible()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'console-notices');

    const address = page.getByLabel('Notice address');
    await address.fill('not an address');
    await page.getByRole('button', { name: 'Save address' }).click();
    await expect.poll(() => page.locator('#view').getByRole('alert').textContent()).toBe('Enter an e-mail address, like name@unit.example.');
    expect(await address.getAttribute('aria-invalid')).toBe('true');
    expect(storedAddress()).toBeNull();

    await address.fill('alice@unit.example');
    await address.press('Enter');
    await expect.poll(() => page.locator('#view').getByRole('status').textContent()).toBe('Notices will go to alice@unit.example.');
    expect(await page.getByText('Notices go to alice@unit.example.').isVisible()).toBe(true);
    expect(storedAddress()).toBe('alice@unit.example');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 360, height: 800 });
    expect(await overflowsHorizontally(page)).toBe(false);
    await screenshot(page, 'console-notices-narrow');

    await page.getByRole('button', { name: 'Stop e-mail notices' }).click();
    await expect.poll(() => page.locator('#view').getByRole('status').textContent()).toBe('E-mail notices stopped.');
    expect(await page.getByText('You get no e-mail notices.').isVisible()).toBe(true);
    expect(storedAddress()).toBeNull();

    await page.getByRole('button', { name: 'Back to cases' }).click();
    await waitForHeading(page, /Cases/);
    expect(await heading(page).textContent()).toMatch(/Cases/);
  });
});

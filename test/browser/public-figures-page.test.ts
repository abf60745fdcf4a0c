// The public figures page (/figures) in Chromium, on an instance that publishes its figures:
// axe finds nothing serious at 360 px, nothing overflows the page (the tables scroll in their
// own regions), the tables are found by their captions, the quick exit by its accessible name
// (and Shift ×3 leaves, through the quick exit's bundle), and the page leaves nothing stored; the
// same in Welsh, each language linking to the other.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../web/client/api.js';
import { dayOf } from '../../worker/deps.js';
import { addMonths } from '../../web/casework/calendar.js';
import { fileReport } from '../support/reports.js';
import { TEST_CONFIG } from '../support/test-app.js';
import { browserAvailable, originStorage, screenshot, seriousAxeViolations, startBrowserHarness, type BrowserHarness } from './harness.js';
import { NARROW } from './reporter-steps.js';

describe.skipIf(!browserAvailable)('the public figures page', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    // Test KDF and no proof of work, so reports can be filed quickly; public figures on.
    harness = await startBrowserHarness(['Anti-Corruption Unit', 'County Unit'], { config: TEST_CONFIG });
    const api = new ApiClient(harness.server.url);
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await fileReport(api, 'public figures page')).submission.caseId);
    const db = new Database(harness.dbPath);
    // Six this month, then two of them moved to last month: 4 and "fewer than 5" there.
    db.prepare("UPDATE cases SET received_day = ?, status = 'investigating'").run(dayOf(Date.now()));
    db.prepare('UPDATE cases SET received_day = ? WHERE id IN (?, ?)').run(addMonths(dayOf(Date.now()), -1), ids[0], ids[1]);
    db.close();
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('is axe clean at 360 px, fits, names its tables and its quick exit, and stores nothing', async () => {
    const { page, context, requests } = await harness.newPage(NARROW);
    await page.goto(`${harness.server.url}/figures`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Figures for the whole instance');
    await expect(page.getByRole('table', { name: 'Figures per month for Anti-Corruption Unit' }).isVisible()).resolves.toBe(true);
    expect(await page.getByRole('region', { name: 'Figures per month for Anti-Corruption Unit' }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: 'fewer than 5' }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'Quick exit' }).getAttribute('href')).toBe('https://www.bbc.co.uk/weather');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'public-figures');
    expect(await originStorage(context, page)).toEqual({ cookies: 0, local: 0, session: 0, indexedDb: 0 });
    expect(requests.every((r) => r.url().startsWith(harness.server.url))).toBe(true);
    await context.close();
  });

  it('is in Welsh too: axe clean at 360 px, it fits, and each language links to the other by its own name', async () => {
    const { page, context } = await harness.newPage(NARROW);
    await page.goto(`${harness.server.url}/figures`);
    await page.getByRole('link', { name: 'Cymraeg' }).click();
    await page.waitForURL(`${harness.server.url}/cy/figures`);
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ffigurau ar gyfer yr holl wasanaeth');
    await expect(page.getByRole('table', { name: 'Ffigurau fesul mis ar gyfer Anti-Corruption Unit' }).isVisible()).resolves.toBe(true);
    expect(await page.getByRole('link', { name: 'Gadael yn gyflym' }).getAttribute('href')).toBe('https://www.bbc.co.uk/weather');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(`${harness.server.url}/figures`);
    await context.close();
  });

  it('Shift pressed three times leaves it', async () => {
    const { page, context } = await harness.newPage(NARROW);
    await page.goto(`${harness.server.url}/figures`);
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift');
    await page.waitForURL('https://www.bbc.co.uk/weather');
    await context.close();
  });
});

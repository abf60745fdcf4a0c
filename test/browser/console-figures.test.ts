// The console's figures by accessible names, in Chromium: counted on the device from the
// decrypted reports, shown as charts with names and descriptions and as a table; the CSV and
// the printable FOI page carry only suppressed counts; an instance administrator sees the server's
// own counts; axe finds nothing serious; usable at 360 px.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../../web/protocol/index.js';
import { addDays, addMonths, dayIn } from '../../web/casework/calendar.js';
import { browserAvailable, seriousAxeViolations, startBrowserHarness, type BrowserHarness } from './harness.js';
import { instanceConfig, overflowsHorizontally, seedReport, signInThroughPage, waitForHeading } from './console-helpers.js';

/** One CSV line's fields (RFC 4180: a quoted field may hold commas and doubled quotes). */
function csvFields(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'));
}

describe.skipIf(!browserAvailable)('console figures', () => {
  let harness: BrowserHarness;

  beforeAll(async () => {
    await sodiumReady();
    harness = await startBrowserHarness(['Anti-Corruption Unit']);
    const { api, config } = await instanceConfig(harness.server.url);
    // Five of one category (shown as 5 outside the unit) and one of another (shown as "fewer than 5").
    for (let i = 0; i < 5; i++) await seedReport(api, config, { kind: 'report', category: 'bribery', whatHappened: `Bribe ${i}.` });
    await seedReport(api, config, { kind: 'report', category: 'domestic_abuse', whatHappened: 'At home.' });
  }, 240_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('shows charts and a table, downloads a suppressed CSV and prints a suppressed FOI page', async () => {
    const { page, context } = await harness.newPage();
    await signInThroughPage(page, harness);
    await waitForHeading(page, 'Cases');
    await page.getByRole('button', { name: 'Figures' }).click();
    await waitForHeading(page, 'Figures');
    await page.getByLabel('Count by').selectOption({ label: 'Year' });
    await page.getByRole('button', { name: 'Show figures' }).click();

    const categories = page.getByRole('img', { name: /^Reports by category/ });
    await categories.waitFor();
    expect(await categories.getAttribute('aria-labelledby')).toMatch(/title .*desc/);
    expect(await page.locator('svg.bar-chart desc').nth(1).textContent()).toContain('Accepting bribes, or trading police information or influence for money or favours: 5');
    expect(await page.getByRole('img', { name: /^Reports received per period/ }).count()).toBe(1);
    // Inside the unit the table shows exact counts.
    const table = page.getByRole('table', { name: 'Figures per period' });
    expect(await table.getByRole('row', { name: /^Reports received/ }).getByRole('cell').first().textContent()).toBe('6');
    expect(await table.getByRole('row', { name: /^Abusing or controlling/ }).getByRole('cell').first().textContent()).toBe('1');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').split('\r\n');
    const header = csvFields(csv[0]!);
    const row = csvFields(csv[1]!);
    const column = (name: string) => row[header.findIndex((h) => h.startsWith(name))];
    expect(column('Reports received')).toBe('6');
    expect(column('Abusing or controlling')).toBe('fewer than 5');
    expect(column('Median days')).toBe('withheld');
    expect(column('Being investigated')).toBe('0');

    await page.getByRole('button', { name: 'Printable page for an FOI request' }).click();
    await waitForHeading(page, 'Figures held by Anti-Corruption Unit');
    const foi = page.getByRole('table', { name: 'Figures per period (suppressed)' });
    expect(await foi.getByRole('row', { name: /^Abusing or controlling/ }).getByRole('cell').first().textContent()).toBe('fewer than 5');
    expect(await foi.getByRole('row', { name: /^Reports received/ }).getByRole('cell').first().textContent()).toBe('6');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // On paper: the figures, not the console's bar or buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await foi.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: 'Back to figures' }).click();
    await waitForHeading(page, 'Figures');

    // An instance administrator also sees what the server counts without decrypting: no categories.
    await page.getByRole('button', { name: 'Figures for the whole instance' }).click();
    await waitForHeading(page, 'Figures for the whole instance');
    const instance = page.getByRole('table', { name: 'Figures per month for Anti-Corruption Unit' });
    expect(await instance.getByRole('row', { name: /^Reports received/ }).getByRole('cell').first().textContent()).toBe('6');
    expect(await instance.getByRole('row', { name: /^Accepting bribes/ }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it("spans by default the twelve months to the unit's day, not the device's", async () => {
    const { page, context } = await harness.newPage();
    // A device whose clock is days out (or a summer night in the UK, when UTC still has yesterday's date).
    await page.clock.setFixedTime(new Date(Date.now() - 3 * 86_400_000));
    await signInThroughPage(page, harness);
    await waitForHeading(page, 'Cases');
    await page.getByRole('button', { name: 'Figures' }).click();
    await waitForHeading(page, 'Figures');
    const unitDay = dayIn(Date.now(), 'Europe/London');
    expect(await page.getByLabel('Received until').inputValue()).toBe(unitDay);
    expect(await page.getByLabel('Received from').inputValue()).toBe(addDays(addMonths(unitDay, -12), 1));
    await context.close();
  });

  it('is usable at 360 px, the table scrolling on its own by keyboard', async () => {
    const { page, context } = await harness.newPage({ width: 360, height: 740 });
    await signInThroughPage(page, harness);
    await waitForHeading(page, 'Cases');
    await page.getByRole('button', { name: 'Figures' }).click();
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.getByRole('region', { name: 'Figures per period' }).waitFor();
    expect(await overflowsHorizontally(page)).toBe(false);
    expect(await page.getByRole('region', { name: 'Figures per period' }).getAttribute('tabindex')).toBe('0');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});

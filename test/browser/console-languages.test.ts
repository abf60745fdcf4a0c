// The investigator console in Welsh, in real Chromium against a real server: /cy/console is Welsh
// (lang="cy", only the Welsh catalogue inside), every view links to the same console in English
// and back (an invitation link survives the switch), and sign-in, the case list, a case, a reply
// with a status change, errors and signing out are driven by their Welsh accessible names alone. axe finds nothing serious in either
// language, and each view fits 360 px. The Workers build serves /cy/console too.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CONSOLE_CATALOGUES, readCatalogue } from '../../scripts/build-web.js';
import { CONSOLE_CSP } from '../../worker/routes/pages.js';
import { PRODUCTION_KDF, sodiumReady } from '../../web/protocol/index.js';
import { createInvite } from '../../web/client/admin.js';
import { signIn } from '../../web/client/investigator.js';
import { startWorkerdTarget } from '../support/targets.js';
import { browserAvailable, INVESTIGATOR, originStorage, screenshot, seriousAxeViolations, startBrowserHarness, type BrowserHarness } from './harness.js';
import { heading, instanceConfig, overflowsHorizontally, seedReport, waitForHeading, type SeededReport } from './console-helpers.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'web');
const cy = readCatalogue('cy', CONSOLE_CATALOGUES).messages;
const en = readCatalogue('en', CONSOLE_CATALOGUES).messages;
const WELSH_MONTHS = /^\d{1,2} (Ion|Chwef|Maw|Ebr|Mai|Meh|Gorff|Awst|Medi|Hyd|Tach|Rhag) \d{4}$/;

/** The language links in the top bar: [name, lang, href] of each. */
function languageLinks(page: Page): Promise<string[][]> {
  return page.locator('header nav#languages a').evaluateAll((links) => links.map((a) => [a.textContent ?? '', a.getAttribute('lang') ?? '', a.getAttribute('href') ?? '']));
}

describe.skipIf(!browserAvailable)('the console in Welsh and English', () => {
  let harness: BrowserHarness;
  let seeded: SeededReport;

  beforeAll(async () => {
    await sodiumReady();
    harness = await startBrowserHarness(['Anti-Corruption Unit']);
    const { api, config } = await instanceConfig(harness.server.url);
    seeded = await seedReport(api, config, { kind: 'report', category: 'bribery', whatHappened: 'Arian parod mewn amlen wrth y ddesg flaen.' });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  async function expectAccessibleAndNarrow(page: Page, name: string): Promise<void> {
    expect(await seriousAxeViolations(page), name).toEqual([]);
    await screenshot(page, name);
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await overflowsHorizontally(page), `${name} at 360 px`).toBe(false);
    await screenshot(page, `${name}-narrow`);
    await page.setViewportSize(size);
  }

  it('links from /console to /cy/console and back, with lang set, only the page’s own catalogue, and nothing stored for the choice', async () => {
    const { page, context } = await harness.newPage();
    await page.goto(`${harness.server.url}/console`);
    await waitForHeading(page, 'Sign in');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await languageLinks(page)).toEqual([['Cymraeg', 'cy', '/cy/console']]);
    await expectAccessibleAndNarrow(page, 'console-en-sign-in');

    await page.getByRole('link', { name: 'Cymraeg' }).click();
    await waitForHeading(page, cy['signIn.heading']!);
    expect(new URL(page.url()).pathname).toBe('/cy/console');
    expect(await page.locator('html').getAttribute('lang')).toBe('cy');
    expect(await page.title()).toBe(cy['page.title']);
    expect(await page.getByRole('navigation', { name: cy['page.languages'] }).getByRole('link', { name: 'English' }).getAttribute('href')).toBe('/console');
    // The page carries the Welsh words and none of the English ones; the script carries neither.
    const html = await (await fetch(`${harness.server.url}/cy/console`)).text();
    expect(html).toContain(cy['signIn.intro']);
    expect(html).not.toContain(en['signIn.intro']);
    const script = readFileSync(join(DIST, 'console.js'), 'utf8');
    expect(script.includes(cy['signIn.intro']!) || script.includes(en['signIn.intro']!)).toBe(false);
    await expectAccessibleAndNarrow(page, 'console-cy-sign-in');
    expect(await originStorage(context, page)).toEqual({ cookies: 0, local: 0, session: 0, indexedDb: 0 });
    await context.close();
  });

  it('signs in, lists cases, opens one and answers it by Welsh names alone', async () => {
    const { page } = await harness.newPage();
    await page.goto(`${harness.server.url}/cy/console`);
    await waitForHeading(page, 'Mewngofnodi');

    // Errors are Welsh too: a missing field, then a wrong password.
    await page.getByRole('button', { name: 'Mewngofnodi' }).click();
    await expect.poll(() => page.locator('#sign-in-error').textContent()).toBe('Rhowch eich enw defnyddiwr, eich cyfrinair a’r cod chwe digid o’ch ap dilysu.');
    await page.getByLabel('Enw defnyddiwr').fill(INVESTIGATOR.username);
    await page.getByLabel('Cyfrinair', { exact: true }).fill('not the password at all');
    await page.getByLabel('Cod o’ch ap dilysu').fill(harness.totpCode());
    await page.getByRole('button', { name: 'Mewngofnodi' }).click();
    await expect.poll(() => page.locator('#sign-in-error').textContent(), { timeout: 30_000 }).toBe('Mae’r enw defnyddiwr, y cyfrinair neu’r cod yn anghywir.');

    await page.getByLabel('Cyfrinair', { exact: true }).fill(INVESTIGATOR.password);
    // The code refused with the wrong password was not spent, so the one showing now still works.
    await page.getByLabel('Cod o’ch ap dilysu').fill(harness.totpCode());
    await page.getByRole('button', { name: 'Mewngofnodi' }).click();
    await waitForHeading(page, 'Achosion');
    expect(await languageLinks(page)).toEqual([['English', 'en', '/console']]);
    await expect.poll(() => page.getByRole('table').locator('caption').textContent()).toBe('Adroddiadau i Anti-Corruption Unit, y diweddaraf yn gyntaf');
    const columns = await page.getByRole('columnheader').allTextContents();
    expect(columns).toEqual(['Cyfeirnod', 'Statws', 'Terfyn amser nesaf', 'Wedi’i neilltuo i', 'Categori', 'Wedi dod i law', 'Gweithgarwch diwethaf yr adroddwr', 'Beth ddigwyddodd']);
    const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: `Agor achos ${seeded.reference}` }) });
    expect(await row.locator('.status').textContent()).toBe('Wedi dod i law');
    expect(await row.locator('time').first().textContent()).toMatch(WELSH_MONTHS);
    // Cells after the reference: status, next deadline, assignee, category.
    expect(await row.getByRole('cell').nth(3).textContent()).toBe(cy['category.bribery']);
    expect(await page.getByText('Un achos.').count()).toBe(1);
    await expectAccessibleAndNarrow(page, 'console-cy-list');

    // Filtering by a Welsh status name.
    await page.getByLabel('Dangos').selectOption({ label: 'Yn destun ymchwiliad' });
    await expect.poll(() => page.locator('.empty').textContent()).toBe('Dim achosion â’r statws “Yn destun ymchwiliad”.');
    await page.getByLabel('Dangos').selectOption({ label: 'Pob statws' });

    await page.getByRole('button', { name: `Agor achos ${seeded.reference}` }).click();
    await waitForHeading(page, `Achos ${seeded.reference}`);
    expect(await page.getByRole('heading', { name: 'Adroddiad', level: 2 }).count()).toBe(1);
    expect(await page.locator('dl.report dd').first().textContent()).toBe(cy['category.bribery']);
    expect(await languageLinks(page)).toEqual([['English', 'en', '/console']]);

    // An empty reply is refused in Welsh; then a reply with a status change.
    await page.getByRole('button', { name: 'Anfon at yr adroddwr' }).click();
    await expect.poll(() => page.locator('#reply-error').textContent()).toBe('Ysgrifennwch neges yn gyntaf.');
    await page.getByLabel('Neges i’r adroddwr').fill('Diolch. Rydyn ni’n edrych ar hyn.');
    await page.getByLabel('Statws ar ôl anfon (dewisol)').selectOption({ label: 'Yn cael ei ystyried' });
    await page.getByRole('button', { name: 'Anfon at yr adroddwr' }).click();
    await expect.poll(() => page.locator('p.notice').textContent(), { timeout: 30_000 }).toBe('Neges wedi’i hanfon, a’r statws bellach yw “Yn cael ei ystyried”.');
    expect(await page.locator('.case-facts .status').textContent()).toBe('Yn cael ei ystyried');
    expect(await page.locator('ol.thread li').last().textContent()).toContain('Diolch. Rydyn ni’n edrych ar hyn.');
    await expectAccessibleAndNarrow(page, 'console-cy-case');

    await page.getByRole('button', { name: 'Yn ôl i’r achosion' }).click();
    await waitForHeading(page, 'Achosion');
    await page.getByRole('button', { name: 'Allgofnodi' }).click();
    await waitForHeading(page, 'Mewngofnodi');
    expect(await page.locator('p.notice').textContent()).toBe('Rydych wedi allgofnodi. Cafodd eich allweddi eu tynnu o’r dudalen hon.');
  });

  it('keeps an invitation link when the invitee switches to Welsh, and wipes it from the address there too', async () => {
    const { api } = await instanceConfig(harness.server.url);
    const admin = await signIn(api, { username: INVESTIGATOR.username, password: INVESTIGATOR.password, totp: harness.totpCode() });
    const { token } = await createInvite(api, admin, { kind: 'member', role: 'investigator' });
    const { page } = await harness.newPage();
    await page.goto(`${harness.server.url}/console#invite=${encodeURIComponent(token)}`);
    await waitForHeading(page, 'Join Anti-Corruption Unit');
    expect(new URL(page.url()).hash).toBe('');
    await page.getByRole('link', { name: 'Cymraeg' }).click();
    await waitForHeading(page, 'Ymuno â Anti-Corruption Unit');
    expect(new URL(page.url()).pathname).toBe('/cy/console');
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.getByText('Rydych wedi’ch gwahodd i ymuno â Anti-Corruption Unit fel ymchwilydd.').count()).toBe(1);
    expect(await page.getByLabel('Cyfrinair eto').count()).toBe(1);
    await expectAccessibleAndNarrow(page, 'console-cy-join');
  });

  it('shows the case list in English at /console with English dates, and passes axe there too', async () => {
    const { page } = await harness.newPage();
    await page.goto(`${harness.server.url}/console`);
    await waitForHeading(page, 'Sign in');
    await page.getByLabel('Username').fill(INVESTIGATOR.username);
    await page.getByLabel('Password', { exact: true }).fill(INVESTIGATOR.password);
    await page.getByLabel('Code from your authenticator app').fill(harness.totpCode());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForHeading(page, 'Cases');
    const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: `Open case ${seeded.reference}` }) });
    expect(await row.locator('.status').textContent()).toBe('Being looked at');
    expect(await row.locator('time').first().textContent()).toMatch(/^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept|Oct|Nov|Dec) \d{4}$/);
    expect(await heading(page).textContent()).toBe('Cases');
    await expectAccessibleAndNarrow(page, 'console-en-list');
  });
});

describe('the Workers build serves the console in Welsh', () => {
  it('GET /cy/console from the ASSETS binding, with the console’s CSP; an unoffered language is not found', async () => {
    const target = await startWorkerdTarget({ assetsDir: DIST, kdf: PRODUCTION_KDF });
    try {
      const welsh = await fetch(`${target.baseUrl}/cy/console`);
      expect(welsh.status).toBe(200);
      expect(welsh.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      const html = await welsh.text();
      expect(html).toContain('<html lang="cy" dir="ltr"');
      expect(html).toContain(cy['page.noscript']);
      expect(await (await fetch(`${target.baseUrl}/console`)).text()).toContain('<html lang="en" dir="ltr"');
      expect((await fetch(`${target.baseUrl}/en/console`)).status).toBe(200);
      expect((await fetch(`${target.baseUrl}/pl/console`)).status).toBe(404);
      expect((await fetch(`${target.baseUrl}/cy/console.html`)).status).toBe(404);
    } finally {
      await target.close();
    }
  }, 120_000);
});

// Who runs the service, and the pages around the reporter's: a build with a test operator (its
// name carries a marker) offers every complete catalogue; in each language the reporter page and
// the "Staying safe", privacy and accessibility pages show the operator in a footer, reach each
// other by accessible names, pass axe, fit 360 px, carry the quick exit (a plain link with
// JavaScript off — in Chromium and in Firefox ESR — Shift ×3 with it) and are served with the page
// CSP and no-store, on Node and on workerd. The sent view names the operator.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildWeb, catalogueLanguages, readCatalogue } from '../../scripts/build-web.js';
import { INFO_PAGES, parseOperatorDetails, type OperatorDetailsInput } from '../../scripts/operator-details.js';
import { PAGE_CSP } from '../../worker/routes/pages.js';
import { PRODUCTION_KDF, sodiumReady } from '../../web/protocol/index.js';
import { startWorkerdTarget } from '../support/targets.js';
import { firefoxAvailable, launchFirefox } from './firefox.js';
import { browserAvailable, screenshot, seriousAxeViolations, startBrowserHarness, type BrowserHarness } from './harness.js';
import { makeReport, NARROW, openReporter, wordsFor, type Words } from './reporter-steps.js';

const UNIT = 'Anti-Corruption Unit';
const MARKER = 'Zebrafinch';
const OPERATOR: OperatorDetailsInput = {
  name: { en: `${MARKER} Integrity Trust`, cy: `Ymddiriedolaeth Uniondeb ${MARKER}` },
  email: 'report@zebrafinch.example',
  postalAddress: 'Zebrafinch Integrity Trust, 1 High Street, Cardiff CF10 1AA',
  otherWays: [{ en: 'Phone 0800 000 0000 (Monday to Friday, 9am to 5pm)', cy: 'Ffoniwch 0800 000 0000 (dydd Llun i ddydd Gwener, 9am tan 5pm)' }, 'Crimestoppers: 0800 555 111'],
  privacy: { lawfulBasis: `${MARKER} lawful basis.`, retention: `${MARKER} retention.`, contact: `${MARKER} data protection officer, dpo@zebrafinch.example` },
  accessibility: { compliance: 'partial', nonAccessible: [`${MARKER} known problem.`], responseDays: 5, preparedOn: '2026-11-30', reviewedOn: '2026-12-01', testedOn: '2026-12-01', testedBy: `${MARKER} Trust staff` },
};
const CATALOGUES = join(import.meta.dirname, '..', '..', 'web', 'i18n', 'reporter');
/** Every complete catalogue, English first. */
const LANGUAGES = ['en', ...catalogueLanguages().filter((l) => l !== 'en' && Object.keys(readCatalogue(l).messages).length === Object.keys(readCatalogue('en').messages).length)];
/** Each page's address in a language and the message that names it. */
const PAGES = { 'staying-safe': 'landing.safe.heading', privacy: 'footer.privacy', accessibility: 'footer.accessibility' } as const;

function pageHeading(words: Words, page: keyof typeof PAGES): string {
  return words.m(page === 'staying-safe' ? 'landing.safe.heading' : page === 'privacy' ? 'privacy.heading' : 'a11y.heading');
}

async function fitsNarrow(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** What the footer says: the operator's name, and its links by accessible name. */
async function checkFooter(page: Page, words: Words): Promise<void> {
  const footer = page.getByRole('contentinfo');
  const text = (await footer.textContent()) ?? '';
  expect(text, `${words.language} footer`).toContain(MARKER);
  expect(text).toContain('report@zebrafinch.example');
  expect(text).toContain('Crimestoppers: 0800 555 111');
  expect(text).toContain(words.language === 'cy' ? 'Ffoniwch 0800 000 0000' : 'Phone 0800 000 0000');
  expect(text).toContain(words.m('footer.otherWays'));
  for (const [path, key] of Object.entries(PAGES)) {
    expect(await footer.getByRole('link', { name: words.m(key), exact: true }).getAttribute('href'), `${words.language} ${path}`).toBe(`/${words.language}/${path}`);
  }
}

describe('operator details and the information pages', () => {
  let webDir: string;

  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'parley-web-operator-'));
    await buildWeb(webDir, {}, { languages: LANGUAGES, operator: OPERATOR });
  }, 120_000);

  afterAll(() => {
    rmSync(webDir, { recursive: true, force: true });
  });

  it('the information pages are the three the issue asks for', () => {
    expect([...INFO_PAGES]).toEqual(['staying-safe', 'privacy', 'accessibility']);
  });

  it('no catalogue claims that nothing is saved on the device', () => {
    for (const language of LANGUAGES) {
      const messages = Object.values(readCatalogue(language, CATALOGUES).messages).join('\n');
      expect(messages.includes('nothing is saved on this device'), language).toBe(false);
    }
    expect(readCatalogue('en').messages['landing.never.cookies']).toMatch(/history/);
  });

  it('every page in every language is built, with the operator in its footer and its words in its language', () => {
    for (const language of LANGUAGES) {
      const words = wordsFor(language);
      for (const page of ['index', ...INFO_PAGES]) {
        const html = readFileSync(join(webDir, language, `${page}.html`), 'utf8');
        expect(html, `${language}/${page}`).toContain(`<html lang="${language}" dir="${words.dir}"`);
        expect(html, `${language}/${page}`).toContain(MARKER);
        expect(html).toContain('id="quick-exit" href="https://www.bbc.co.uk/weather"');
      }
      const accessibility = readFileSync(join(webDir, language, 'accessibility.html'), 'utf8');
      expect(accessibility).toContain(`${MARKER} known problem.`);
      expect(accessibility).toContain(`${MARKER} Trust staff`);
      const privacy = readFileSync(join(webDir, language, 'privacy.html'), 'utf8');
      for (const part of ['lawful basis', 'retention', 'data protection officer']) expect(privacy).toContain(`${MARKER} ${part}`);
    }
    // The operator's text in Welsh where they wrote it in Welsh; as written (English, marked so) elsewhere.
    expect(readFileSync(join(webDir, 'cy', 'index.html'), 'utf8')).toContain(`Ymddiriedolaeth Uniondeb ${MARKER}`);
    expect(readFileSync(join(webDir, 'es', 'index.html'), 'utf8')).toContain(`<span lang="en" dir="auto">${MARKER} Integrity Trust</span>`);
  });

  it('the example in docs/OPERATIONS.md is a valid config/operator.json', () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'OPERATIONS.md'), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(text.slice(text.indexOf('## Who runs the service')))?.[1];
    const details = parseOperatorDetails(JSON.parse(example ?? 'null'), 'docs/OPERATIONS.md');
    expect(details.name).toEqual({ en: 'Police Integrity Trust', cy: 'Ymddiriedolaeth Uniondeb yr Heddlu' });
    expect(details.accessibility.compliance).toBe('partial');
  });

  it('a fresh install says plainly that its operator details are placeholders', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'parley-web-fresh-'));
    try {
      await buildWeb(fresh, {}, { languages: ['en'], operatorFile: join(fresh, 'no-such-operator.json') });
      const html = readFileSync(join(fresh, 'en', 'index.html'), 'utf8');
      expect(html).toMatch(/placeholder/i);
      expect(html).toContain('config/operator.json');
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  describe.skipIf(!browserAvailable)('in Chromium', () => {
    let harness: BrowserHarness;

    beforeAll(async () => {
      harness = await startBrowserHarness([UNIT], { webDir });
      await sodiumReady();
    }, 120_000);

    afterAll(async () => {
      await harness?.close();
    });

    for (const language of LANGUAGES) {
      it(`${language}: the reporter page links to each page by name; each has the footer, quick exit, axe clean at 360 px`, async () => {
        const words = wordsFor(language, { path: `/${language}/` });
        const { page, context } = await harness.newPage(NARROW);
        await openReporter(harness, page, words);
        await checkFooter(page, words);
        // The first view explains staying safe (and the quick exit) before it is needed.
        expect(await page.getByRole('main').getByRole('link', { name: words.m('landing.safe.more') }).getAttribute('href')).toBe(`/${language}/staying-safe`);
        for (const [path, key] of Object.entries(PAGES) as [keyof typeof PAGES, string][]) {
          await page.goto(`${harness.server.url}/${language}/`);
          await page.getByRole('contentinfo').getByRole('link', { name: words.m(key), exact: true }).click();
          await page.waitForURL(`${harness.server.url}/${language}/${path}`);
          expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(pageHeading(words, path));
          expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([language, words.dir]);
          expect(await page.getByRole('link', { name: words.m('page.quickExit') }).getAttribute('href')).toBe('https://www.bbc.co.uk/weather');
          await checkFooter(page, words);
          expect(await seriousAxeViolations(page), `axe on ${language}/${path}`).toEqual([]);
          expect(await fitsNarrow(page), `${language}/${path} fits 360 px`).toBe(true);
          await screenshot(page, `info-${path}-${language}`);
          // Back to the reporter page by name.
          expect(await page.getByRole('link', { name: words.m('info.back') }).getAttribute('href')).toBe(`/${language}/`);
        }
        await context.close();
      });
    }

    it('Shift pressed three times leaves an information page, replacing it in history', async () => {
      const { page, context } = await harness.newPage(NARROW);
      await page.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>' }));
      await page.goto(`${harness.server.url}/cy/staying-safe`);
      const before = await page.evaluate(() => history.length);
      for (let i = 0; i < 3; i++) await page.keyboard.press('Shift');
      await page.waitForURL('https://www.bbc.co.uk/weather');
      expect(await page.evaluate(() => history.length)).toBe(before);
      await context.close();
    });

    it('with JavaScript off, every page shows the footer and the exit link leaves', async () => {
      const context = await (await harness.liveBrowser()).newContext({ javaScriptEnabled: false, viewport: NARROW });
      const page = await context.newPage();
      await page.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>' }));
      for (const language of ['cy', 'ar']) {
        const words = wordsFor(language);
        for (const path of ['', ...INFO_PAGES]) {
          await page.goto(`${harness.server.url}/${language}/${path}`);
          await checkFooter(page, words);
          expect(await fitsNarrow(page)).toBe(true);
          if (path === '') await screenshot(page, `reporter-${language}-no-javascript-footer`);
        }
        await page.getByRole('link', { name: words.m('page.quickExit') }).click();
        await page.waitForURL('https://www.bbc.co.uk/weather');
      }
      await context.close();
    });

    it.skipIf(!firefoxAvailable)('Firefox ESR with JavaScript off (Tor Browser "Safest"): every page shows the footer and a plain exit link', async () => {
      const firefox = await launchFirefox({ 'javascript.enabled': false });
      try {
        const page = await firefox.newPage();
        for (const language of ['cy', 'ar']) {
          const words = wordsFor(language);
          for (const path of ['', ...INFO_PAGES]) {
            await page.goto(`${harness.server.url}/${language}/${path}`);
            // Read through the driver's own sandbox: the page's scripts are off.
            const footer = await page.$eval('footer', (f) => f.textContent ?? '');
            expect(footer, `${language}/${path}`).toContain(MARKER);
            expect(footer).toContain(words.m('footer.otherWays'));
            expect(await page.$eval('footer nav', (nav) => [...nav.querySelectorAll('a')].map((a) => a.getAttribute('href')))).toEqual(INFO_PAGES.map((p) => `/${language}/${p}`));
            expect(await page.$eval('#quick-exit', (a) => [a.tagName, a.getAttribute('href'), a.textContent])).toEqual(['A', 'https://www.bbc.co.uk/weather', words.m('page.quickExit')]);
          }
          expect(await page.$eval('h1', (h) => h.textContent)).toBe(words.m('a11y.heading'));
        }
      } finally {
        await firefox.close();
      }
    }, 120_000);

    it('leaving the first view hides the footer’s links (following one would lose the report) but keeps who runs the service', async () => {
      const en = wordsFor('en', { path: '/en/' });
      const { page, context } = await harness.newPage(NARROW);
      await openReporter(harness, page, en);
      await page.getByRole('button', { name: en.m('landing.makeReport') }).click();
      await page.locator('#organisation').waitFor();
      expect(await page.getByRole('contentinfo').getByRole('link', { name: en.m('footer.privacy') }).count()).toBe(0);
      expect(await page.getByRole('contentinfo').textContent()).toContain(MARKER);
      await page.getByRole('button', { name: en.m('form.backToStart') }).click();
      await page.getByRole('contentinfo').getByRole('link', { name: en.m('footer.privacy') }).waitFor();
      await context.close();
    });

    it('the sent view names the operator', async () => {
      const en = wordsFor('en', { path: '/en/' });
      const { page, context } = await harness.newPage(NARROW);
      await openReporter(harness, page, en);
      await makeReport(page, { organisation: UNIT, categoryIndex: 0, whatHappened: 'Named operator.' }, en);
      expect(await page.getByRole('main').textContent()).toContain(`${MARKER} Integrity Trust`);
      await context.close();
    }, 120_000);

    it('pages are served with the page CSP, no-store and no cookie; unknown pages are not found', async () => {
      for (const path of ['/cy/staying-safe', '/en/privacy', '/ar/accessibility']) {
        const response = await fetch(`${harness.server.url}${path}`);
        expect(response.status, path).toBe(200);
        expect(response.headers.get('content-security-policy')).toBe(PAGE_CSP);
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.headers.get('set-cookie')).toBeNull();
      }
      for (const path of ['/cy/index', '/cy/privacy.html', '/xx/privacy', '/cy/Privacy', '/cy/../privacy', '/cy/terms']) {
        expect((await fetch(`${harness.server.url}${path}`)).status, path).toBe(404);
      }
    });
  });

  it('the Workers build serves the information pages from ASSETS with the page CSP and no-store', async () => {
    const target = await startWorkerdTarget({ assetsDir: webDir, kdf: PRODUCTION_KDF });
    try {
      for (const language of ['en', 'cy']) {
        for (const path of INFO_PAGES) {
          const response = await fetch(`${target.baseUrl}/${language}/${path}`);
          expect(response.status, `${language}/${path}`).toBe(200);
          expect(response.headers.get('content-security-policy')).toBe(PAGE_CSP);
          expect(response.headers.get('cache-control')).toBe('no-store');
          const html = await response.text();
          expect(html).toContain(MARKER);
          expect(html).toContain(`<html lang="${language}"`);
        }
      }
      expect((await fetch(`${target.baseUrl}/cy/terms`)).status).toBe(404);
      expect((await fetch(`${target.baseUrl}/cy/index`)).status).toBe(404);
    } finally {
      await target.close();
    }
  }, 120_000);
});

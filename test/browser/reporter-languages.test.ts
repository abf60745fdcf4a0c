// The reporter's page in each offered language, in real Chromium: /cy/ is Welsh (lang="cy"),
// the whole report loop works in Welsh driven by the Welsh words alone, every offered language
// passes axe and is screenshotted at 360 px, only the page's own catalogue reaches the browser.
// A build of its own offers every complete catalogue (offered by default or not) and Arabic (a
// stub of English words under Arabic metadata until it is translated): each passes axe at 360 px
// and is screenshotted (test-output/screenshots/reporter-<language>-*), and each right-to-left
// language (Arabic, Urdu) gets dir="rtl" and a mirrored layout. The Workers build serves the
// language pages too.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildWeb, catalogueLanguages, offeredLanguages, readCatalogue, REPORTER_CATALOGUES } from '../../scripts/build-web.js';
import { PAGE_CSP } from '../../worker/routes/pages.js';
import { PRODUCTION_KDF } from '../../web/protocol/index.js';
import { startWorkerdTarget } from '../support/targets.js';
import { byNameInPlaywright, reporterLoop } from './reporter-loop.js';
import { browserAvailable, screenshot, startBrowserHarness, type BrowserHarness } from './harness.js';
import {
  checkView, EN, EVIDENCE_PHOTO, expectNoTraces, fillReportForm, InvestigatorDesk, makeReport, NARROW, openMailboxWith, openReporter, openWatchedReporter, shownWords, useReporterHarness, WIDE, wordsFor,
} from './reporter-steps.js';

const UNIT = 'Anti-Corruption Unit';
const DIST = join(import.meta.dirname, '..', '..', 'dist', 'web');
const OFFERED = offeredLanguages();

/** The language links on the first view: [name, lang, href] of each. */
async function languageLinks(page: Page): Promise<string[][]> {
  return page.locator('nav#languages a').evaluateAll((links) => links.map((a) => [a.textContent ?? '', a.getAttribute('lang') ?? '', a.getAttribute('href') ?? '']));
}

describe.skipIf(!browserAvailable)('the reporter page in every offered language', () => {
  const setup = useReporterHarness(UNIT);

  it('offers English and Welsh by default (PARLEY_LANGUAGES may name more)', () => {
    expect(offeredLanguages('')).toEqual(['en', 'cy']);
    expect(OFFERED).toEqual(expect.arrayContaining(['en', 'cy']));
  });

  for (const language of OFFERED) {
    it(`${language}: lang and dir set, its own words, links to the others in their own words, axe, 360 px screenshot`, async () => {
      const words = wordsFor(language);
      const { page, context, requests } = await setup.harness.newPage(NARROW);
      await openReporter(setup.harness, page, words);
      expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([language, words.dir]);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(words.m('landing.heading'));
      expect(await page.locator('#quick-exit').textContent()).toBe(words.m('page.quickExit'));
      const others = OFFERED.filter((l) => l !== language);
      expect(await languageLinks(page)).toEqual(others.map((l) => [wordsFor(l).name, l, `/${l}/`]));
      expect(await page.getByRole('navigation', { name: words.m('page.languages') }).count()).toBe(1);
      await checkView(page, 'landing', words);
      await screenshot(page, `reporter-language-${language}`);
      // Only this page's catalogue: nothing fetched but the page, its scripts and styles, and the API.
      const fetched = requests.map((r) => new URL(r.url()).pathname);
      expect(fetched.filter((path) => !/^\/(static\/[a-z-]+\.(js|css)|api\/config)$/.test(path) && path !== words.path)).toEqual([]);
      // Leaving the first view hides the language links (following one would lose what is being written).
      await page.getByRole('button', { name: words.m('landing.makeReport') }).click();
      await page.locator('#organisation').waitFor();
      expect(await page.locator('nav#languages').isVisible()).toBe(false);
      await context.close();
    });
  }

  it('each language page holds its own catalogue and no other; the scripts hold none', () => {
    for (const language of OFFERED) {
      const html = readFileSync(join(DIST, language, 'index.html'), 'utf8');
      for (const other of OFFERED) {
        const heading = readCatalogue(other).messages['landing.heading']!;
        expect(html.includes(heading), `${language} page has ${other}'s words`).toBe(other === language);
      }
    }
    const script = readFileSync(join(DIST, 'reporter.js'), 'utf8');
    for (const language of OFFERED) expect(script.includes(readCatalogue(language).messages['landing.lead']!)).toBe(false);
  });

  it('with JavaScript off, /cy/ says why JavaScript is needed in Welsh, and the quick exit still leaves', async () => {
    const cy = wordsFor('cy');
    const context = await (await setup.harness.liveBrowser()).newContext({ javaScriptEnabled: false, viewport: NARROW });
    const page = await context.newPage();
    await page.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>' }));
    await page.goto(`${setup.harness.server.url}/cy/`);
    expect(await page.title()).toBe(cy.m('page.title'));
    await page.getByRole('heading', { name: cy.m('noscript.heading') }).waitFor();
    expect(await page.locator('main').textContent()).toContain(cy.m('noscript.cannot'));
    await screenshot(page, 'reporter-cy-no-javascript');
    await page.getByRole('link', { name: cy.m('page.quickExit') }).click();
    await page.waitForURL('https://www.bbc.co.uk/weather');
    await context.close();
  });

  it('answers an unoffered or malformed language with not found', async () => {
    for (const path of ['/pl/', '/xx/', '/static/', '/CY/', '/cymraeg/', '/xx', '/api', '/cy/x']) expect((await fetch(`${setup.harness.server.url}${path}`)).status, path).toBe(404);
    // Without the final slash, as people type it: the same page.
    const typed = await fetch(`${setup.harness.server.url}/cy`);
    expect(typed.status).toBe(200);
    expect(await typed.text()).toContain('<html lang="cy" dir="ltr"');
    expect((await fetch(`${setup.harness.server.url}/console`)).status).toBe(200);
    const welsh = await fetch(`${setup.harness.server.url}/cy/`);
    expect(welsh.status).toBe(200);
    expect(welsh.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(welsh.headers.get('set-cookie')).toBeNull();
  });

  it('the whole loop in Welsh, found by the Welsh words: report, passphrase, confirm, sent; come back, read the unit’s question, answer; no traces', async () => {
    const cy = wordsFor('cy');
    const { page, context, requests, consoleLines, title, historyLength } = await openWatchedReporter(setup.harness, cy);
    expect(title).toBe(cy.m('page.title'));
    const { words, reference } = await reporterLoop(byNameInPlaywright(page), cy.m, setup.desk, {
      organisation: cy.m('form.organisation.notSure'), category: 'category.sexual_misconduct',
      whatHappened: 'Mae swyddog yn gwerthu gwybodaeth.', question: 'Pa orsaf?', answer: 'Gorsaf y dref.',
      onView: async (view) => {
        if (view === 'sent') {
          // Names whoever runs the service, as the build wrote it on the page (config/operator.json, or its placeholder).
          const operator = (await page.evaluate(() => document.documentElement.dataset.operator)) ?? '';
          expect(operator).not.toBe('');
          expect(await page.locator('main').textContent()).toContain(cy.m('sent.reference.notPassphrase', { operator }));
        }
        await checkView(page, view, cy);
      },
    });
    expect((await setup.desk.reportFor(reference))?.organisationNotSure).toBe(true);
    const main = page.locator('main');
    expect(await page.locator('.status').textContent()).toBe(cy.m('status.assessing.label'));
    expect(await main.textContent()).toContain(cy.m('status.assessing.explanation'));
    expect(await page.locator('.thread li.from-organisation').textContent()).toContain(cy.m('mailbox.from.unit', { unit: UNIT }));
    expect(await main.textContent()).toContain(cy.m('mailbox.field.notSure'));
    await expectNoTraces(setup.harness, context, page, requests, { words, title, historyLength, console: consoleLines, path: cy.path });

    await page.getByRole('button', { name: cy.m('mailbox.lock') }).click();
    await page.getByRole('button', { name: cy.m('landing.havePassphrase') }).waitFor();
    await context.close();
  });

  it('a report made in Welsh opens from the English page with the same words (they are English everywhere)', async () => {
    const writing = await setup.harness.newPage(WIDE);
    await openReporter(setup.harness, writing.page, wordsFor('cy'));
    const { words } = await makeReport(writing.page, { organisation: UNIT, categoryIndex: 0, whatHappened: 'Adroddiad yn Gymraeg.' }, wordsFor('cy'));
    await writing.context.close();
    const { page, context } = await setup.harness.newPage(NARROW);
    await openReporter(setup.harness, page, EN);
    await openMailboxWith(page, words.join(' '), EN);
    await expect.poll(() => page.locator('main').textContent()).toContain('Adroddiad yn Gymraeg.');
    await context.close();
  });
});

describe.skipIf(!browserAvailable)('every complete catalogue, offered in a build of its own, and right to left', () => {
  let harness: BrowserHarness;
  let webDir: string;
  let catalogueDir: string;
  /** Every catalogue that has every message (offerable), whether or not offered by default. */
  const complete = catalogueLanguages().filter((language) => Object.keys(readCatalogue(language).messages).length === Object.keys(readCatalogue('en').messages).length);
  /** Arabic is right to left: a stub (the English words under Arabic metadata) stands in until it is translated. */
  const arabicIsStub = !complete.includes('ar');
  const languages = ['en', ...complete.filter((l) => l !== 'en' && l !== 'ar'), 'ar'];

  beforeAll(async () => {
    catalogueDir = mkdtempSync(join(tmpdir(), 'parley-catalogues-'));
    cpSync(REPORTER_CATALOGUES, catalogueDir, { recursive: true });
    if (arabicIsStub) writeFileSync(join(catalogueDir, 'ar.json'), JSON.stringify({ meta: readCatalogue('ar').meta, messages: readCatalogue('en').messages }));
    webDir = mkdtempSync(join(tmpdir(), 'parley-web-languages-'));
    await buildWeb(webDir, {}, { languages, catalogueDir });
    harness = await startBrowserHarness([UNIT], { webDir });
  }, 180_000);

  afterAll(async () => {
    await harness?.close();
    rmSync(webDir, { recursive: true, force: true });
    rmSync(catalogueDir, { recursive: true, force: true });
  });

  it('covers English and Welsh at least', () => {
    expect(complete).toEqual(expect.arrayContaining(['en', 'cy']));
  });

  for (const language of languages) {
    it(`${language}: first view and passphrase view pass axe, fit 360 px and are screenshotted, in ${language}`, async () => {
      const words = wordsFor(language, { catalogueDir });
      const { page, context } = await harness.newPage(NARROW);
      await openReporter(harness, page, words);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(words.m('landing.heading'));
      expect(await languageLinks(page)).toEqual(languages.filter((l) => l !== language).map((l) => [wordsFor(l, { catalogueDir }).name, l, `/${l}/`]));
      await checkView(page, 'landing', words);
      await fillReportForm(page, { organisation: UNIT, categoryIndex: 0, whatHappened: 'x' }, words);
      await shownWords(page);
      await checkView(page, 'passphrase', words);
      await context.close();
    });
  }

  it('the whole loop in Arabic, right to left, found by the Arabic words: report, passphrase, confirm, sent; come back, read the unit’s question, answer', async () => {
    const ar = wordsFor('ar', { catalogueDir });
    const { page, context } = await harness.newPage(NARROW);
    await openReporter(harness, page, ar);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await reporterLoop(byNameInPlaywright(page), ar.m, new InvestigatorDesk(harness), {
      organisation: UNIT, category: 'category.bribery',
      whatHappened: 'ضابط يبيع معلومات الشرطة.', question: 'أي مركز شرطة؟', answer: 'مركز المدينة.',
      // With a photo: what was removed and the file's progress, right to left, pass axe at 360 px too.
      photo: EVIDENCE_PHOTO,
      onView: (view) => checkView(page, `loop-${view}`, ar),
    });
    await context.close();
  });

  /** Right to left: Arabic always (a stub if need be), Urdu once its catalogue is complete. */
  const rightToLeft = languages.filter((language) => readCatalogue(language).meta.dir === 'rtl');

  it('has right-to-left languages to check: Arabic, and Urdu once complete', () => {
    expect(rightToLeft).toEqual(complete.includes('ur') ? ['ur', 'ar'] : ['ar']);
  });

  for (const language of rightToLeft) {
    it(`${language}: dir="rtl", the layout mirrored through logical properties, the passphrase still left to right`, async () => {
      const words = wordsFor(language, { catalogueDir });
      const { page, context } = await harness.newPage(NARROW);
      await openReporter(harness, page, words);
      expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([language, 'rtl']);
      // A list's indent is at its start: the right, in a right-to-left page.
      const padding = await page.locator('.card ul').first().evaluate((ul) => [getComputedStyle(ul).paddingRight, getComputedStyle(ul).paddingLeft]);
      expect(padding).toEqual(['20px', '0px']);
      await fillReportForm(page, { organisation: UNIT, categoryIndex: 0, whatHappened: 'RTL' }, words);
      await shownWords(page);
      expect(await page.locator('ol.passphrase').evaluate((ol) => getComputedStyle(ol).direction)).toBe('ltr');
      await context.close();

      // Other pages name the language in itself, right to left.
      const english = await harness.newPage(NARROW);
      await openReporter(harness, english.page, EN);
      expect(await english.page.locator(`nav#languages a[lang="${language}"]`).getAttribute('dir')).toBe('rtl');
      expect(await english.page.locator(`nav#languages a[lang="${language}"]`).textContent()).toBe(words.name);
      await english.context.close();
    });
  }
});

describe('the Workers build serves the language pages', () => {
  it('GET /cy/ from the ASSETS binding, with the page CSP; an unoffered language is not found', async () => {
    const target = await startWorkerdTarget({ assetsDir: DIST, kdf: PRODUCTION_KDF });
    try {
      const welsh = await fetch(`${target.baseUrl}/cy/`);
      expect(welsh.status).toBe(200);
      expect(welsh.headers.get('content-security-policy')).toBe(PAGE_CSP);
      const html = await welsh.text();
      expect(html).toContain('<html lang="cy" dir="ltr"');
      expect(html).toContain(readCatalogue('cy').messages['noscript.heading']);
      expect((await fetch(`${target.baseUrl}/en/`)).status).toBe(200);
      expect((await fetch(`${target.baseUrl}/pl/`)).status).toBe(404);
      expect((await fetch(`${target.baseUrl}/cy/index.html`)).status).toBe(404);
    } finally {
      await target.close();
    }
  }, 120_000);
});

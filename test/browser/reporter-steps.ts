// Steps through the reporter's page for the browser tests: reaching each view the way a
// person does, keyboard helpers, per-view checks (axe, 360 px overflow, screenshots) and the
// investigator's side, played from Node with the real client.
// Every step finds things by the words a person sees, taken from a language's catalogue
// (web/i18n/reporter/<language>.json), so the same steps run the page in any offered language:
// pass `wordsFor('cy')` to run them in Welsh; without it they run in English at /.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { afterAll, beforeAll, expect } from 'vitest';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { ApiClient } from '../../web/client/api.js';
import { listCases, openCase, replyToCase, signIn, type InvestigatorSession } from '../../web/client/investigator.js';
import { sodiumReady, type ReportDocument } from '../../web/protocol/index.js';
import type { CaseStatus } from '../../db/schema.js';
import { INVESTIGATOR, originStorage, screenshot, seriousAxeViolations, startBrowserHarness, type BrowserHarness } from './harness.js';

export const NARROW = { width: 360, height: 800 };
export const WIDE = { width: 1280, height: 900 };

/** One language's words, as the page shows them, and where its page is. */
export interface Words {
  language: string;
  /** The page's path: / for English, /cy/ for Welsh. */
  path: string;
  dir: 'ltr' | 'rtl';
  /** The language's name in itself, as the language links show it. */
  name: string;
  /** A message from the catalogue, formatted as the page formats it. */
  m(key: string, values?: Record<string, string | number>): string;
}

const CATALOGUE_DIR = join(import.meta.dirname, '..', '..', 'web', 'i18n', 'reporter');

export function wordsFor(language: string, options: { path?: string; catalogueDir?: string } = {}): Words {
  const catalogue = JSON.parse(readFileSync(join(options.catalogueDir ?? CATALOGUE_DIR, `${language}.json`), 'utf8')) as { meta: { name: string; dir: 'ltr' | 'rtl' }; messages: Record<string, string> };
  const locale = language === 'en' ? 'en-GB' : language;
  return {
    language,
    path: options.path ?? (language === 'en' ? '/' : `/${language}/`),
    dir: catalogue.meta.dir,
    name: catalogue.meta.name,
    m(key, values) {
      const message = catalogue.messages[key];
      if (message === undefined) throw new Error(`no ${key} in the ${language} catalogue`);
      return String(new IntlMessageFormat(message, locale).format(values));
    },
  };
}

export const EN = wordsFor('en');

/** A JPEG with a GPS position, a camera and more planted in its metadata (test/files/fixtures/make.sh). */
export const EVIDENCE_PHOTO = join(import.meta.dirname, '..', 'files', 'fixtures', 'photo.jpg');
export const PAGE_TITLE = EN.m('page.title');

/** Opens the reporter page (in `words`' language) and waits until its engine has fetched the configuration. */
export async function openReporter(harness: BrowserHarness, page: Page, words: Words = EN): Promise<void> {
  const configFetched = page.waitForResponse((r) => r.url() === `${harness.server.url}/api/config`);
  await page.goto(`${harness.server.url}${words.path}`);
  await configFetched;
  await page.getByRole('heading', { level: 1 }).first().waitFor();
}

/** Opens the reporter at 360 px, noting what a trace check later compares: console lines, title, history length. */
export async function openWatchedReporter(harness: BrowserHarness, words: Words = EN) {
  const { page, context, requests } = await harness.newPage(NARROW);
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  await openReporter(harness, page, words);
  return { page, context, requests, consoleLines, title: await page.title(), historyLength: await page.evaluate(() => history.length) };
}

/** axe, no horizontal scrolling at 360 px, and a screenshot at 360 and 1280 px. */
export async function checkView(page: Page, name: string, words: Words = EN): Promise<void> {
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  // Views never touch the address, the title or history.
  expect(new URL(page.url()).pathname + new URL(page.url()).search + new URL(page.url()).hash, `address on ${name}`).toBe(words.path);
  expect(await page.title(), `title on ${name}`).toBe(words.m('page.title'));
  expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), `lang and dir on ${name}`).toEqual([words.language, words.dir]);
  const original = page.viewportSize() ?? WIDE;
  for (const size of [NARROW, WIDE]) {
    await page.setViewportSize({ width: size.width, height: original.height });
    if (size === NARROW) {
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `${name} at 360 px scrolls sideways`).toBeLessThanOrEqual(360);
    }
    await page.evaluate(() => window.scrollTo(0, 0)); // a full-page shot of a scrolled page draws the sticky bar mid-page
    await screenshot(page, words.language === 'en' ? `reporter-${name}` : `reporter-${words.language}-${name}`);
  }
  await page.setViewportSize(original);
}

/** What has keyboard focus: "#id" and its text, to match against. */
function focusedDescription(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    if (!active || active === document.body) return '';
    return `${active.id ? `#${active.id} ` : ''}${active.getAttribute('aria-label') ?? active.textContent?.trim() ?? ''}`;
  });
}

/** Presses Tab (or Shift+Tab) until focus is on something whose id or text matches. */
export async function tabTo(page: Page, target: string | RegExp, options: { backwards?: boolean; max?: number } = {}): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < (options.max ?? 40); i++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const focused = await focusedDescription(page);
    seen.push(focused);
    if (typeof target === 'string' ? focused.startsWith(target) || focused.endsWith(target) : target.test(focused)) return;
  }
  throw new Error(`Tab never reached ${String(target)}; focus went: ${seen.join(' → ')}`);
}

export function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

/** The passphrase's words as shown (the numbers are CSS, not text). */
export async function shownWords(page: Page): Promise<string[]> {
  await page.locator('.passphrase li').first().waitFor();
  return page.locator('.passphrase li').allTextContents();
}

/** The three word positions the confirmation step asks for. */
export async function askedPositions(page: Page): Promise<number[]> {
  await page.locator('input[id^="confirm-word-"]').first().waitFor();
  const ids = await page.locator('input[id^="confirm-word-"]').evaluateAll((inputs) => inputs.map((i) => i.id));
  return ids.map((id) => Number(id.replace('confirm-word-', '')));
}

export interface ReportInput {
  organisation: string;
  categoryIndex: number;
  whatHappened: string;
  whenAndWhere?: string;
}

export async function fillReportForm(page: Page, input: ReportInput, words: Words = EN): Promise<void> {
  await page.getByRole('button', { name: words.m('landing.makeReport') }).click();
  await page.locator('#organisation').selectOption({ label: input.organisation });
  await page.locator(`#category-${input.categoryIndex}`).check();
  await page.locator('#what-happened').fill(input.whatHappened);
  if (input.whenAndWhere) await page.locator('#when-where').fill(input.whenAndWhere);
  await page.getByRole('button', { name: words.m('form.continue') }).click();
}

export async function confirmWords(page: Page, words: string[]): Promise<void> {
  for (const position of await askedPositions(page)) await page.locator(`#confirm-word-${position}`).fill(words[position - 1]!);
}

/** Makes a report with the mouse; returns its passphrase words and reference. */
export async function makeReport(page: Page, input: ReportInput, language: Words = EN): Promise<{ words: string[]; reference: string }> {
  await fillReportForm(page, input, language);
  const words = await shownWords(page);
  await page.getByRole('button', { name: language.m('passphrase.writtenDown') }).click();
  await confirmWords(page, words);
  await page.getByRole('button', { name: language.m('confirm.send') }).click();
  await page.getByRole('heading', { name: language.m('sent.heading') }).waitFor();
  return { words, reference: (await page.locator('.reference').textContent()) ?? '' };
}

/** From the landing view: "I have a passphrase", type it, open the mailbox. */
export async function openMailboxWith(page: Page, typed: string, words: Words = EN): Promise<void> {
  await page.getByRole('button', { name: words.m('landing.havePassphrase') }).click();
  await page.locator('#passphrase').fill(typed);
  await page.getByRole('button', { name: words.m('unlock.open') }).click();
  await page.getByRole('heading', { level: 1, name: words.m('mailbox.heading'), exact: true }).waitFor();
}

/** The same passphrase as a hurried person types it: capitals, odd spacing, 4-letter prefixes. */
export function typedCarelessly(words: string[]): string {
  return `  ${words.map((w, i) => (i % 2 === 0 ? w.slice(0, 4).toUpperCase() : `${w[0]!.toUpperCase()}${w.slice(1)}`)).join('   ')} `;
}

/**
 * Holds back the quick exit's destination, and resolves `engineEndedAndPageBlanked` once the
 * exit has been requested, the engine (Web Worker) has ended and the page has been emptied —
 * all while the browser is still on Parley's page. Call `release()` to let the exit load.
 */
export async function holdQuickExit(page: Page, exitUrl: string): Promise<{ engineEndedAndPageBlanked: Promise<unknown>; release(): void }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let requested!: () => void;
  const exitRequested = new Promise<void>((resolve) => (requested = resolve));
  await page.route(exitUrl, async (route) => {
    requested();
    await held;
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Elsewhere</title>' });
  });
  expect(page.workers()).toHaveLength(1);
  const engineEnded = new Promise((resolve) => page.workers()[0]!.once('close', resolve));
  let blank!: () => void;
  const pageBlanked = new Promise<void>((resolve) => (blank = resolve));
  await page.exposeFunction('reportBlankPage', () => blank());
  await page.evaluate(() => {
    const report = (window as unknown as { reportBlankPage(): void }).reportBlankPage;
    new MutationObserver(() => document.body.childElementCount === 0 && report()).observe(document.body, { childList: true });
  });
  return { engineEndedAndPageBlanked: Promise.all([exitRequested, engineEnded, pageBlanked]), release };
}

/** Nothing left behind and nothing leaked: the brief's first threat, checked after a flow. */
export async function expectNoTraces(
  harness: BrowserHarness,
  context: BrowserContext,
  page: Page,
  requests: Request[],
  secret: { words: string[]; title: string; historyLength: number; console: string[]; path?: string },
): Promise<void> {
  expect(await originStorage(context, page)).toEqual({ cookies: 0, local: 0, session: 0, indexedDb: 0 });
  const spellings = [secret.words.join(' '), secret.words.join('+'), secret.words.join('%20'), secret.words.join('-'), secret.words.join('')];
  for (const request of requests) {
    expect(new URL(request.url()).origin, request.url()).toBe(harness.server.url);
    for (const spelling of spellings) {
      expect(request.url()).not.toContain(spelling);
      expect(request.postData() ?? '').not.toContain(spelling);
    }
    expect(await request.allHeaders()).not.toHaveProperty('cookie');
  }
  expect(page.url()).toBe(`${harness.server.url}${secret.path ?? '/'}`);
  expect(await page.title()).toBe(secret.title);
  expect(await page.evaluate(() => history.length)).toBe(secret.historyLength);
  // Pairs of words, not single ones: a lone common word ("case", "report") in a log line proves nothing.
  const pairs = secret.words.slice(1).map((w, i) => `${secret.words[i]} ${w}`);
  for (const line of secret.console) for (const pair of pairs) expect(line.toLowerCase()).not.toContain(pair);
}

/** The unit's side, played from Node with the investigator client (production KDF). */
export class InvestigatorDesk {
  private session: InvestigatorSession | null = null;
  private readonly api: ApiClient;

  constructor(private readonly harness: BrowserHarness) {
    this.api = new ApiClient(harness.server.url);
  }

  private async signedIn(): Promise<InvestigatorSession> {
    await sodiumReady();
    this.session ??= await signIn(this.api, { username: INVESTIGATOR.username, password: INVESTIGATOR.password, totp: this.harness.totpCode() });
    return this.session;
  }

  async reportFor(reference: string): Promise<ReportDocument | null> {
    const found = (await listCases(this.api, await this.signedIn())).find((c) => c.reference === reference);
    if (!found) throw new Error(`no case ${reference}`);
    return found.report;
  }

  async ask(reference: string, text: string, status?: CaseStatus): Promise<void> {
    const session = await this.signedIn();
    const found = (await listCases(this.api, session)).find((c) => c.reference === reference);
    if (!found) throw new Error(`no case ${reference}`);
    await replyToCase(this.api, session, await openCase(this.api, session, found.id), text, status);
  }

  /** Texts of the reporter's messages after the report, as the investigator decrypts them. */
  async reporterMessages(reference: string): Promise<string[]> {
    const session = await this.signedIn();
    const found = (await listCases(this.api, session)).find((c) => c.reference === reference);
    if (!found) throw new Error(`no case ${reference}`);
    const opened = await openCase(this.api, session, found.id);
    return opened.entries.flatMap((e) => (e.role === 'reporter' && e.document.kind === 'message' ? [e.document.text] : []));
  }
}

/** One describe block's server and browser with one unit, and that unit's investigator: started before its tests, closed after. */
export function useReporterHarness(unit: string): { readonly harness: BrowserHarness; readonly desk: InvestigatorDesk } {
  const held = {} as { harness: BrowserHarness; desk: InvestigatorDesk };
  beforeAll(async () => {
    held.harness = await startBrowserHarness([unit]);
    held.desk = new InvestigatorDesk(held.harness);
    await sodiumReady();
  }, 120_000);
  afterAll(async () => {
    await held.harness?.close();
  });
  return held;
}

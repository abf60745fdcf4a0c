// The whole reporter loop, found by accessible names only (roles and the words a person sees,
// from a language's catalogue): report → passphrase → confirm → sent; the unit asks; come back
// with the passphrase typed carelessly → read the question → answer. One function for every
// language and browser: Chromium through playwright-core, Firefox ESR through puppeteer-core's
// ARIA queries over WebDriver BiDi; each driver is a small adapter below.
import { basename } from 'node:path';
import { expect } from 'vitest';
import type { Page as PlaywrightPage } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { typedCarelessly, type InvestigatorDesk, type Words } from './reporter-steps.js';

/** What the loop asks of a browser: everything by role and accessible name. */
export interface ByName {
  /** Waits (up to `timeoutMs`) until an enabled button named `name` is there, then presses it. */
  press(name: string, timeoutMs?: number): Promise<void>;
  /** Types into the text box named `label`, replacing what was there. */
  fill(label: string, text: string): Promise<void>;
  /** Chooses `option` in the list box (select) named `label`. */
  choose(label: string, option: string): Promise<void>;
  check(radio: string): Promise<void>;
  waitForHeading(name: string, timeoutMs?: number): Promise<void>;
  /** Text of the element of `role` named `name` (a list, a region), waiting for it. */
  textOf(role: 'list' | 'region', name: string): Promise<string>;
  /** Items of the list named `name`. */
  listItems(name: string): Promise<string[]>;
  /** Whether a text box named `label` is on the page now. */
  hasTextbox(label: string): Promise<boolean>;
  /** Gives the file input named `label` the file at `path`. */
  attach(label: string, path: string): Promise<void>;
  /** Waits until the page says `text` somewhere (up to `timeoutMs`). */
  waitForText(text: string, timeoutMs?: number): Promise<void>;
  /** What has focus: its role attribute and its text. */
  focused(): Promise<{ role: string | null; text: string }>;
}

const MINUTE = 60_000;

export function byNameInPlaywright(page: PlaywrightPage): ByName {
  return {
    press: (name, timeoutMs = 30_000) => page.getByRole('button', { name, exact: true }).click({ timeout: timeoutMs }),
    fill: (label, text) => page.getByLabel(label, { exact: true }).fill(text),
    choose: async (label, option) => {
      await page.getByRole('combobox', { name: label, exact: true }).selectOption({ label: option });
    },
    check: (radio) => page.getByRole('radio', { name: radio, exact: true }).check(),
    waitForHeading: (name, timeoutMs = 30_000) => page.getByRole('heading', { name, exact: true }).waitFor({ timeout: timeoutMs }),
    textOf: async (role, name) => (await page.getByRole(role, { name, exact: true }).textContent()) ?? '',
    listItems: async (name) => {
      await page.getByRole('list', { name, exact: true }).getByRole('listitem').first().waitFor();
      return page.getByRole('list', { name, exact: true }).getByRole('listitem').allTextContents();
    },
    hasTextbox: async (label) => (await page.getByRole('textbox', { name: label, exact: true }).count()) > 0,
    attach: (label, path) => page.getByLabel(label, { exact: true }).setInputFiles(path),
    waitForText: (text, timeoutMs = 30_000) => page.getByText(text, { exact: true }).first().waitFor({ timeout: timeoutMs }),
    focused: () => page.evaluate(() => ({ role: document.activeElement?.getAttribute('role') ?? null, text: document.activeElement?.textContent?.trim() ?? '' })),
  };
}

/** puppeteer's ARIA query: role and accessible name, as the browser's accessibility tree has them. */
function aria(role: string, name: string): string {
  return `::-p-aria([name=${JSON.stringify(name)}][role="${role}"])`;
}

export function byNameInPuppeteer(page: PuppeteerPage): ByName {
  return {
    press: (name, timeoutMs = 30_000) => page.locator(aria('button', name)).setTimeout(timeoutMs).click(),
    fill: (label, text) => page.locator(aria('textbox', label)).fill(text),
    choose: async (label, option) => {
      const select = await page.locator(aria('combobox', label)).waitHandle();
      const value = await select.evaluate((s, o) => [...(s as HTMLSelectElement).options].find((opt) => opt.text.trim() === o)?.value ?? null, option);
      if (value === null) throw new Error(`no option ${option} in ${label}`);
      await select.select(value);
    },
    check: (radio) => page.locator(aria('radio', radio)).click(),
    waitForHeading: async (name, timeoutMs = 30_000) => {
      await page.locator(aria('heading', name)).setTimeout(timeoutMs).wait();
    },
    textOf: async (role, name) => (await (await page.locator(aria(role, name)).waitHandle()).evaluate((e) => e.textContent ?? '')),
    listItems: async (name) => (await page.locator(aria('list', name)).waitHandle()).evaluate((list) => [...list.querySelectorAll('li')].map((li) => li.textContent?.trim() ?? '')),
    hasTextbox: async (label) => (await page.$(aria('textbox', label))) !== null,
    attach: async (label, path) => {
      // Firefox exposes a file input as a group around an anonymous button, which no ARIA query can
      // hand to setFiles: the input is found through the label that names it.
      await page.waitForFunction((l) => [...document.querySelectorAll('label')].some((e) => e.textContent === l), {}, label);
      const input = await page.evaluateHandle((l) => [...document.querySelectorAll('label')].find((e) => e.textContent === l)!.control, label);
      await (input as unknown as { uploadFile(...paths: string[]): Promise<void> }).uploadFile(path);
    },
    waitForText: async (text, timeoutMs = 30_000) => {
      await page.waitForFunction((t) => document.body.innerText.includes(t), { timeout: timeoutMs, polling: 250 }, text);
    },
    focused: () => page.evaluate(() => ({ role: document.activeElement?.getAttribute('role') ?? null, text: document.activeElement?.textContent?.trim() ?? '' })),
  };
}

export interface LoopOptions {
  /** The unit's name as the list shows it, or the language's "not sure". */
  organisation: string;
  /** A catalogue key of a category, e.g. 'category.bribery'. */
  category: string;
  whatHappened: string;
  /** The unit's question, and the status it sets with it. */
  question: string;
  answer: string;
  /** Called on each view once it is shown (e.g. axe and screenshots); names like "passphrase". */
  onView?: (view: string) => Promise<void>;
  /** How long Argon2id may take (minutes without WebAssembly). */
  derivationTimeoutMs?: number;
  /** Called while the slow step runs: after "Send" and after "Open my report". */
  whileDeriving?: (step: 'sending' | 'unlocking') => Promise<void>;
  /** A photo to add to the report (its location is removed, it is sent as evidence-1.jpg, the mailbox lists it). */
  photo?: string;
}

/** The loop from the first view; returns what a caller may check further. */
export async function reporterLoop(b: ByName, m: Words['m'], desk: InvestigatorDesk, o: LoopOptions): Promise<{ words: string[]; reference: string }> {
  const slow = o.derivationTimeoutMs ?? MINUTE;
  const view = async (name: string) => o.onView?.(name);

  // The form sent empty: each problem said in the page's language.
  await b.press(m('landing.makeReport'), 5 * MINUTE);
  await b.press(m('form.continue'));
  await b.waitForText(m('form.error.whatHappened'));
  await b.waitForText(m('errors.summary', { count: 3 }));
  await view('report-form-errors');

  await b.choose(m('form.organisation.label'), o.organisation);
  await b.check(m(o.category));
  await b.fill(m('form.whatHappened.label'), o.whatHappened);
  if (o.photo) {
    await b.attach(m('evidence.label'), o.photo);
    await b.waitForText(m('evidence.removed.location'));
    await b.waitForText(m('evidence.sentAs', { original: basename(o.photo), name: 'evidence-1.jpg' }));
  }
  await b.press(m('form.continue'));
  await b.waitForHeading(m('passphrase.heading'));
  const words = await b.listItems(m('passphrase.wordsLabel'));
  expect(words).toHaveLength(9);
  await b.waitForText(m('passphrase.englishWords'));
  await view('passphrase');

  // Three of the nine words asked back; one wrong first, which is named.
  await b.press(m('passphrase.writtenDown'));
  await b.waitForHeading(m('confirm.heading'));
  const asked: number[] = [];
  for (let position = 1; position <= 9; position++) if (await b.hasTextbox(m('confirm.wordLabel', { position }))) asked.push(position);
  expect(asked).toHaveLength(3);
  for (const position of asked) await b.fill(m('confirm.wordLabel', { position }), position === asked[0] ? 'wrong' : words[position - 1]!);
  await b.press(m('confirm.send'));
  await b.waitForText(m('confirm.wrongWord', { position: asked[0]! }));
  await view('confirm-errors');
  await b.fill(m('confirm.wordLabel', { position: asked[0]! }), words[asked[0]! - 1]!);
  await b.press(m('confirm.send'));
  await o.whileDeriving?.('sending');
  await b.waitForHeading(m('sent.heading'), slow);
  const reference = /[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(await b.textOf('region', m('sent.reference.heading')))?.[0] ?? '';
  expect(reference).not.toBe('');
  if (o.photo) await b.waitForText(m('uploads.done'), slow); // sealed, encrypted and sent part by part by this device's engine
  await view('sent');
  expect((await desk.reportFor(reference))?.whatHappened).toBe(o.whatHappened);
  if (o.photo) expect((await desk.reportFor(reference))?.attachments?.map((a) => a.name)).toEqual(['evidence-1.jpg']);

  // The unit asks; the reporter comes back, with a typo first (caught on the device), then the words typed carelessly.
  await desk.ask(reference, o.question, 'assessing');
  await b.press(m('sent.backToStart'));
  await b.press(m('landing.havePassphrase'));
  await b.fill(m('unlock.label'), words.slice(0, 8).join(' '));
  await b.press(m('unlock.open'));
  await b.waitForText(m('check.wordCount', { expected: 9, found: 8 }));
  await view('unlock-typo');
  await b.fill(m('unlock.label'), typedCarelessly(words));
  await b.press(m('unlock.open'));
  await o.whileDeriving?.('unlocking');
  await b.waitForHeading(m('mailbox.heading'), slow);
  const thread = await b.textOf('list', m('mailbox.threadLabel'));
  expect(thread).toContain(o.whatHappened);
  expect(thread).toContain(o.question);
  if (o.photo) expect(thread).toContain('evidence-1.jpg');
  await b.waitForText(m('status.assessing.label'));
  await view('mailbox');

  // The answer; focus goes to the outcome, a status message, not to the page body.
  await b.fill(m('mailbox.reply.label'), o.answer);
  await b.press(m('mailbox.reply.send'));
  await b.waitForText(m('mailbox.reply.sent'));
  await expect.poll(() => b.focused()).toEqual({ role: 'status', text: m('mailbox.reply.sent') });
  await expect.poll(() => b.textOf('list', m('mailbox.threadLabel')), { timeout: slow }).toContain(o.answer); // the thread, fetched again
  expect(await desk.reporterMessages(reference)).toEqual([o.answer]);
  return { words, reference };
}

// The reporter's page in real Chromium against a real server, with the production Argon2id
// cost: the whole flow (by keyboard alone), returning with a carelessly typed passphrase,
// typos caught without a request, no traces left, quick exit from every view, axe, 360 px.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generatePassphrase, parsePassphrase } from '../../web/protocol/index.js';
import { browserAvailable } from './harness.js';
import {
  askedPositions, checkView, EN, expectNoTraces, fillReportForm, focusedId, holdQuickExit, makeReport, NARROW, openMailboxWith, openReporter, openWatchedReporter, shownWords, tabTo, typedCarelessly, useReporterHarness, WIDE,
} from './reporter-steps.js';

const UNIT = 'Anti-Corruption Unit';
// The page's words come from the English catalogue (web/i18n/reporter/en.json).
const NOT_OPENED = EN.m('problem.notOpened');

describe.skipIf(!browserAvailable)('reporter page', () => {
  const setup = useReporterHarness(UNIT);

  it('makes a report by keyboard alone at 360 px: landing → form → passphrase → confirmation → sent, leaving no trace', async () => {
    const { page, context, requests, consoleLines, title, historyLength } = await openWatchedReporter(setup.harness);
    await checkView(page, 'landing');

    // The quick exit is reachable backwards from the heading that has focus; then on to the actions.
    await tabTo(page, '#quick-exit', { backwards: true });
    await tabTo(page, 'Make a report');
    await page.keyboard.press('Enter');
    await page.locator('#organisation').waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await checkView(page, 'report-form');

    // Sending it empty: every problem is explained, tied to its control, and the first gets focus.
    await tabTo(page, 'Continue');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedId(page)).toBe('organisation');
    expect(await page.locator('#organisation').getAttribute('aria-describedby')).toContain('organisation-error');
    expect(await page.locator('#organisation').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').first().textContent()).toContain('Choose which unit');
    expect(await page.locator('#category').getAttribute('aria-describedby')).toContain('category-error');
    expect(await page.locator('#what-happened-error').textContent()).toBe('Tell us what happened.');
    await checkView(page, 'report-form-errors');

    await page.keyboard.type('Anti'); // type-ahead on the focused select
    expect(await page.locator('#organisation').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe(UNIT);
    await tabTo(page, '#category-0');
    await page.keyboard.press('Space');
    await tabTo(page, '#what-happened');
    await page.keyboard.type('An officer at the central station takes cash to drop charges.');
    await tabTo(page, '#when-where');
    await page.keyboard.type('Most Fridays since March.');
    await tabTo(page, 'Continue');
    await page.keyboard.press('Enter');

    const words = await shownWords(page);
    expect(words).toHaveLength(9);
    await checkView(page, 'passphrase');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: setup.harness.server.url });
    await tabTo(page, 'Copy the words');
    await page.keyboard.press('Enter');
    await page.getByText('The words are on your clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(words.join(' '));
    await tabTo(page, 'I have written it down');
    await page.keyboard.press('Enter');

    // One wrong word first: it is named, and focus goes to it.
    const positions = await askedPositions(page);
    expect(positions).toHaveLength(3);
    await checkView(page, 'confirm');
    await tabTo(page, `#confirm-word-${positions[0]}`);
    await page.keyboard.type('wrong');
    for (const position of positions.slice(1)) {
      await tabTo(page, `#confirm-word-${position}`);
      await page.keyboard.type(words[position - 1]!);
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedId(page)).toBe(`confirm-word-${positions[0]}`);
    expect(await page.locator(`#confirm-word-${positions[0]}-error`).textContent()).toContain(`Word ${positions[0]} does not match`);
    expect(requests.filter((r) => r.url().endsWith('/api/reports'))).toHaveLength(0);
    await checkView(page, 'confirm-errors');
    for (let i = 0; i < 'wrong'.length; i++) await page.keyboard.press('Backspace');
    const word = words[positions[0]! - 1]!;
    await page.keyboard.type(word.length > 4 ? ` ${word.slice(0, 4).toUpperCase()} ` : word.toUpperCase()); // forgiving, like the passphrase
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Your report has been received' }).waitFor();
    expect(await page.locator('.reference').textContent()).toMatch(/\S{4,}/);
    expect(await page.locator('main').textContent()).toContain('This is not your passphrase');
    await checkView(page, 'sent');
    expect(requests.filter((r) => r.url().endsWith('/api/reports'))).toHaveLength(1);
    await expectNoTraces(setup.harness, context, page, requests, { words, title, historyLength, console: consoleLines });
    await context.close();
  });

  it('opens the mailbox with a carelessly typed passphrase; shows the report and the unit’s question; the answer reaches the unit', async () => {
    const writing = await setup.harness.newPage(WIDE);
    await openReporter(setup.harness, writing.page);
    const { words, reference } = await makeReport(writing.page, {
      organisation: 'Not sure', categoryIndex: 3, whatHappened: 'He reads my messages on the police computer.', whenAndWhere: 'At home, <b>every</b> night',
    });
    await writing.context.close();
    expect((await setup.desk.reportFor(reference))?.organisationNotSure).toBe(true);
    await setup.desk.ask(reference, 'Which police computer system does he use?', 'assessing');

    const { page, context, requests, consoleLines, title, historyLength } = await openWatchedReporter(setup.harness);
    await page.getByRole('button', { name: 'I have a passphrase' }).click();
    const input = page.locator('#passphrase');
    for (const [name, value] of Object.entries({ autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', autocorrect: 'off' })) {
      expect(await input.getAttribute(name)).toBe(value);
    }
    await checkView(page, 'unlock');

    // Argon2id runs in the engine: the page keeps responding, and the progress bar is shown.
    await page.evaluate(() => {
      const w = window as unknown as { longestGapMs: number };
      w.longestGapMs = 0;
      let last = performance.now();
      setInterval(() => {
        const now = performance.now();
        w.longestGapMs = Math.max(w.longestGapMs, now - last);
        last = now;
      }, 20);
    });
    // The thread's fetch is held back, so the view can be checked while it shows progress.
    let releaseThread!: () => void;
    const threadHeld = new Promise<void>((resolve) => (releaseThread = resolve));
    await page.route('**/api/mailbox', async (route) => {
      await threadHeld;
      await route.continue();
    });
    await input.fill(typedCarelessly(words));
    const progressShown = page.locator('progress').waitFor({ state: 'attached' });
    await input.press('Enter');
    await progressShown;
    await page.getByText('Fetching your report and messages').waitFor(); // Argon2id is done
    expect(await page.evaluate(() => (window as unknown as { longestGapMs: number }).longestGapMs)).toBeLessThan(250);
    await expect.poll(() => page.locator('progress').evaluate((p: HTMLProgressElement) => p.value)).toBeGreaterThan(0);
    expect(await page.getByText('taking longer than usual').isVisible()).toBe(false);
    await checkView(page, 'unlocking');
    releaseThread();
    await page.getByRole('heading', { level: 1, name: 'Your report', exact: true }).waitFor();

    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('He reads my messages on the police computer.');
    expect(await main.textContent()).toContain('At home, <b>every</b> night'); // shown as text, never markup
    expect(await page.locator('main b').count()).toBe(0);
    expect(await main.textContent()).toContain('You were not sure');
    const question = page.locator('.thread li.from-organisation');
    expect(await question.textContent()).toContain(`From ${UNIT}`);
    expect(await question.textContent()).toContain('Which police computer system does he use?');
    expect(await page.locator('.status').textContent()).toBe('Being looked at');
    expect(await main.textContent()).toContain('deciding what to do next');
    await checkView(page, 'mailbox');

    // A reply too long for the largest bucket is refused on the device.
    await page.locator('#reply').fill('x'.repeat(70_000));
    await page.getByRole('button', { name: 'Send message' }).click();
    expect(await page.locator('#reply-error').textContent()).toContain('too long');

    await page.locator('#reply').fill('The one in the custody suite. He logs in as a colleague.');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Your message has been sent.').waitFor();
    await expect.poll(() => page.locator('.thread li.from-reporter').last().textContent()).toContain('He logs in as a colleague.');
    expect(await page.locator('#reply').inputValue()).toBe('');
    // Focus is on the outcome, not lost to the page body.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toBe('Your message has been sent.');
    await checkView(page, 'mailbox-after-reply');
    expect(await setup.desk.reporterMessages(reference)).toEqual(['The one in the custody suite. He logs in as a colleague.']);

    await expectNoTraces(setup.harness, context, page, requests, { words, title, historyLength, console: consoleLines });

    // Locking drops the keys: a second look needs the passphrase again.
    await page.getByRole('button', { name: 'Lock my report' }).click();
    await page.getByRole('button', { name: 'I have a passphrase' }).waitFor();
    expect(await main.textContent()).not.toContain('He reads my messages');
    await context.close();
  });

  it('catches a typo on the device, with a helpful message and no request; a wrong passphrase gets one calm message', async () => {
    const { page, context, requests } = await setup.harness.newPage(NARROW);
    await openReporter(setup.harness, page);
    await page.getByRole('button', { name: 'I have a passphrase' }).click();
    const words = generatePassphrase().split(' ');
    const before = requests.length;

    const attempt = async (typed: string) => {
      await page.locator('#passphrase').fill(typed);
      await page.getByRole('button', { name: 'Open my report' }).click();
      await page.locator('#passphrase-error').filter({ hasText: /./ }).waitFor();
      return (await page.locator('#passphrase-error').textContent()) ?? '';
    };
    // The page says exactly what the protocol's parser says: which word, and the likely one meant.
    const typo = words.map((w, i) => (i === 2 ? `${w.slice(0, 4)}zq` : w)).join(' ');
    const expected = parsePassphrase(typo);
    if (expected.ok) throw new Error('the typo parsed');
    expect(expected.problem.kind).toBe('unknown_word');
    expect(expected.message).toContain('Word 3');
    expect(await attempt(typo)).toBe(expected.message);
    expect(await page.getByRole('alert').first().textContent()).toContain('Word 3');
    expect(await focusedId(page)).toBe('passphrase');
    expect(await page.locator('#passphrase').getAttribute('aria-describedby')).toContain('passphrase-error');
    await checkView(page, 'unlock-typo');
    expect(await attempt(words.slice(0, 8).join(' '))).toBe('A passphrase has 9 words; you entered 8.');
    const swapped = [words[1]!, words[0]!, ...words.slice(2)];
    if (swapped[0] !== swapped[1]) expect(await attempt(swapped.join(' '))).toContain('they do not fit together');
    await page.waitForTimeout(300);
    expect(requests.slice(before).map((r) => r.url()), 'requests after a typo').toEqual([]);

    // Valid words that open nothing: the same calm message as any other failure to open.
    expect(await attempt(words.join(' '))).toContain(NOT_OPENED);
    expect(requests.slice(before).map((r) => new URL(r.url()).pathname)).toEqual(['/api/mailbox/challenge', '/api/mailbox']);
    await checkView(page, 'unlock-not-opened');
    await context.close();
  });

  describe('quick exit', () => {
    /** Each reporter view, reached the way a person reaches it. */
    const views: Record<string, (page: Page, existing: { words: string[] }) => Promise<void>> = {
      landing: async () => undefined,
      'report form': async (page) => {
        await page.getByRole('button', { name: 'Make a report' }).click();
        await page.locator('#organisation').waitFor();
      },
      passphrase: async (page) => {
        await fillReportForm(page, { organisation: UNIT, categoryIndex: 0, whatHappened: 'Quick exit test.' });
        await shownWords(page);
      },
      confirmation: async (page) => {
        await fillReportForm(page, { organisation: UNIT, categoryIndex: 0, whatHappened: 'Quick exit test.' });
        await shownWords(page);
        await page.getByRole('button', { name: 'I have written it down' }).click();
        await askedPositions(page);
      },
      sent: async (page) => {
        await makeReport(page, { organisation: UNIT, categoryIndex: 6, whatHappened: 'Quick exit test.' });
      },
      unlock: async (page) => {
        await page.getByRole('button', { name: 'I have a passphrase' }).click();
        await page.locator('#passphrase').waitFor();
      },
      mailbox: async (page, existing) => {
        await openMailboxWith(page, existing.words.join(' '));
      },
    };
    let existing: { words: string[] };

    beforeAll(async () => {
      const { page, context } = await setup.harness.newPage();
      await openReporter(setup.harness, page);
      existing = await makeReport(page, { organisation: UNIT, categoryIndex: 1, whatHappened: 'A report to come back to.' });
      await context.close();
    }, 60_000);

    it('with JavaScript off, says why it is needed and how to set Tor Browser, and the quick exit still leaves', async () => {
      const context = await (await setup.harness.liveBrowser()).newContext({ javaScriptEnabled: false, viewport: NARROW });
      const page = await context.newPage();
      await page.route('https://www.bbc.co.uk/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>' }));
      await page.goto(`${setup.harness.server.url}/`);
      await page.getByRole('heading', { name: 'This page needs JavaScript' }).waitFor();
      expect(await page.locator('main').textContent()).toContain('choose “Safer”');
      await page.getByRole('link', { name: 'Quick exit' }).click();
      await page.waitForURL('https://www.bbc.co.uk/weather');
      await context.close();
    });

    it('locks an open report left alone for 10 minutes, says why, and keeps it open while in use', async () => {
      const { page, context } = await setup.harness.newPage(NARROW);
      await page.clock.install(); // time runs as usual, and the test can jump it forward
      await openReporter(setup.harness, page);
      await openMailboxWith(page, existing.words.join(' '));
      await page.clock.fastForward('09:00');
      await page.keyboard.press('Tab'); // any activity starts the count again
      await page.clock.fastForward('09:00');
      expect(await page.getByRole('heading', { level: 1, name: 'Your report', exact: true }).count()).toBe(1);
      await page.clock.fastForward('01:30');
      // The unlock view, with the reason, ready for the passphrase again.
      await page.getByRole('status').filter({ hasText: 'Your report was locked because nothing happened for 10 minutes' }).waitFor();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(EN.m('unlock.heading'));
      expect(await page.getByLabel(EN.m('unlock.label')).inputValue()).toBe('');
      expect(await page.locator('main').textContent()).not.toContain('A report to come back to.');
      // The keys went with it: the mailbox opens only with the passphrase typed again.
      await page.getByLabel(EN.m('unlock.label')).fill(existing.words.join(' '));
      await page.getByRole('button', { name: EN.m('unlock.open') }).click();
      await page.getByRole('heading', { level: 1, name: 'Your report', exact: true }).waitFor();
      await context.close();
    });

    it('after leaving an open mailbox another way, Back shows the start, not the mailbox', async () => {
      const { page, context } = await setup.harness.newPage(NARROW);
      await openReporter(setup.harness, page);
      await openMailboxWith(page, existing.words.join(' '));
      expect(await page.locator('main').textContent()).toContain('A report to come back to.');
      await page.goto('https://elsewhere.example/');
      await page.goBack();
      await page.getByRole('button', { name: 'I have a passphrase' }).waitFor();
      expect(await page.locator('main').textContent()).not.toContain('A report to come back to.');
      await context.close();
    });

    it('does not leave when Escape is pressed, even twice (people press it to close lists); Shift needs three presses', async () => {
      const { page, context } = await setup.harness.newPage(NARROW);
      await openReporter(setup.harness, page);
      await page.getByRole('button', { name: 'Make a report' }).click();
      await page.getByLabel('What happened?').fill('Half a sentence');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Shift');
      await page.keyboard.press('Shift');
      await page.keyboard.press('a'); // another key starts the count again
      await page.keyboard.press('Shift');
      await page.keyboard.press('Shift');
      expect(page.url()).toBe(`${setup.harness.server.url}/`);
      expect(await page.getByLabel('What happened?').inputValue()).toBe('Half a sentencea');
      await context.close();
    });

    for (const how of ['button', 'Shift three times'] as const) {
      for (const [name, reach] of Object.entries(views)) {
        it(`leaves the ${name} view by ${how}: engine ended, page blanked, and Back does not return to Parley`, async () => {
          const { page, context } = await setup.harness.newPage(NARROW);
          await page.goto('https://start.example/'); // where the person was before (answered locally)
          await openReporter(setup.harness, page);
          await reach(page, existing);
          const exitUrl = await page.evaluate(() => document.documentElement.dataset.exitUrl ?? '');
          expect(exitUrl).toMatch(/^https:\/\//);
          const exit = await holdQuickExit(page, exitUrl);
          // Not awaited: Playwright would wait for the navigation the exit starts, which is held.
          const pressing = how === 'button' ? page.locator('#quick-exit').click() : page.keyboard.press('Shift').then(() => page.keyboard.press('Shift')).then(() => page.keyboard.press('Shift'));
          await exit.engineEndedAndPageBlanked; // while the exit page is still held back
          exit.release();
          await pressing;
          await page.waitForURL(exitUrl);
          await expect.poll(() => page.title()).toBe('Elsewhere');
          await page.goBack();
          expect(page.url()).toBe('https://start.example/');
          expect(await page.content()).not.toMatch(/Quick exit|passphrase|report/i);
          await context.close();
        });
      }
    }
  });
});
